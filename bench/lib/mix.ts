/**
 * The operation mix of the upstream-cost workload, and the model that says
 * how many upstream calls it costs at the least.
 *
 * The mix is what a reseller portal and a router in front of it send: single
 * order badges, order lists with repeats, `_entities` batches the router
 * makes for orders referenced by another subgraph, expiry (validity) and
 * validation-progress pages, and replacement lookups. Orders are drawn from
 * one account's working set with a Zipf popularity (a few orders are looked
 * at far more often than the rest), so lists repeat orders and operations
 * repeat each other's orders, as real traffic does. The mix is seeded: the
 * same on every run and machine.
 */
import { covers, joinLevels, levelKey, type DetailLevel } from '../../src/sectigo/detail.js';
import { integerBetween, prng } from './stats.js';

export type OperationKind = 'single' | 'list' | 'entities' | 'validity' | 'validation' | 'replacement';

export interface MixOperation {
  readonly kind: OperationKind;
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
  /** The order numbers the operation names, in order, duplicates included. */
  readonly orderNumbers: readonly string[];
  /** What the selection needs upstream (the planner's answer for it). */
  readonly level: DetailLevel;
}

export const QUERIES: Readonly<Record<OperationKind, string>> = {
  single: 'query OrderBadge($n: ID!) { order(orderNumber: $n) { orderNumber status certificates { type status domains } } }',
  list: 'query OrderList($ns: [ID!]!) { orders(orderNumbers: $ns) { orderNumber status certificates { status } } }',
  entities: 'query($r:[_Any!]!){ _entities(representations:$r){ ... on Order { status certificates { validation { dcv } } } } }',
  validity: 'query Expiry($n: ID!) { order(orderNumber: $n) { orderNumber certificates { validity { notAfter } } } }',
  validation: 'query Progress($n: ID!) { order(orderNumber: $n) { orderNumber certificates { validation { dcv caa ovCallBack } } } }',
  replacement: 'query Replaced($n: ID!) { order(orderNumber: $n) { orderNumber status replacementOrders { orderNumber status } } }',
};

const LEVELS: Readonly<Record<OperationKind, DetailLevel>> = {
  single: { queryType: 0, showValidityPeriod: false },
  list: { queryType: 0, showValidityPeriod: false },
  entities: { queryType: 1, showValidityPeriod: false },
  validity: { queryType: 0, showValidityPeriod: true },
  validation: { queryType: 1, showValidityPeriod: false },
  replacement: { queryType: 2, showValidityPeriod: false },
};

/** Share of each kind in the mix. */
export const WEIGHTS: Readonly<Record<OperationKind, number>> = {
  single: 0.35,
  list: 0.15,
  entities: 0.15,
  validity: 0.1,
  validation: 0.15,
  replacement: 0.1,
};

export interface MixOptions {
  readonly operations: number;
  /** Distinct synthetic orders in the account's working set. */
  readonly workingSet: number;
  /** Zipf exponent of order popularity. */
  readonly zipf: number;
  readonly seed: number;
  /** First synthetic order number of the working set. */
  readonly firstOrder: number;
}

/** The demo order that has replacement orders (1000011, 1000012). */
export const REPLACED_DEMO_ORDER = '1000010';

export function buildMix(options: MixOptions): MixOperation[] {
  const random = prng(options.seed);
  const cumulative: number[] = [];
  let sum = 0;
  for (let k = 0; k < options.workingSet; k++) {
    sum += 1 / (k + 1) ** options.zipf;
    cumulative.push(sum);
  }
  const pick = (): string => {
    const target = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    return String(options.firstOrder + lo);
  };
  const kinds = Object.keys(WEIGHTS) as OperationKind[];
  const pickKind = (): OperationKind => {
    let r = random();
    for (const kind of kinds) {
      r -= WEIGHTS[kind];
      if (r < 0) return kind;
    }
    return kinds[kinds.length - 1] as OperationKind;
  };

  const mix: MixOperation[] = [];
  for (let i = 0; i < options.operations; i++) {
    const kind = pickKind();
    const level = LEVELS[kind];
    const query = QUERIES[kind];
    switch (kind) {
      case 'list': {
        const ids = Array.from({ length: integerBetween(random, 20, 100) }, pick);
        mix.push({ kind, query, level, orderNumbers: ids, variables: { ns: ids } });
        break;
      }
      case 'entities': {
        const ids = Array.from({ length: integerBetween(random, 10, 50) }, pick);
        mix.push({
          kind,
          query,
          level,
          orderNumbers: ids,
          variables: { r: ids.map((orderNumber) => ({ __typename: 'Order', orderNumber })) },
        });
        break;
      }
      case 'replacement': {
        // Replacement lookups are about orders that were replaced: a third of them the demo order that has some.
        const id = random() < 1 / 3 ? REPLACED_DEMO_ORDER : pick();
        mix.push({ kind, query, level, orderNumbers: [id], variables: { n: id } });
        break;
      }
      default: {
        const id = pick();
        mix.push({ kind, query, level, orderNumbers: [id], variables: { n: id } });
      }
    }
  }
  return mix;
}

/**
 * The least number of upstream calls each operation can cost, run in order
 * against one cache that starts empty (and never expires or evicts in this
 * workload): one per distinct order whose cached answer does not cover the
 * level the operation needs. A cached answer that falls short is fetched
 * again at the join of both levels, as the subgraph does.
 */
export function lowerBounds(mix: readonly MixOperation[]): number[] {
  const cached = new Map<string, DetailLevel>();
  return mix.map((operation) => {
    let calls = 0;
    for (const id of new Set(operation.orderNumbers)) {
      const have = cached.get(id);
      if (have !== undefined && covers(have, operation.level)) continue;
      calls += 1;
      cached.set(id, have === undefined ? operation.level : joinLevels(have, operation.level));
    }
    return calls;
  });
}

/** Upstream calls within each operation alone (no cache across operations): its distinct orders. */
export function distinctPerOperation(mix: readonly MixOperation[]): number[] {
  return mix.map((operation) => new Set(operation.orderNumbers).size);
}

export interface MixSummary {
  readonly operations: number;
  readonly byKind: Readonly<Record<string, number>>;
  readonly orderReferences: number;
  readonly distinctOrders: number;
  readonly levels: Readonly<Record<string, number>>;
}

export function summarise(mix: readonly MixOperation[]): MixSummary {
  const byKind: Record<string, number> = {};
  const levels: Record<string, number> = {};
  const distinct = new Set<string>();
  let references = 0;
  for (const operation of mix) {
    byKind[operation.kind] = (byKind[operation.kind] ?? 0) + 1;
    levels[levelKey(operation.level)] = (levels[levelKey(operation.level)] ?? 0) + 1;
    references += operation.orderNumbers.length;
    for (const id of operation.orderNumbers) distinct.add(id);
  }
  return { operations: mix.length, byKind, orderReferences: references, distinctOrders: distinct.size, levels };
}
