/**
 * The per-request side of loading. One `OrderLoader` lives for one GraphQL
 * request: every order is fetched at most once per request, at the highest
 * level any selection in the request needs.
 *
 * Batch contract: DataLoader keys are (order, level); the batch function
 * groups keys by order, joins their levels, asks the store once per order
 * and answers every key of the group with that one result (an Error per key
 * when it failed), same length and order as the keys.
 *
 * The loader's own memo is the only per-request cache (DataLoader's is off):
 * a need reuses any earlier load of the order whose level covers it, which
 * an exact-key cache cannot express.
 */
import type { Context } from '@opentelemetry/api';
import DataLoader from 'dataloader';
import { covers, joinLevels, type DetailLevel } from '../sectigo/detail.js';
import { orderRefKey, type OrderRef } from '../sectigo/ids.js';
import type { AnswerSource, HeldAnswer, OrderAnswer } from '../sectigo/answer.js';
import type { FailedLoadSource, LoadRequester, OrderStore } from './order-store.js';

export interface OrderLoader {
  load(ref: OrderRef, need: DetailLevel): Promise<OrderAnswer>;
  /** Where this request's answers came from: for the operation log line. */
  readonly counts: Readonly<Record<AnswerSource, number>>;
  /** Loads that ended in an error, by where they were fetched. */
  readonly failures: Readonly<Record<FailedLoadSource, number>>;
  /** Upstream attempts made on this request's behalf (retries and failures included), and how many failed. */
  readonly upstream: { readonly calls: number; readonly failures: number };
  /** Orders answered from stale cache because the upstream was unavailable. */
  readonly staleOrders: readonly string[];
  /**
   * The cache entries every answer of this request came from; undefined
   * when any load failed or was served from no entry (stale, or no cache).
   * A response built from these answers is as good as they are, no longer.
   */
  held(): readonly HeldAnswer[] | undefined;
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
  const counts: Record<AnswerSource, number> = { cache: 0, shared: 0, coalesced: 0, upstream: 0, stale: 0 };
  const failures: Record<FailedLoadSource, number> = { upstream: 0, coalesced: 0 };
  const upstream = { calls: 0, failures: 0 };
  const staleOrders: string[] = [];
  const held: HeldAnswer[] = [];
  let unheld = false;
  const loads = new Map<string, Array<{ level: DetailLevel; promise: Promise<OrderAnswer> }>>();
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

  const loader = new DataLoader<Key, OrderAnswer>(
    async (keys) => {
      const groups = new Map<string, { ref: OrderRef; level: DetailLevel }>();
      for (const { ref, level } of keys) {
        const id = orderRefKey(ref);
        const group = groups.get(id);
        groups.set(id, { ref, level: group === undefined ? level : joinLevels(group.level, level) });
      }
      const results = new Map<string, Promise<OrderAnswer | Error>>();
      for (const [id, { ref, level }] of groups) {
        results.set(
          id,
          store.get(ref, level, requester).then(
            (answer) => {
              counts[answer.source] += 1;
              if (answer.held === undefined) unheld = true;
              else held.push(answer.held);
              if (answer.source === 'stale') staleOrders.push(ref.kind === 'orderNumber' ? ref.orderNumber : ref.certificateId);
              return answer;
            },
            (error: unknown) => {
              unheld = true;
              return error instanceof Error ? error : new Error(String(error));
            },
          ),
        );
      }
      return Promise.all(keys.map((key) => results.get(orderRefKey(key.ref)) as Promise<OrderAnswer | Error>));
    },
    { cache: false },
  );

  return {
    counts,
    failures,
    upstream,
    staleOrders,
    held: () => (unheld ? undefined : held),
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
