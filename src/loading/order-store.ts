/**
 * The cross-request side of loading: one bounded LRU cache of answers per
 * process, in-flight coalescing, and the one deadline of each order's work.
 *
 * An answer is cached at the level it was fetched at and serves every level
 * it covers. A need no cached level covers is fetched at exactly its own
 * level (the smallest that serves it) and cached beside the others.
 * Concurrent needs for the same
 * order share one in-flight call when its level covers them, whichever
 * GraphQL request started it. Failures are not cached.
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
import type { Requester, SectigoClient } from '../sectigo/client.js';
import { covers, levelKey, levelsCovering, type DetailLevel } from '../sectigo/detail.js';
import type { OrderStatus } from '../sectigo/domain.js';
import { SectigoError } from '../sectigo/errors.js';
import type { SharedTier } from './shared-tier.js';
import { ATTR, SPAN, tracer } from '../tracing.js';
import { byOrderNumber, orderRefKey, parseOrderNumber, type OrderRef } from '../sectigo/ids.js';

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

/**
 * Where an answer came from. `shared`: another replica's answer from the
 * shared tier. `stale`: past its TTL, served because the upstream is unavailable.
 */
export type LoadSource = 'cache' | 'shared' | 'coalesced' | 'upstream' | 'stale';

/** The sources as spans name them: where the answer was held. */
const SOURCE_IN_SPANS: Record<LoadSource, string> = { cache: 'memory', shared: 'redis', coalesced: 'coalesced', upstream: 'upstream', stale: 'stale' };

export interface Loaded {
  readonly status: OrderStatus;
  readonly source: LoadSource;
  /** How much longer the cache will serve this answer (0 when it is not cached): the basis of cache hints. */
  readonly freshForMs: number;
}

export interface OrderStore {
  /**
   * `requester` (one GraphQL request) is who waits for the upstream: turns
   * are fair between requesters, and it hears of every attempt made for it
   * and of where a failed load came from.
   */
  get(ref: OrderRef, need: DetailLevel, requester?: LoadRequester): Promise<Loaded>;
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
  const inFlight = new Map<string, InFlight[]>();
  /** The deadline controllers of orders being fetched: aborted together when the process stops. */
  const abortOnShutdown = new Set<AbortController>();
  options.shutdown?.addEventListener(
    'abort',
    () => {
      for (const controller of abortOnShutdown) controller.abort();
    },
    { once: true },
  );
  const cache = options.cache;

  const orderKey = (ref: OrderRef) => `${options.accountKey}|${orderRefKey(ref)}`;
  const entryKey = (order: string, level: DetailLevel) => `${order}|${levelKey(level)}`;

  function remember(ref: OrderRef, fetched: Fetched, level: DetailLevel): void {
    if (cache === null || fetched.ttlMs <= 0) return;
    const { status } = fetched;
    // An answer from the shared tier is as old there as here: keep only its remaining life.
    const ttl = Math.min(cache.ttl, fetched.ttlMs);
    const entry = { status, size: estimateSize(status), fetchedAt: now() - (cache.ttl - ttl) };
    cache.set(entryKey(orderKey(ref), level), entry, { ttl });
    // An answer fetched by certificate id also answers its order number.
    const orderNumber = status.order.orderNumber === null ? undefined : parseOrderNumber(status.order.orderNumber);
    if (ref.kind === 'certificateId' && orderNumber !== undefined) {
      cache.set(entryKey(orderKey(byOrderNumber(orderNumber)), level), entry, { ttl });
    }
  }

  /** A cached answer at any level that covers the need. */
  function cached(order: string, need: DetailLevel): { status: OrderStatus; freshForMs: number } | undefined {
    if (cache === null) return undefined;
    for (const level of levelsCovering(need)) {
      const key = entryKey(order, level);
      const entry = cache.get(key);
      if (entry !== undefined) return { status: entry.status, freshForMs: Math.max(0, cache.getRemainingTTL(key)) };
    }
    return undefined;
  }

  /** An expired answer young enough to stand in while the upstream is unavailable. */
  function staleAnswer(order: string, need: DetailLevel, error: unknown): OrderStatus | undefined {
    if (cache === null || staleIfErrorMs <= 0) return undefined;
    // Only for unavailability: an answer from Sectigo (-4, -14, ...) is never hidden.
    if (!(error instanceof SectigoError && error.isUnavailable)) return undefined;
    for (const level of levelsCovering(need)) {
      const entry = cache.peek(entryKey(order, level), { allowStale: true });
      if (entry !== undefined && now() - entry.fetchedAt <= cache.ttl + staleIfErrorMs) return entry.status;
    }
    return undefined;
  }

  function fetchFromUpstream(ref: OrderRef, order: string, level: DetailLevel, requester: LoadRequester | undefined): Promise<Fetched> {
    // The one deadline for everything this order may wait on: its turn at
    // the gate, another replica's lock, the attempts and the back-offs. A
    // controller of our own (not AbortSignal.any over the long-lived shutdown
    // signal, which keeps a reference per order on it), cleared when the
    // order settles.
    const controller = new AbortController();
    let pastDeadline = false;
    const timer =
      options.deadlineMs === undefined
        ? undefined
        : setTimeout(() => {
            pastDeadline = true;
            controller.abort();
          }, options.deadlineMs);
    abortOnShutdown.add(controller);
    if (options.shutdown?.aborted === true) controller.abort();
    const signal = controller.signal;
    /** Our own abort as the error the client sees; an error of the upstream's passes through. */
    const settled = (error: unknown): unknown => {
      if (error instanceof SectigoError && !error.isUnavailable) return error;
      if (options.shutdown?.aborted === true) {
        return new SectigoError('SECTIGO_CANCELLED', 'The subgraph is shutting down; the order was given up', { cause: error });
      }
      if (pastDeadline && !(error instanceof SectigoError)) {
        return new SectigoError('SECTIGO_TIMEOUT', `Sectigo did not answer within the ${options.deadlineMs ?? 0} ms deadline (waiting included)`);
      }
      return error;
    };
    const call = { signal, ...(requester === undefined ? {} : { requester }) };
    const upstream = () => options.client.fetchOrder(ref, level, call).then((answer) => answer.status);
    const ttlMs = cache?.ttl ?? 0;
    const shared = options.shared;
    const promise = (async (): Promise<Fetched> => {
      if (shared === undefined) return { status: await upstream(), source: 'upstream', ttlMs };
      const hit = await shared.get(order, level);
      if (hit !== undefined) return { status: hit.status, source: 'shared', ttlMs: hit.ttlMs };
      return shared.singleFlight(order, level, upstream, signal);
    })().then(
      (fetched) => {
        remember(ref, fetched, level);
        return fetched;
      },
      (error: unknown) => Promise.reject(settled(error)),
    );
    const flight = { level, promise, span: trace.getActiveSpan()?.spanContext() ?? INVALID_SPAN_CONTEXT };
    const flights = inFlight.get(order);
    if (flights === undefined) inFlight.set(order, [flight]);
    else flights.push(flight);
    const settle = () => {
      clearTimeout(timer);
      abortOnShutdown.delete(controller);
      const remaining = inFlight.get(order)?.filter((f) => f !== flight) ?? [];
      if (remaining.length === 0) inFlight.delete(order);
      else inFlight.set(order, remaining);
    };
    promise.then(settle, settle);
    return promise;
  }

  async function load(ref: OrderRef, need: DetailLevel, requester: LoadRequester | undefined, span: Span): Promise<Loaded> {
    const order = orderKey(ref);
    const hit = cached(order, need);
    if (hit !== undefined) return { status: hit.status, source: 'cache', freshForMs: hit.freshForMs };
    const flight = inFlight.get(order)?.find((f) => covers(f.level, need));
    if (flight !== undefined && isSpanContextValid(flight.span)) span.addLink({ context: flight.span });
    try {
      // Fetch at exactly the level needed: the contract's smallest level, whatever is cached.
      const fetched = await (flight?.promise ?? fetchFromUpstream(ref, order, need, requester));
      const freshForMs = cache === null ? 0 : fetched.ttlMs;
      return { status: fetched.status, source: flight === undefined ? fetched.source : 'coalesced', freshForMs };
    } catch (error) {
      const stale = staleAnswer(order, need, error);
      if (stale === undefined) {
        const source = flight === undefined ? 'upstream' : 'coalesced';
        span.setAttribute(ATTR.loadSource, source);
        requester?.onLoadFailed?.(source);
        throw error;
      }
      return { status: stale, source: 'stale', freshForMs: 0 };
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
          (loaded) => {
            span.setAttribute(ATTR.loadSource, SOURCE_IN_SPANS[loaded.source]);
            span.end();
            return loaded;
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
