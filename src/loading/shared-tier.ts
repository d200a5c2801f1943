/**
 * The optional second cache tier on Redis, shared by every replica.
 *
 * - Answers are stored as JSON under their level, with the cache TTL; a
 *   need is served by any stored level that covers it.
 * - Keys carry the account key (a hash of upstream URL and login, never the
 *   password) in a hash tag: `<prefix>:v2:{<account>|<order ref>}|<level>`,
 *   and the lock `<prefix>:v2:{<account>|<order ref>}|lock|<level>`. Every
 *   key of one order is in one slot, so on a Redis Cluster the MULTI that
 *   reads all its levels never crosses slots.
 * - Cold fetches are single-flight across replicas: the first replica takes
 *   a short lock on (order, level) with `SET NX PX`; the others wait for its
 *   answer to appear (bounded by the lock and the caller's deadline) and
 *   fetch themselves only if it does not. A lock whose holder died expires.
 * - Redis is never on the critical path for longer than a command timeout:
 *   when it is down, slow or flapping, every operation reports a miss and
 *   the subgraph carries on from memory and the upstream; ioredis reconnects
 *   in the background.
 */
import { randomBytes } from 'node:crypto';
import type { RedisConnection } from '../coordination/redis.js';
import { levelKey, levelsCovering, type DetailLevel } from '../sectigo/detail.js';
import type { OrderAnswer } from '../sectigo/answer.js';
import type { OrderStatus } from '../sectigo/domain.js';

export interface SharedTierOptions {
  readonly redis: RedisConnection;
  readonly keyPrefix: string;
  readonly ttlMs: number;
  /** How long a replica may hold the single-flight lock (covers the upstream deadline). */
  readonly lockMs: number;
  /** How often a waiting replica looks for the lock holder's answer. */
  readonly pollMs?: number;
  readonly events?: SharedTierEvents;
}

export interface SharedTierEvents {
  error?(operation: string, error: unknown): void;
}

export interface SharedTier {
  /**
   * A stored answer whose level covers `need` (source `shared`, fresh for
   * its remaining life in Redis), or undefined (also when Redis is unavailable).
   */
  get(orderKey: string, need: DetailLevel): Promise<OrderAnswer | undefined>;
  /**
   * Runs `fetchAnswer` for a cold order at `level` unless another replica already
   * is, in which case its answer is awaited (bounded by the lock's life and
   * `deadline`) and returned instead.
   */
  singleFlight(orderKey: string, level: DetailLevel, fetchAnswer: () => Promise<OrderAnswer>, deadline?: AbortSignal): Promise<OrderAnswer>;
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
  const connection = options.redis;
  const safely = <T>(operation: string, run: (client: RedisConnection['client']) => Promise<T>, fallback: T) =>
    connection.safely(operation, run, fallback);

  const dataKey = (orderKey: string, level: DetailLevel) => `${options.keyPrefix}:v2:{${orderKey}}|${levelKey(level)}`;
  const lockKey = (orderKey: string, level: DetailLevel) => `${options.keyPrefix}:v2:{${orderKey}}|lock|${levelKey(level)}`;

  function decode(raw: string | null): OrderStatus | undefined {
    if (raw === null) return undefined;
    try {
      return (JSON.parse(raw) as Stored).status;
    } catch (error) {
      events.error?.('decode', error);
      return undefined;
    }
  }

  /** A stored answer at any level covering `need`, with its remaining life, in one round trip. */
  async function read(orderKey: string, need: DetailLevel): Promise<OrderAnswer | undefined> {
    const levels = levelsCovering(need);
    const replies = await safely(
      'get',
      (redis) => {
        const batch = redis.multi();
        for (const level of levels) batch.get(dataKey(orderKey, level)).pttl(dataKey(orderKey, level));
        return batch.exec();
      },
      null,
    );
    for (let i = 0; i < levels.length; i += 1) {
      const raw = replies?.[2 * i]?.[1];
      const ttl = replies?.[2 * i + 1]?.[1];
      const status = decode(typeof raw === 'string' ? raw : null);
      if (status !== undefined) return { status, source: 'shared', freshForMs: typeof ttl === 'number' && ttl > 0 ? ttl : 0 };
    }
    return undefined;
  }

  async function write(orderKey: string, status: OrderStatus): Promise<void> {
    const value: Stored = { status };
    await safely('set', (redis) => redis.set(dataKey(orderKey, status.level), JSON.stringify(value), 'PX', options.ttlMs), null);
  }

  async function acquire(orderKey: string, level: DetailLevel, token: string): Promise<'ours' | 'theirs' | 'unavailable'> {
    const reply = await safely('lock', (redis) => redis.set(lockKey(orderKey, level), token, 'PX', options.lockMs, 'NX'), undefined);
    return reply === undefined ? 'unavailable' : reply === 'OK' ? 'ours' : 'theirs';
  }

  async function fetchAndShare(orderKey: string, fetchAnswer: () => Promise<OrderAnswer>): Promise<OrderAnswer> {
    const answer = await fetchAnswer();
    await write(orderKey, answer.status);
    return { ...answer, freshForMs: options.ttlMs };
  }

  return {
    connected: () => connection.connected(),

    get: read,

    async singleFlight(orderKey, level, fetchAnswer, deadline) {
      const token = randomBytes(12).toString('base64url');
      const lock = await acquire(orderKey, level, token);
      // Ours: fetch and share. Redis unavailable: no coordination, just fetch.
      if (lock !== 'theirs') {
        try {
          return await fetchAndShare(orderKey, fetchAnswer);
        } finally {
          if (lock === 'ours') await safely('unlock', (redis) => redis.eval(RELEASE, 1, lockKey(orderKey, level), token), null);
        }
      }
      // Wait for the holder's answer, at most as long as its lock can live and our deadline allows.
      const until = performance.now() + options.lockMs;
      while (performance.now() < until && connection.available() && deadline?.aborted !== true) {
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        const shared = await read(orderKey, level);
        if (shared !== undefined) return shared;
        const held = await safely('lock-check', (redis) => redis.exists(lockKey(orderKey, level)), 0);
        if (held === 0) break;
      }
      // The holder failed or gave up: fetch ourselves (fetchAnswer honours the deadline).
      return fetchAndShare(orderKey, fetchAnswer);
    },

    async close() {},
  };
}
