/**
 * A client's mistakes are the client's: 4xx with their own codes, never
 * INTERNAL_SERVER_ERROR, never an error-level log line, never a dead process.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { startHarness, type Harness } from '../support/harness.js';

const DV = DEMO_ORDERS.dvIssued;
const UNKNOWN = '4040404';
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { orderNumber status } } }`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { CACHE_TTL_MS: '0', QUERY_MAX_TOKENS: '60' } });
});
afterAll(() => h.close());
beforeEach(() => {
  h.simulator.resetCalls();
  h.logs.length = 0;
});

function errorLevelLines(): string[] {
  return h.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
}

describe('_entities with representations a router would never send', () => {
  it('survives a representation without __typename next to an order that fails, nulling each entry on its own', async () => {
    const result = await h.query(ENTITIES, {
      r: [{ __typename: 'Order', orderNumber: UNKNOWN }, { orderNumber: DV }, { __typename: 'Order', orderNumber: DV }],
    });
    expect(result.status).toBe(200);
    expect(result.body.data?.['_entities']).toEqual([null, null, { orderNumber: DV, status: 'Issued' }]);
    const byPath = Object.fromEntries((result.body.errors ?? []).map((e) => [JSON.stringify(e.path), e.extensions?.['code']]));
    expect(byPath).toEqual({ '["_entities",0]': 'NOT_FOUND', '["_entities",1]': 'BAD_USER_INPUT' });
    expect(h.simulator.calls.map((c) => c.orderNumber).sort()).toEqual([DV, UNKNOWN].sort());
    // Still serving.
    expect((await h.query(`{ order(orderNumber: "${DV}") { status } }`)).body.data).toEqual({ order: { status: 'Issued' } });
  });

  it.each([
    ['an unknown __typename', { __typename: 'Nope', orderNumber: DV }],
    ['a non-entity type', { __typename: 'Certificate', orderNumber: DV }],
    ['a __typename that is not a string', { __typename: 7, orderNumber: DV }],
    ['a representation that is not an object', 'Order:1000001'],
    ['an array', ['Order', DV]],
  ])('answers BAD_USER_INPUT at its own index for %s', async (_name, representation) => {
    const result = await h.query(ENTITIES, { r: [{ __typename: 'Order', orderNumber: DV }, representation] });
    expect(result.status).toBe(200);
    expect(result.body.data?.['_entities']).toEqual([{ orderNumber: DV, status: 'Issued' }, null]);
    expect(result.body.errors).toHaveLength(1);
    expect(result.body.errors?.[0]).toMatchObject({ path: ['_entities', 1], extensions: { code: 'BAD_USER_INPUT' } });
    expect(h.simulator.calls).toHaveLength(1);
    expect(errorLevelLines()).toEqual([]);
  });
});

describe('malformed operations', () => {
  it.each([
    ['a syntax error', { query: '{ order(' }, 400, 'GRAPHQL_PARSE_FAILED'],
    [
      'a document over QUERY_MAX_TOKENS',
      { query: `{ order(orderNumber: "${DV}") { ${'status '.repeat(70)} } }` },
      400,
      'GRAPHQL_PARSE_FAILED',
    ],
    ['a mutation', { query: 'mutation { order(orderNumber: "1") { status } }' }, 400, 'GRAPHQL_VALIDATION_FAILED'],
    ['a subscription', { query: 'subscription { order(orderNumber: "1") { status } }' }, 400, 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown field', { query: '{ nope }' }, 400, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'a wrong persisted-query hash',
      { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } },
      400,
      'BAD_REQUEST',
    ],
    [
      'an unknown persisted query',
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
      200,
      'PERSISTED_QUERY_NOT_FOUND',
    ],
    ['a query that is not a string', { query: 42 }, 400, 'BAD_REQUEST'],
    ['variables that are not an object', { query: '{ __typename }', variables: [1] }, 400, 'BAD_REQUEST'],
    [
      'an operation name that matches nothing',
      { query: 'query A { __typename }', operationName: 'B' },
      400,
      'OPERATION_RESOLUTION_FAILURE',
    ],
  ])('answers %s with a 4xx and its own code', async (_name, body, status, code) => {
    const result = await h.post(body);
    expect(result.status).toBe(status);
    expect(result.body.errors?.[0]?.extensions?.['code']).toBe(code);
    expect(result.text).not.toContain('INTERNAL_SERVER_ERROR');
    expect(h.simulator.calls).toHaveLength(0);
    expect(errorLevelLines()).toEqual([]);
  });
});

describe('_entities input', () => {
  // Each test starts its own subgraph (one needs ORDERS_MAX_IDS=5).
  let own: Harness | undefined;
  afterEach(async () => {
    await own?.close();
    own = undefined;
  });

  it.each([
    ['a decimal', 12.5],
    ['a boolean', true],
    ['null', null],
    ['an object', { nested: '1' }],
  ])('answers BAD_USER_INPUT for %s as orderNumber, with no upstream call', async (_name, orderNumber) => {
    const t = (own = await startHarness());
    const result = await t.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { status } } }`, {
      r: [{ __typename: 'Order', orderNumber }],
    });
    expect(result.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(t.simulator.calls).toHaveLength(0);
  });

  it('accepts a numeric order number key as the same order', async () => {
    const t = (own = await startHarness());
    const result = await t.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { orderNumber } } }`, {
      r: [{ __typename: 'Order', orderNumber: Number(DV) }],
    });
    expect(result.body.data).toEqual({ _entities: [{ orderNumber: DV }] });
  });

  it('refuses more representations than ORDERS_MAX_IDS before any upstream call', async () => {
    const t = (own = await startHarness({ env: { ORDERS_MAX_IDS: '5' } }));
    const result = await t.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { status } } }`, {
      r: Array.from({ length: 6 }, (_, i) => ({ __typename: 'Order', orderNumber: String(20_000_000 + i) })),
    });
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(t.simulator.calls).toHaveLength(0);
  });
});
