/**
 * The optional second cache tier on Redis, shared by every replica.
 *
 * - Answers are stored as JSON at the level they were fetched at, with the
 *   cache TTL; a stored answer serves any need its level covers.
 * - Keys carry the account key (a hash of upstream URL and login, never the
 *   password): `<prefix>:v1:<account>:<order ref>`.
 * - Cold fetches are single-flight across replicas: the first replica takes
 *   a short lock (`SET NX PX`); the others wait for its answer to appear
 *   (bounded) and fetch themselves only if it does not. A lock whose holder
 *   died expires on its own.
 * - Redis is never on the critical path for longer than a command timeout:
 *   when it is down, slow or flapping, every operation reports a miss and
 *   the subgraph carries on from memory and the upstream; ioredis reconnects
 *   in the background.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { covers, type DetailLevel } from '../sectigo/detail.js';
import type { OrderStatus } from '../sectigo/domain.js';

export interface SharedTierOptions {
  readonly url: string;
  readonly keyPrefix: string;
  readonly ttlMs: number;
  /** How long a replica may hold the single-flight lock (covers the upstream deadline). */
  readonly lockMs: number;
  /** No Redis command waits longer. */
  readonly commandTimeoutMs: number;
  /** How often a waiting replica looks for the lock holder's answer. */
  readonly pollMs?: number;
  readonly events?: SharedTierEvents;
}

export interface SharedTierEvents {
  error?(operation: string, error: unknown): void;
  connection?(state: 'ready' | 'lost'): void;
}

export interface SharedAnswer {
  readonly status: OrderStatus;
  /** How much longer the shared entry lives. */
  readonly ttlMs: number;
}

export type SharedOutcome = { readonly status: OrderStatus; readonly source: 'shared' | 'upstream'; readonly ttlMs: number };

export interface SharedTier {
  /** A stored answer whose level covers `need`, or undefined (also when Redis is unavailable). */
  get(orderKey: string, need: DetailLevel): Promise<SharedAnswer | undefined>;
  /**
   * Runs `fetch` for a cold order unless another replica already is, in
   * which case its answer is awaited (bounded) and returned instead.
   */
  singleFlight(orderKey: string, need: DetailLevel, fetch: () => Promise<OrderStatus>): Promise<SharedOutcome>;
  readonly connected: () => boolean;
  close(): Promise<void>;
}

interface Stored {
  readonly status: OrderStatus;
}

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function createSharedTier(options: SharedTierOptions): SharedTier {
  const pollMs = options.pollMs ?? 25;
  const events = options.events ?? {};
  const redis = new Redis(options.url, {
    // Fail fast instead of queueing while disconnected: callers fall back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(options.commandTimeoutMs, 1_000),
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
  });
  let ready = false;
  redis.on('ready', () => {
    ready = true;
    events.connection?.('ready');
  });
  redis.on('close', () => {
    if (ready) events.connection?.('lost');
    ready = false;
  });
  // ioredis emits 'error' on every failed reconnect: counted where it matters (per operation).
  redis.on('error', () => {});

  const dataKey = (orderKey: string) => `${options.keyPrefix}:v1:${orderKey}`;
  const lockKey = (orderKey: string) => `${options.keyPrefix}:v1:lock:${orderKey}`;

  async function safely<T>(operation: string, run: () => Promise<T>, fallback: T): Promise<T> {
    if (!ready) return fallback;
    try {
      return await run();
    } catch (error) {
      events.error?.(operation, error);
      return fallback;
    }
  }

  function decode(raw: string | null): OrderStatus | undefined {
    if (raw === null) return undefined;
    try {
      return (JSON.parse(raw) as Stored).status;
    } catch (error) {
      events.error?.('decode', error);
      return undefined;
    }
  }

  /** The stored answer and its remaining life, in one round trip. */
  async function read(orderKey: string, need: DetailLevel): Promise<SharedAnswer | undefined> {
    const key = dataKey(orderKey);
    const replies = await safely('get', () => redis.multi().get(key).pttl(key).exec(), null);
    const raw = replies?.[0]?.[1];
    const ttl = replies?.[1]?.[1];
    const status = decode(typeof raw === 'string' ? raw : null);
    if (status === undefined || !covers(status.level, need)) return undefined;
    return { status, ttlMs: typeof ttl === 'number' && ttl > 0 ? ttl : 0 };
  }

  async function write(orderKey: string, status: OrderStatus): Promise<void> {
    // Keep a stored answer that is strictly more detailed (another replica fetched more).
    const existing = decode(await safely('get', () => redis.get(dataKey(orderKey)), null));
    if (existing !== undefined && covers(existing.level, status.level) && !covers(status.level, existing.level)) return;
    const value: Stored = { status };
    await safely('set', () => redis.set(dataKey(orderKey), JSON.stringify(value), 'PX', options.ttlMs), null);
  }

  async function acquire(orderKey: string, token: string): Promise<'ours' | 'theirs' | 'unavailable'> {
    if (!ready) return 'unavailable';
    try {
      const reply = await redis.set(lockKey(orderKey), token, 'PX', options.lockMs, 'NX');
      return reply === 'OK' ? 'ours' : 'theirs';
    } catch (error) {
      events.error?.('lock', error);
      return 'unavailable';
    }
  }

  async function fetchAndShare(orderKey: string, fetch: () => Promise<OrderStatus>): Promise<SharedOutcome> {
    const status = await fetch();
    await write(orderKey, status);
    return { status, source: 'upstream', ttlMs: options.ttlMs };
  }

  return {
    connected: () => ready,

    get: read,

    async singleFlight(orderKey, need, fetch) {
      const token = randomBytes(12).toString('base64url');
      const lock = await acquire(orderKey, token);
      // Ours: fetch and share. Redis unavailable: no coordination, just fetch.
      if (lock !== 'theirs') {
        try {
          return await fetchAndShare(orderKey, fetch);
        } finally {
          if (lock === 'ours') await safely('unlock', () => redis.eval(RELEASE, 1, lockKey(orderKey), token), null);
        }
      }
      // Wait for the holder's answer, at most as long as its lock can live.
      const until = performance.now() + options.lockMs;
      while (performance.now() < until && ready) {
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        const shared = await read(orderKey, need);
        if (shared !== undefined) return { ...shared, source: 'shared' };
        const held = await safely('lock-check', () => redis.exists(lockKey(orderKey)), 0);
        if (held === 0) break;
      }
      // The holder failed, gave up, or fetched a lower level: fetch ourselves.
      return fetchAndShare(orderKey, fetch);
    },

    async close() {
      redis.disconnect();
    },
  };
}
