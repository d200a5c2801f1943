/**
 * One request never asks Sectigo for more than ORDERS_MAX_IDS distinct
 * orders, however the ids arrive; the cost estimate counts the real ids.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

const MAX = 10;
const ids = (n: number, from = 20_000_000) => Array.from({ length: n }, (_, i) => String(from + i));
const reps = (list: readonly string[]) => list.map((orderNumber) => ({ __typename: 'Order', orderNumber }));

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { ORDERS_MAX_IDS: String(MAX), CACHE_TTL_MS: '0', QUERY_MAX_COST: '400' } });
});
afterAll(() => h.close());
beforeEach(() => h.simulator.resetCalls());

async function expectRefused(query: string, variables?: Record<string, unknown>, code = 'BAD_USER_INPUT') {
  const result = await h.query(query, variables);
  expect(result.status).toBe(400);
  expect(result.body.data).toBeUndefined();
  expect(result.body.errors?.[0]?.extensions?.['code']).toBe(code);
  expect(h.simulator.calls).toHaveLength(0);
  return result;
}

describe('the distinct-order budget, refused before any call', () => {
  it('counts _entities aliased several times', async () => {
    const list = JSON.stringify(reps(ids(6))).replace(/"(__typename|orderNumber)"/g, '$1');
    const list2 = JSON.stringify(reps(ids(6, 20_000_100))).replace(/"(__typename|orderNumber)"/g, '$1');
    await expectRefused(
      `{ a: _entities(representations: ${list}) { ... on Order { status } } b: _entities(representations: ${list2}) { ... on Order { status } } }`,
    );
  });

  it('counts _entities inside an inline fragment, with representations in a variable', async () => {
    await expectRefused(`query($r: [_Any!]!) { ... { _entities(representations: $r) { ... on Order { status } } } }`, {
      r: reps(ids(MAX + 1)),
    });
  });

  it('counts _entities inside a named fragment, nested in another', async () => {
    await expectRefused(
      `query($r: [_Any!]!, $s: [_Any!]!) { ...Outer } fragment Outer on Query { ...Inner b: _entities(representations: $s) { __typename } } fragment Inner on Query { a: _entities(representations: $r) { __typename } }`,
      { r: reps(ids(6)), s: reps(ids(6, 20_000_100)) },
    );
  });

  it('counts across root fields: order, orderByCertificateId and orders', async () => {
    await expectRefused(
      `{ order(orderNumber: "30000000") { status } orderByCertificateId(certificateId: "1") { status } orders(orderNumbers: ${JSON.stringify(ids(MAX - 1))}) { status } }`,
    );
  });

  it('counts many aliased single lookups', async () => {
    const fields = ids(MAX + 1).map((id, i) => `o${i}: order(orderNumber: "${id}") { status }`);
    // QUERY_MAX_ALIASES (30) is not what stops this one.
    await expectRefused(`{ ${fields.join(' ')} }`);
  });

  it('refuses one list longer than the budget even when its ids repeat', async () => {
    await expectRefused(`query($o: [ID!]!) { orders(orderNumbers: $o) { status } }`, {
      o: Array.from({ length: MAX + 1 }, () => '20000000'),
    });
  });

  it('allows the budget exactly, counting every spelling of one order once, and makes one call per distinct order', async () => {
    const list = ids(MAX);
    const result = await h.query(
      `query($r: [_Any!]!) { orders(orderNumbers: ${JSON.stringify(list)}) { status } ... { _entities(representations: $r) { ... on Order { status } } } zero: order(orderNumber: "0${list[0]}") { status } }`,
      { r: reps(list.map((id) => `00${id}`)) },
    );
    expect(result.body.errors).toBeUndefined();
    expect(h.simulator.calls.map((c) => c.orderNumber).sort()).toEqual(list);
  });

  it('leaves out what @skip and @include leave out', async () => {
    const result = await h.query(
      `query($r: [_Any!]!, $no: Boolean!) { orders(orderNumbers: ${JSON.stringify(ids(MAX))}) { status } _entities(representations: $r) @include(if: $no) { __typename } }`,
      { r: reps(ids(5, 20_000_100)), no: false },
    );
    expect(result.body.errors).toBeUndefined();
    expect(h.simulator.calls).toHaveLength(MAX);
  });
});

describe('the cost estimate counts real ids', () => {
  const heavy = `status certificates { otherFields { name value } validation { dcv } }`;

  it('accepts a one-id orders query that a list priced at its assumed size would refuse', async () => {
    const result = await h.query(`{ orders(orderNumbers: ["20000000"]) { ${heavy} } }`);
    expect(result.body.errors).toBeUndefined();
    expect(h.simulator.calls).toHaveLength(1);
  });

  it('prices _entities by its representations, not as one order', async () => {
    const one = await h.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { ${heavy} } } }`, { r: reps(ids(1)) });
    expect(one.body.errors).toBeUndefined();
    const refused = await h.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { ${heavy} } } }`, {
      r: reps(ids(MAX, 20_000_200)),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', maxCost: 400 });
    expect(refused.body.errors?.[0]?.extensions?.['cost']).toBeGreaterThan(400);
    expect(h.simulator.calls).toHaveLength(1);
  });
});
