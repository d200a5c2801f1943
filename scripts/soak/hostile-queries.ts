/**
 * The hostile clients' requests, built from ids: poison orders in many
 * shapes, requests just over ORDERS_MAX_IDS (each must be refused before any
 * upstream call) and just at it (each must be allowed).
 */
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { gql, type GraphQLBody, type Send } from './requests.js';

export const range = (n: number, from: number) => Array.from({ length: n }, (_, i) => String(from + i));
export const reps = (ids: readonly string[]) => ids.map((orderNumber) => ({ __typename: 'Order', orderNumber }));
export const zeros = (id: string, n: number) => `${'0'.repeat(n)}${id}`;

/** A request for a poison order, in one of five shapes: lists, aliases, `_entities`, beside a healthy order, alone. */
export function poisonQuery(n: number, orderNumber: string, leadingZeros: number): Send {
  const spelled = zeros(orderNumber, leadingZeros);
  switch (n % 5) {
    case 0:
      return gql(`{ orders(orderNumbers: ${JSON.stringify([orderNumber, zeros(orderNumber, 1), zeros(orderNumber, 3)])}) { status } }`);
    case 1:
      return gql(`{ a: order(orderNumber: "${orderNumber}") { status } b: order(orderNumber: "${zeros(orderNumber, 2)}") { status } }`);
    case 2:
      return gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { status } } }`, {
        r: reps([spelled, zeros(orderNumber, 4)]),
      });
    case 3:
      // A poison order beside a healthy one: the healthy one must still be answered.
      return gql(`{ orders(orderNumbers: ["${spelled}", "${DEMO_ORDERS.dvIssued}"]) { status } }`);
    default:
      return gql(`{ order(orderNumber: "${spelled}") { status } }`);
  }
}

/** One of five shapes of a request for maxIds + 1 distinct orders (or spellings), all from `refusedIds`. */
export function overBudgetQuery(n: number, maxIds: number, refusedIds: (n: number) => string[]): Send {
  switch (n % 5) {
    case 0:
      // Nested named fragments, aliased: 60 + 60 distinct.
      return gql(
        `query($r: [_Any!]!, $s: [_Any!]!) { ...Outer } fragment Outer on Query { ...Inner b: _entities(representations: $s) { __typename } } fragment Inner on Query { a: _entities(representations: $r) { ... on Order { status } } }`,
        { r: reps(refusedIds(60)), s: reps(refusedIds(60)) },
      );
    case 1:
      // One list one over the budget, in an inline fragment.
      return gql(`query($r: [_Any!]!) { ... { _entities(representations: $r) { ... on Order { status } } } }`, {
        r: reps(refusedIds(maxIds + 1)),
      });
    case 2: {
      // Three aliased literal lists, 34 each.
      const literal = (ids: string[]) => JSON.stringify(reps(ids)).replace(/"(__typename|orderNumber)"/g, '$1');
      const fields = [0, 1, 2].map(
        (i) => `e${i}: _entities(representations: ${literal(refusedIds(Math.ceil((maxIds + 1) / 3)))}) { ... on Order { status } }`,
      );
      return gql(`{ ... on Query { ${fields.join(' ')} } }`);
    }
    case 3: {
      // One order spelled maxIds + 1 ways: the list is over the budget however few orders it names.
      const [id] = refusedIds(1) as [string];
      return gql(`query($r: [_Any!]!) { ...E } fragment E on Query { x: _entities(representations: $r) { __typename } }`, {
        r: reps(Array.from({ length: maxIds + 1 }, (_, i) => zeros(id, i % 20))),
      });
    }
    default: {
      // Across root fields: orders + _entities, maxIds + 1 distinct.
      const half = Math.floor(maxIds / 2);
      return gql(
        `query($r: [_Any!]!) { orders(orderNumbers: ${JSON.stringify(refusedIds(half))}) { status } ... { _entities(representations: $r) { ... on Order { status } } } }`,
        {
          r: reps(refusedIds(maxIds + 1 - half)),
        },
      );
    }
  }
}

/** maxIds distinct orders over two aliased, fragment-wrapped `_entities` (one list spelling them with leading zeros, or the other half). */
export function atBudgetQuery(n: number, ids: readonly string[]): Send {
  const half = Math.floor(ids.length / 2);
  return n % 2 === 0
    ? gql(
        `query($r: [_Any!]!, $s: [_Any!]!) { ... { a: _entities(representations: $r) { ... on Order { status } } } ...F } fragment F on Query { b: _entities(representations: $s) { ... on Order { status } } }`,
        { r: reps(ids), s: reps(ids.map((id, i) => zeros(id, 1 + (i % 3)))) },
      )
    : gql(
        `query($r: [_Any!]!, $s: [_Any!]!) { ... on Query { a: _entities(representations: $r) { ... on Order { status } } } ...F } fragment F on Query { ... { b: _entities(representations: $s) { ... on Order { orderNumber } } } }`,
        { r: reps(ids.slice(0, half)), s: reps(ids.slice(half).map((id) => zeros(id, 2))) },
      );
}

/** Counts the entries of every list in `data`: answered, or null (failed). */
export function countOrders(body: GraphQLBody | undefined, into: { answered: number; failed: number }): void {
  for (const value of Object.values(body?.data ?? {})) {
    if (!Array.isArray(value)) continue;
    for (const item of value) {
      if (item === null) into.failed += 1;
      else into.answered += 1;
    }
  }
}
