/**
 * The cross-request side of loading: the store owns one bounded LRU of
 * answers and its clock, in-flight coalescing, and the one deadline of each
 * order's work (deadline.ts).
 *
 * An answer is cached at the level it was fetched at and serves every level
 * it covers. A need no cached level covers is fetched at exactly its own
 * level (the smallest that serves it) and cached beside the others.
 * Concurrent needs for the same order share one in-flight call when its
 * level covers them, whichever GraphQL request started it. Failures are not
 * cached.
 *
 * Keys carry an account key (a hash of the upstream URL and login name,
 * never the password) so two accounts never share an answer.
 */
import { createHash } from 'node:crypto';
import {
  INVALID_SPAN_CONTEXT,
  SpanStatusCode,
  context,
  isSpanContextValid,
  trace,
  type Context,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import { LRUCache } from 'lru-cache';
import type { AnswerSource, HeldAnswer, OrderAnswer } from '../sectigo/answer.js';
import type { Requester, SectigoClient } from '../sectigo/client.js';
import { covers, levelKey, levelsCovering, type DetailLevel } from '../sectigo/detail.js';
import type { OrderStatus } from '../sectigo/domain.js';
import { SectigoError } from '../sectigo/errors.js';
import { createOrderDeadlines } from './deadline.js';
import type { SharedTier } from './shared-tier.js';
import { ATTR, SPAN, tracer } from '../tracing.js';
import { byOrderNumber, orderRefKey, parseOrderNumber, type OrderRef } from '../sectigo/ids.js';

export interface AnswerCacheOptions {
  /** 0 turns the cross-request cache off (coalescing stays on). */
  readonly ttlMs: number;
  readonly maxBytes: number;
  /** For metrics: an entry pushed out by the byte bound (not by expiry). */
  readonly onEvict?: () => void;
}

export interface OrderStoreOptions {
  readonly client: SectigoClient;
  /** From `accountKey()`: separates the entries of different upstream accounts in a shared tier. */
  readonly accountKey: string;
  /** The store's own LRU of answers; absent: no cross-request cache. */
  readonly cache?: AnswerCacheOptions;
  /** The one clock of the cache and of stale-if-error (monotonic ms); injectable for tests. */
  readonly now?: () => number;
  /** Serve an answer up to this long past its TTL when the upstream is unavailable; 0 = never. */
  readonly staleIfErrorMs?: number;
  /** Optional second tier shared by replicas (Redis), behind the in-process cache. */
  readonly shared?: SharedTier;
  /**
   * Total time one order may take: waiting for a turn, another replica's
   * lock, every attempt and back-off. The only deadline on the upstream path.
   */
  readonly deadlineMs?: number;
  /** Aborted when the process is about to stop: work still waiting on Sectigo ends as UPSTREAM_UNAVAILABLE. */
  readonly shutdown?: AbortSignal;
}

/** The sources as spans name them: where the answer was held. */
const SOURCE_IN_SPANS: Record<AnswerSource, string> = {
  cache: 'memory',
  shared: 'redis',
  coalesced: 'coalesced',
  upstream: 'upstream',
  stale: 'stale',
};

export interface OrderStore {
  /**
   * `requester` (one GraphQL request) is who waits for the upstream: turns
   * are fair between requesters, and it hears of every attempt made for it
   * and of where a failed load came from.
   */
  get(ref: OrderRef, need: DetailLevel, requester?: LoadRequester): Promise<OrderAnswer>;
  /**
   * How much longer the entry an answer came from is served, on the store's
   * clock: 0 once it expired, was evicted or replaced by a newer answer.
   */
  heldForMs(held: HeldAnswer): number;
  /** Current figures, for metrics and tests. */
  stats(): OrderStoreStats;
}

/** A failed load came from a fetch of this request's own, or from one it shared. */
export type FailedLoadSource = 'upstream' | 'coalesced';

export interface LoadRequester extends Requester {
  onLoadFailed?(source: FailedLoadSource): void;
  /** The trace context a load's span goes under (the operation's); the active one by default. */
  readonly traceContext?: () => Context;
}

export interface OrderStoreStats {
  readonly entries: number;
  readonly bytes: number;
  /** Orders being fetched (each possibly shared by several requests). */
  readonly inFlight: number;
}

interface CacheEntry {
  /** Unique per entry: what a HeldAnswer names. */
  readonly serial: number;
  readonly status: OrderStatus;
  readonly size: number;
  /** On the store's clock. */
  readonly fetchedAt: number;
}

function createAnswerCache(options: AnswerCacheOptions | undefined, now: () => number): LRUCache<string, CacheEntry> | null {
  if (options === undefined || options.ttlMs <= 0) return null;
  return new LRUCache<string, CacheEntry>({
    maxSize: Math.max(1, options.maxBytes),
    sizeCalculation: (entry) => entry.size,
    ttl: options.ttlMs,
    updateAgeOnGet: false,
    // Expired entries stay (until pushed out by size) so stale-if-error can use them.
    noDeleteOnStaleGet: true,
    perf: { now },
    dispose: (_entry, _key, reason) => {
      if (reason === 'evict') options.onEvict?.();
    },
  });
}

interface InFlight {
  readonly level: DetailLevel;
  /** Settles with the answer as fetched (from Redis or the upstream), once remembered. */
  readonly promise: Promise<OrderAnswer>;
  /** The span of the load that started the fetch: a coalesced load links to it. */
  readonly span: SpanContext;
}

/** A stable, non-reversible key for an upstream account. The password is not part of it. */
export function accountKey(url: URL, loginName: string): string {
  return createHash('sha256').update(`${url.href}\n${loginName}`).digest('base64url').slice(0, 22);
}

export function createOrderStore(options: OrderStoreOptions): OrderStore {
  const now = options.now ?? (() => performance.now());
  const staleIfErrorMs = options.staleIfErrorMs ?? 0;
  const cache = createAnswerCache(options.cache, now);
  const deadlines = createOrderDeadlines({
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    ...(options.shutdown === undefined ? {} : { shutdown: options.shutdown }),
  });
  const inFlight = new Map<string, InFlight[]>();
  let nextSerial = 1;

  const orderKey = (ref: OrderRef) => `${options.accountKey}|${orderRefKey(ref)}`;
  const entryKey = (key: string, level: DetailLevel) => `${key}|${levelKey(level)}`;

  /** Keeps a fetched answer; returns it with how long this cache will serve it. */
  function remember(ref: OrderRef, answer: OrderAnswer, level: DetailLevel): OrderAnswer {
    if (cache === null || answer.freshForMs <= 0) return { ...answer, freshForMs: 0 };
    const { status } = answer;
    // An answer from the shared tier is as old there as here: keep only its remaining life.
    const ttl = Math.min(cache.ttl, answer.freshForMs);
    const entry = { serial: nextSerial++, status, size: estimateSize(status), fetchedAt: now() - (cache.ttl - ttl) };
    const key = orderKey(ref);
    const entryId = entryKey(key, level);
    cache.set(entryId, entry, { ttl });
    // An answer fetched by certificate id also answers its order number.
    const orderNumber = status.order.orderNumber === null ? undefined : parseOrderNumber(status.order.orderNumber);
    if (ref.kind === 'certificateId' && orderNumber !== undefined) {
      cache.set(entryKey(orderKey(byOrderNumber(orderNumber)), level), entry, { ttl });
    }
    // Held only if the cache kept it (an entry larger than the whole cache is not).
    return cache.peek(entryId) === entry
      ? { ...answer, freshForMs: ttl, held: { orderKey: key, need: level, serial: entry.serial } }
      : { ...answer, freshForMs: ttl };
  }

  /** A cached answer at any level that covers the need. */
  function cached(key: string, need: DetailLevel): OrderAnswer | undefined {
    if (cache === null) return undefined;
    for (const level of levelsCovering(need)) {
      const entryId = entryKey(key, level);
      const entry = cache.get(entryId);
      if (entry !== undefined) {
        const held = { orderKey: key, need, serial: entry.serial };
        return { status: entry.status, source: 'cache', freshForMs: Math.max(0, cache.getRemainingTTL(entryId)), held };
      }
    }
    return undefined;
  }

  /** An expired answer young enough to stand in while the upstream is unavailable. */
  function staleAnswer(key: string, need: DetailLevel, error: unknown): OrderAnswer | undefined {
    if (cache === null || staleIfErrorMs <= 0) return undefined;
    // Only for unavailability: an answer from Sectigo (-4, -14, ...) is never hidden.
    if (!(error instanceof SectigoError && error.isUnavailable)) return undefined;
    for (const level of levelsCovering(need)) {
      const entry = cache.peek(entryKey(key, level), { allowStale: true });
      if (entry !== undefined && now() - entry.fetchedAt <= cache.ttl + staleIfErrorMs)
        return { status: entry.status, source: 'stale', freshForMs: 0 };
    }
    return undefined;
  }

  function fetchFromUpstream(ref: OrderRef, key: string, level: DetailLevel, requester: LoadRequester | undefined): Promise<OrderAnswer> {
    const deadline = deadlines.start();
    const { signal } = deadline;
    const call = { signal, ...(requester === undefined ? {} : { requester }) };
    // A fresh upstream answer lives as long as the cache keeps answers.
    const upstream = () =>
      options.client
        .fetchOrder(ref, level, call)
        .then((answer): OrderAnswer => ({ status: answer.status, source: 'upstream', freshForMs: cache?.ttl ?? 0 }));
    const shared = options.shared;
    const promise = (async (): Promise<OrderAnswer> => {
      if (shared === undefined) return upstream();
      return (await shared.get(key, level)) ?? shared.singleFlight(key, level, upstream, signal);
    })().then(
      (answer) => remember(ref, answer, level),
      (error: unknown) => {
        throw deadline.outcome(error);
      },
    );
    const flight = { level, promise, span: trace.getActiveSpan()?.spanContext() ?? INVALID_SPAN_CONTEXT };
    const flights = inFlight.get(key);
    if (flights === undefined) inFlight.set(key, [flight]);
    else flights.push(flight);
    const settle = () => {
      deadline.done();
      const remaining = inFlight.get(key)?.filter((f) => f !== flight) ?? [];
      if (remaining.length === 0) inFlight.delete(key);
      else inFlight.set(key, remaining);
    };
    promise.then(settle, settle);
    return promise;
  }

  async function load(ref: OrderRef, need: DetailLevel, requester: LoadRequester | undefined, span: Span): Promise<OrderAnswer> {
    const key = orderKey(ref);
    const hit = cached(key, need);
    if (hit !== undefined) return hit;
    const flight = inFlight.get(key)?.find((f) => covers(f.level, need));
    if (flight !== undefined && isSpanContextValid(flight.span)) span.addLink({ context: flight.span });
    try {
      // Fetch at exactly the level needed: the contract's smallest level, whatever is cached.
      const fetched = await (flight?.promise ?? fetchFromUpstream(ref, key, need, requester));
      // Held for this need: a later lookup for it may find a smaller covering level first.
      const answer = fetched.held === undefined ? fetched : { ...fetched, held: { ...fetched.held, need } };
      return flight === undefined ? answer : { ...answer, source: 'coalesced' };
    } catch (error) {
      const stale = staleAnswer(key, need, error);
      if (stale !== undefined) return stale;
      const source = flight === undefined ? 'upstream' : 'coalesced';
      span.setAttribute(ATTR.loadSource, source);
      requester?.onLoadFailed?.(source);
      throw error;
    }
  }

  return {
    get(ref, need, requester) {
      const parent = requester?.traceContext?.() ?? context.active();
      const attributes = {
        ...(ref.kind === 'orderNumber' ? { [ATTR.orderNumber]: ref.orderNumber } : { [ATTR.certificateId]: ref.certificateId }),
        [ATTR.queryType]: need.queryType,
        [ATTR.showValidityPeriod]: need.showValidityPeriod,
      };
      // Active while the order is fetched: the attempts' CLIENT spans and the Redis commands go beneath it.
      return tracer().startActiveSpan(SPAN.orderLoad, { attributes }, parent, (span) =>
        load(ref, need, requester, span).then(
          (answer) => {
            span.setAttribute(ATTR.loadSource, SOURCE_IN_SPANS[answer.source]);
            span.end();
            return answer;
          },
          (error: unknown) => {
            const code = error instanceof SectigoError ? error.code : error instanceof Error ? error.name : 'unknown';
            span.setAttribute(ATTR.outcome, code);
            span.setStatus({ code: SpanStatusCode.ERROR, message: code });
            span.end();
            throw error;
          },
        ),
      );
    },
    heldForMs({ orderKey: key, need, serial }) {
      if (cache === null) return 0;
      // The entry a lookup for this need would use now (the first covering level held) must be the same one.
      for (const level of levelsCovering(need)) {
        const entryId = entryKey(key, level);
        const entry = cache.peek(entryId);
        if (entry !== undefined) return entry.serial === serial ? Math.max(0, cache.getRemainingTTL(entryId)) : 0;
      }
      return 0;
    },
    stats() {
      let flights = 0;
      for (const list of inFlight.values()) flights += list.length;
      return { entries: cache?.size ?? 0, bytes: cache?.calculatedSize ?? 0, inFlight: flights };
    },
  };
}

/**
 * Bytes an answer holds on the heap, roughly. Fitted to heap snapshots of
 * cached answers in the bench (BENCHMARKS.md): 1.5 bytes per JSON
 * character plus 2.2 KB of object overhead per entry. The old estimate
 * (2x JSON + 256) undercounted by 1.5-2.2x, so CACHE_MAX_BYTES bounded only
 * about half of what it says. Cheap next to the upstream call it follows.
 */
function estimateSize(status: OrderStatus): number {
  return Math.ceil(JSON.stringify(status).length * 1.5) + 2_200;
}
