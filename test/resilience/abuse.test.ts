/**
 * Abusive operations are refused before any upstream call; oversized or
 * malformed bodies get a JSON error; the router secret guards /graphql.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { startHarness, type Harness } from '../support/harness.js';

const DV = DEMO_ORDERS.dvIssued;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    env: { QUERY_MAX_DEPTH: '8', QUERY_MAX_ALIASES: '5', QUERY_MAX_TOKENS: '400', QUERY_MAX_COST: '200', MAX_REQUEST_BODY_BYTES: '4096' },
  });
});
afterAll(() => h.close());
beforeEach(() => h.simulator.resetCalls());

function nested(depth: number): string {
  let selection = 'orderNumber';
  for (let i = 0; i < depth; i += 1) selection = `replacementOrders { ${selection} }`;
  return `{ order(orderNumber: "${DV}") { ${selection} } }`;
}

describe('operation limits, enforced before any upstream call', () => {
  it.each([
    ['too deep', nested(9), 'GRAPHQL_VALIDATION_FAILED'],
    [
      'too many aliases',
      `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: order(orderNumber: "${DV}") { status }`).join(' ')} }`,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    // Counted by graphql-js's parser, which stops reading at the limit.
    [
      'too many tokens',
      `{ order(orderNumber: "${DV}") { ${Array.from({ length: 450 }, () => 'status').join(' ')} } }`,
      'GRAPHQL_PARSE_FAILED',
    ],
    // 21 orders of 10 each, with a certificate list of 5 under each.
    [
      'too costly',
      `{ orders(orderNumbers: ${JSON.stringify(Array.from({ length: 21 }, (_, i) => String(1000 + i)))}) { status } }`,
      'COST_ESTIMATED_TOO_EXPENSIVE',
    ],
  ])('refuses an operation that is %s with a 400 and its code', async (_name, query, code) => {
    const result = await h.query(query);
    expect(result.status).toBe(400);
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors?.[0]?.extensions?.['code']).toBe(code);
    expect(h.simulator.calls).toHaveLength(0);
  });

  it('still answers an ordinary operation', async () => {
    const result = await h.query<{ order: { status: string } }>(nested(3));
    expect(result.body.errors).toBeUndefined();
    expect(h.simulator.calls).toHaveLength(1);
  });
});

describe('request bodies', () => {
  it('answers 413 with a JSON error for a body over MAX_REQUEST_BODY_BYTES', async () => {
    const response = await h.post({ query: `{ __typename }`, variables: { pad: 'x'.repeat(10_000) } });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ errors: [{ message: 'Request body too large', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('answers 400 with a JSON error for malformed JSON', async () => {
    const response = await h.post('{"query": ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('refuses batched requests', async () => {
    const response = await h.post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(response.status).toBe(400);
  });
});

describe('router shared secret', () => {
  it('requires ROUTER_SECRET in the configured header when set', async () => {
    const t = await startHarness({ env: { ROUTER_SECRET: 'a-long-router-secret-value', ROUTER_SECRET_HEADER: 'X-Subgraph-Token' } });
    try {
      const post = (headers: Record<string, string>) =>
        fetch(`${t.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: `{ order(orderNumber: "${DV}") { status } }` }),
        });
      const missing = await post({});
      expect(missing.status).toBe(401);
      expect(((await missing.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code).toBe(
        'UNAUTHENTICATED',
      );
      expect((await post({ 'x-subgraph-token': 'a-long-router-secret-valuX' })).status).toBe(401);
      const ok = await post({ 'x-subgraph-token': 'a-long-router-secret-value' });
      expect(ok.status).toBe(200);
      expect(t.simulator.calls).toHaveLength(1);
      // Health and metrics stay reachable for probes and scrapers.
      expect((await t.get('/health')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
