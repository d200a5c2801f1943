/**
 * The per-request side of loading. One `OrderLoader` lives for one GraphQL
 * request: every order is fetched at most once per request, at the highest
 * level any selection in the request needs.
 *
 * Batch contract: DataLoader keys are (order, level); the batch function
 * groups keys by order, joins their levels, asks the store once per order
 * and answers every key of the group with that one result (an Error per key
 * when it failed), same length and order as the keys. A need that arrives in
 * a later tick reuses any earlier load of the order whose level covers it.
 */
import type { Context } from '@opentelemetry/api';
import DataLoader from 'dataloader';
import { covers, joinLevels, levelKey, type DetailLevel } from '../sectigo/detail.js';
import { orderRefKey, type OrderRef } from '../sectigo/ids.js';
import type { FailedLoadSource, LoadRequester, LoadSource, Loaded, OrderStore } from './order-store.js';

export interface OrderLoader {
  load(ref: OrderRef, need: DetailLevel): Promise<Loaded>;
  /** Where this request's answers came from: for the operation log line. */
  readonly counts: Readonly<Record<LoadSource, number>>;
  /** Loads that ended in an error, by where they were fetched. */
  readonly failures: Readonly<Record<FailedLoadSource, number>>;
  /** Upstream attempts made on this request's behalf (retries and failures included), and how many failed. */
  readonly upstream: { readonly calls: number; readonly failures: number };
  /** Orders answered from stale cache because the upstream was unavailable. */
  readonly staleOrders: readonly string[];
}

interface Key {
  readonly ref: OrderRef;
  readonly level: DetailLevel;
}

/**
 * A request asked for more distinct orders than one request may. The
 * GraphQL layer refuses such requests before execution; this is the
 * backstop for any path that count does not foresee.
 */
export class RequestBudgetExceeded extends Error {
  override readonly name = 'RequestBudgetExceeded';
  constructor(readonly maxOrders: number) {
    super(`One request may ask for at most ${maxOrders} distinct orders (ORDERS_MAX_IDS)`);
  }
}

export interface OrderLoaderOptions {
  /** Distinct orders one request may load at most (ORDERS_MAX_IDS). */
  readonly maxOrders: number;
  /** The trace context the request's order spans go under. */
  readonly traceContext?: () => Context;
}

export function createOrderLoader(store: OrderStore, options: OrderLoaderOptions): OrderLoader {
  const counts: Record<LoadSource, number> = { cache: 0, shared: 0, coalesced: 0, upstream: 0, stale: 0 };
  const failures: Record<FailedLoadSource, number> = { upstream: 0, coalesced: 0 };
  const upstream = { calls: 0, failures: 0 };
  const staleOrders: string[] = [];
  const loads = new Map<string, Array<{ level: DetailLevel; promise: Promise<Loaded> }>>();
  /** This request, as the upstream gate sees it (turns are shared fairly between requests) and counts it. */
  const requester: LoadRequester = {
    onUpstreamCall(event) {
      upstream.calls += 1;
      if (event.outcome !== 'ok') upstream.failures += 1;
    },
    onLoadFailed(source) {
      failures[source] += 1;
    },
    ...(options.traceContext === undefined ? {} : { traceContext: options.traceContext }),
  };

  const loader = new DataLoader<Key, Loaded, string>(
    async (keys) => {
      const groups = new Map<string, { ref: OrderRef; level: DetailLevel }>();
      for (const { ref, level } of keys) {
        const id = orderRefKey(ref);
        const group = groups.get(id);
        groups.set(id, { ref, level: group === undefined ? level : joinLevels(group.level, level) });
      }
      const results = new Map<string, Promise<Loaded | Error>>();
      for (const [id, { ref, level }] of groups) {
        results.set(
          id,
          store.get(ref, level, requester).then(
            (loaded) => {
              counts[loaded.source] += 1;
              if (loaded.source === 'stale') staleOrders.push(ref.kind === 'orderNumber' ? ref.orderNumber : ref.certificateId);
              return loaded;
            },
            (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
          ),
        );
      }
      return Promise.all(keys.map((key) => results.get(orderRefKey(key.ref)) as Promise<Loaded | Error>));
    },
    { cacheKeyFn: (key) => `${orderRefKey(key.ref)}@${levelKey(key.level)}` },
  );

  return {
    counts,
    failures,
    upstream,
    staleOrders,
    load(ref, need) {
      const id = orderRefKey(ref);
      const earlier = loads.get(id)?.find((load) => covers(load.level, need));
      if (earlier !== undefined) return earlier.promise;
      if (!loads.has(id) && loads.size >= options.maxOrders) return Promise.reject(new RequestBudgetExceeded(options.maxOrders));
      const promise = loader.load({ ref, level: need });
      const list = loads.get(id);
      if (list === undefined) loads.set(id, [{ level: need, promise }]);
      else list.push({ level: need, promise });
      return promise;
    },
  };
}
