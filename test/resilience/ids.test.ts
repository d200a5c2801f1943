/**
 * One order is one order however it is spelled; an answer about another
 * order is never served or cached; an id JSON already rounded is refused.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { startHarness, type Harness } from '../support/harness.js';

const DV = DEMO_ORDERS.dvIssued;
const MULTI = DEMO_ORDERS.multiDomain;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.simulator.resetCalls();
  h.simulator.clearFaults();
  // A fresh cache window for every test.
  h.advanceClock(60_000);
});

describe('canonical order numbers', () => {
  it('makes one upstream call for 01000001, 001000001 and 1000001 in one request, sent without the zeros', async () => {
    const result = await h.query(
      `{ a: order(orderNumber: "0${DV}") { orderNumber } b: order(orderNumber: "00${DV}") { orderNumber } orders(orderNumbers: ["${DV}", "000${DV}"]) { status } }`,
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data).toMatchObject({ a: { orderNumber: DV }, b: { orderNumber: DV } });
    expect(h.simulator.calls.map((c) => c.orderNumber)).toEqual([DV]);
  });

  it('serves 01000001 from the cache entry of 1000001 in a later request', async () => {
    await h.query(`{ order(orderNumber: "${DV}") { status } }`);
    const result = await h.query(`{ order(orderNumber: "0${DV}") { status } }`);
    expect(result.body.data).toEqual({ order: { status: 'Issued' } });
    expect(h.simulator.calls).toHaveLength(1);
  });

  it('treats _entities keys the same way, numeric ones included', async () => {
    const result = await h.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { status } } }`, {
      r: [
        { __typename: 'Order', orderNumber: `0${DV}` },
        { __typename: 'Order', orderNumber: Number(DV) },
        { __typename: 'Order', orderNumber: DV },
      ],
    });
    expect(result.body.data?.['_entities']).toEqual([{ status: 'Issued' }, { status: 'Issued' }, { status: 'Issued' }]);
    expect(h.simulator.calls.map((c) => c.orderNumber)).toEqual([DV]);
  });

  it('accepts "0" and refuses more than 32 significant digits with no call', async () => {
    const long = await h.query(`{ order(orderNumber: "1${'0'.repeat(32)}") { status } }`);
    expect(long.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const zeros = await h.query(`{ order(orderNumber: "0000") { status } }`);
    expect(zeros.body.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect(h.simulator.calls.map((c) => c.orderNumber)).toEqual(['0']);
  });

  it('canonicalises certificate ids too, and still refuses 17 significant digits', async () => {
    const result = await h.query(`{ orderByCertificateId(certificateId: "00009007199254740993") { orderNumber } }`);
    expect(result.body.data).toEqual({ orderByCertificateId: { orderNumber: DV } });
    expect(h.simulator.calls.map((c) => c.certificateId)).toEqual(['9007199254740993']);
    const tooLong = await h.query(`{ orderByCertificateId(certificateId: "19007199254740993") { orderNumber } }`);
    expect(tooLong.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(h.simulator.calls).toHaveLength(1);
  });
});

describe('an answer about another order', () => {
  it('is UPSTREAM_ERROR, is not cached under either order, and the next request asks again', async () => {
    h.simulator.injectFault({ kind: 'otherOrder', orderNumber: MULTI }, 1, { orderNumber: DV });
    const wrong = await h.query(`{ order(orderNumber: "${DV}") { orderNumber status } }`);
    expect(wrong.body.data).toEqual({ order: null });
    expect(wrong.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamCode: 'SECTIGO_WRONG_ORDER' });
    const again = await h.query(`{ order(orderNumber: "${DV}") { orderNumber } other: order(orderNumber: "${MULTI}") { orderNumber } }`);
    expect(again.body.data).toEqual({ order: { orderNumber: DV }, other: { orderNumber: MULTI } });
    expect(h.simulator.calls.map((c) => c.orderNumber).sort()).toEqual([DV, DV, MULTI].sort());
  });
});

describe('ids sent as JSON numbers', () => {
  it('refuses a certificate id beyond 2^53 sent as a number, with no call', async () => {
    const result = await h.post(
      `{"query":"query($c: ID!) { orderByCertificateId(certificateId: $c) { orderNumber } }","variables":{"c":9007199254740993}}`,
    );
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(result.body.errors?.[0]?.message).toContain('beyond 2^53');
    expect(h.simulator.calls).toHaveLength(0);
  });

  it('refuses an order number beyond 2^53 in a representation, for that entry only', async () => {
    const result = await h.post(
      `{"query":"query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { status } } }","variables":{"r":[{"__typename":"Order","orderNumber":12345678901234567890},{"__typename":"Order","orderNumber":"${DV}"}]}}`,
    );
    expect(result.body.data?.['_entities']).toEqual([null, { status: 'Issued' }]);
    expect(result.body.errors?.[0]).toMatchObject({ path: ['_entities', 0], extensions: { code: 'BAD_USER_INPUT' } });
    expect(h.simulator.calls.map((c) => c.orderNumber)).toEqual([DV]);
  });

  it('still takes a safe integer as an id', async () => {
    const result = await h.post(`{"query":"query($o: ID!) { order(orderNumber: $o) { status } }","variables":{"o":${DV}}}`);
    expect(result.body.data).toEqual({ order: { status: 'Issued' } });
  });
});
