/**
 * The cross-request side of loading: one bounded LRU cache of answers per
 * process, in-flight coalescing, and a cap on concurrent upstream calls.
 *
 * An answer is cached at the level it was fetched at and serves every level
 * it covers. A need the cached answer does not cover is fetched at the join
 * of both levels, so the entry only ever grows. Concurrent needs for the same
 * order share one in-flight call when its level covers them, whichever
 * GraphQL request started it. Failures are not cached.
 *
 * Keys carry an account key (a hash of the upstream URL and login name,
 * never the password) so two accounts never share an answer.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import type { SectigoClient } from '../sectigo/client.js';
import { covers, joinLevels, type DetailLevel } from '../sectigo/detail.js';
import type { OrderStatus } from '../sectigo/domain.js';
import { SectigoError } from '../sectigo/errors.js';
import type { SharedTier } from './shared-tier.js';
import { byOrderNumber, isOrderNumber, orderRefKey, type OrderRef } from '../sectigo/ids.js';

export interface AnswerCacheOptions {
  /** 0 turns the cache off. */
  readonly ttlMs: number;
  readonly maxBytes: number;
  /** Milliseconds, monotonic; injectable for tests. */
  readonly now?: () => number;
  /** For metrics: an entry pushed out by the byte bound (not by expiry). */
  readonly onEvict?: () => void;
}

export interface OrderStoreOptions {
  readonly client: SectigoClient;
  /** Serve an answer up to this long past its TTL when the upstream is unavailable; 0 = never. */
  readonly staleIfErrorMs?: number;
  /** The cache's clock (monotonic ms), to age answers for stale-if-error. */
  readonly now?: () => number;
  /** From `accountKey()`: separates the entries of different upstream accounts in a shared cache. */
  readonly accountKey: string;
  /** Null: no cross-request cache (coalescing stays on). May be shared by several stores. */
  readonly cache: AnswerCache | null;
  /** Upstream calls in flight at most; the rest wait in order. */
  readonly maxConcurrency: number;
  /** Optional second tier shared by replicas (Redis), behind the in-process cache. */
  readonly shared?: SharedTier;
}

/**
 * Where an answer came from. `shared`: another replica's answer from the
 * shared tier. `stale`: past its TTL, served because the upstream is unavailable.
 */
export type LoadSource = 'cache' | 'shared' | 'coalesced' | 'upstream' | 'stale';

export interface Loaded {
  readonly status: OrderStatus;
  readonly source: LoadSource;
  /** How much longer the cache will serve this answer (0 when it is not cached): the basis of cache hints. */
  readonly freshForMs: number;
}

export interface OrderStore {
  get(ref: OrderRef, need: DetailLevel): Promise<Loaded>;
  /** Current figures, for metrics and tests. */
  stats(): OrderStoreStats;
}

export interface OrderStoreStats {
  readonly entries: number;
  readonly bytes: number;
  readonly inFlight: number;
  readonly queued: number;
}

export interface CacheEntry {
  readonly status: OrderStatus;
  readonly size: number;
  /** On the cache's clock. */
  readonly fetchedAt: number;
}

/** Cached answers by account and order, bounded by bytes and TTL. */
export type AnswerCache = LRUCache<string, CacheEntry>;

export function createAnswerCache(options: AnswerCacheOptions): AnswerCache | null {
  if (options.ttlMs <= 0) return null;
  return new LRUCache<string, CacheEntry>({
    maxSize: Math.max(1, options.maxBytes),
    sizeCalculation: (entry) => entry.size,
    ttl: options.ttlMs,
    updateAgeOnGet: false,
    // Expired entries stay (until pushed out by size) so stale-if-error can use them.
    noDeleteOnStaleGet: true,
    ...(options.now === undefined ? {} : { perf: { now: options.now } }),
    dispose: (_entry, _key, reason) => {
      if (reason === 'evict') options.onEvict?.();
    },
  });
}

interface Fetched {
  readonly status: OrderStatus;
  readonly source: 'shared' | 'upstream';
  readonly ttlMs: number;
}

interface InFlight {
  readonly level: DetailLevel;
  readonly promise: Promise<Fetched>;
}

/** A stable, non-reversible key for an upstream account. The password is not part of it. */
export function accountKey(url: URL, loginName: string): string {
  return createHash('sha256').update(`${url.href}\n${loginName}`).digest('base64url').slice(0, 22);
}

export function createOrderStore(options: OrderStoreOptions): OrderStore {
  const now = options.now ?? (() => performance.now());
  const staleIfErrorMs = options.staleIfErrorMs ?? 0;
  const limit = pLimit(options.maxConcurrency);
  const inFlight = new Map<string, InFlight[]>();
  const cache = options.cache;

  const keyOf = (ref: OrderRef) => `${options.accountKey}|${orderRefKey(ref)}`;

  function remember(ref: OrderRef, fetched: Fetched): void {
    if (cache === null || fetched.ttlMs <= 0) return;
    const { status } = fetched;
    // An answer from the shared tier is as old there as here: keep only its remaining life.
    const entry = { status, size: estimateSize(status), fetchedAt: now() - (cache.ttl - Math.min(cache.ttl, fetched.ttlMs)) };
    store(keyOf(ref), entry, fetched.ttlMs);
    // An answer fetched by certificate id also answers its order number.
    const orderNumber = status.order.orderNumber;
    if (ref.kind === 'certificateId' && orderNumber !== null && isOrderNumber(orderNumber)) {
      store(keyOf(byOrderNumber(orderNumber)), entry, fetched.ttlMs);
    }
  }

  function store(key: string, entry: CacheEntry, ttlMs: number): void {
    if (cache === null) return;
    const existing = cache.get(key);
    if (existing !== undefined && covers(existing.status.level, entry.status.level)) return;
    cache.set(key, entry, { ttl: Math.min(cache.ttl, ttlMs) });
  }

  function fetch(ref: OrderRef, key: string, level: DetailLevel): Promise<Fetched> {
    const upstream = () => limit(() => options.client.fetchOrder(ref, level)).then((answer) => answer.status);
    const ttlMs = cache?.ttl ?? 0;
    const shared = options.shared;
    const promise = (async (): Promise<Fetched> => {
      if (shared === undefined) return { status: await upstream(), source: 'upstream', ttlMs };
      const hit = await shared.get(key, level);
      if (hit !== undefined) return { status: hit.status, source: 'shared', ttlMs: hit.ttlMs };
      return shared.singleFlight(key, level, upstream);
    })().then((fetched) => {
      remember(ref, fetched);
      return fetched;
    });
    const flight = { level, promise };
    const flights = inFlight.get(key);
    if (flights === undefined) inFlight.set(key, [flight]);
    else flights.push(flight);
    const settle = () => {
      const remaining = inFlight.get(key)?.filter((f) => f !== flight) ?? [];
      if (remaining.length === 0) inFlight.delete(key);
      else inFlight.set(key, remaining);
    };
    promise.then(settle, settle);
    return promise;
  }

  /** An expired answer young enough to stand in while the upstream is unavailable. */
  function staleAnswer(key: string, need: DetailLevel, error: unknown): OrderStatus | undefined {
    if (cache === null || staleIfErrorMs <= 0) return undefined;
    const unavailable = error instanceof SectigoError && (error.isTransient || error.code === 'SECTIGO_CIRCUIT_OPEN');
    if (!unavailable) return undefined;
    const entry = cache.peek(key, { allowStale: true });
    if (entry === undefined || !covers(entry.status.level, need)) return undefined;
    return now() - entry.fetchedAt <= cache.ttl + staleIfErrorMs ? entry.status : undefined;
  }

  return {
    async get(ref, need) {
      const key = keyOf(ref);
      const cached = cache?.get(key);
      if (cached !== undefined && covers(cached.status.level, need)) {
        return { status: cached.status, source: 'cache', freshForMs: Math.max(0, cache?.getRemainingTTL(key) ?? 0) };
      }
      const flight = inFlight.get(key)?.find((f) => covers(f.level, need));
      if (flight !== undefined) {
        const fetched = await flight.promise;
        return { status: fetched.status, source: 'coalesced', freshForMs: cache === null ? 0 : fetched.ttlMs };
      }
      const level = cached === undefined ? need : joinLevels(cached.status.level, need);
      try {
        const fetched = await fetch(ref, key, level);
        return { status: fetched.status, source: fetched.source, freshForMs: cache === null ? 0 : fetched.ttlMs };
      } catch (error) {
        const stale = staleAnswer(key, need, error);
        if (stale === undefined) throw error;
        return { status: stale, source: 'stale', freshForMs: 0 };
      }
    },
    stats() {
      let flights = 0;
      for (const list of inFlight.values()) flights += list.length;
      return { entries: cache?.size ?? 0, bytes: cache?.calculatedSize ?? 0, inFlight: flights, queued: limit.pendingCount };
    },
  };
}

/**
 * Bytes an answer holds in memory, roughly: its JSON size doubled for
 * UTF-16 strings and object overhead. Only has to be proportional and cheap
 * next to the upstream call that produced it.
 */
function estimateSize(status: OrderStatus): number {
  return JSON.stringify(status).length * 2 + 256;
}
