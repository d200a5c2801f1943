/**
 * Every rule of the contract's "Which upstream parameters a query causes",
 * asserted on the calls the simulator received. The cache is off here so
 * each query shows its own upstream call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CERTIFICATE_IDS, DEMO_ORDERS } from '../../src/simulator/index.js';
import { callSummary, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
const DV = DEMO_ORDERS.dvIssued;

beforeAll(async () => {
  h = await startHarness({ env: { CACHE_TTL_MS: '0' } });
});
afterAll(() => h.close());
beforeEach(() => h.simulator.resetCalls());

async function callsFor(query: string, variables?: Record<string, unknown>): Promise<string[]> {
  const result = await h.query(query, variables);
  expect(result.body.errors, JSON.stringify(result.body.errors)).toBeUndefined();
  return callSummary(h.simulator);
}

describe('queryType and showValidityPeriod follow the selected fields', () => {
  it('asks for status only (queryType=0, N) when only status fields are selected', async () => {
    expect(
      await callsFor(`{ order(orderNumber: "${DV}") { orderNumber status orderedAt certificates { serialNumber domains status } } }`),
    ).toEqual([`${DV} q0 N`]);
  });

  it('asks for queryType=1 when any validation field is selected', async () => {
    expect(await callsFor(`{ order(orderNumber: "${DV}") { certificates { validation { dcv } } } }`)).toEqual([`${DV} q1 N`]);
  });

  it('asks for queryType=1 for the HackerGuardian dates only, not for other licence fields', async () => {
    const hg = DEMO_ORDERS.hackerGuardian;
    expect(
      await callsFor(`{ order(orderNumber: "${hg}") { certificates { license { hackerGuardian { merchantId accountType } } } } }`),
    ).toEqual([`${hg} q0 N`]);
    h.simulator.resetCalls();
    expect(await callsFor(`{ order(orderNumber: "${hg}") { certificates { license { hackerGuardian { expiresAt } } } } }`)).toEqual([
      `${hg} q1 N`,
    ]);
  });

  it('asks for showValidityPeriod=Y for validity and for productTerm, and for nothing else', async () => {
    expect(await callsFor(`{ order(orderNumber: "${DV}") { certificates { validity { notAfter } } } }`)).toEqual([`${DV} q0 Y`]);
    h.simulator.resetCalls();
    expect(await callsFor(`{ order(orderNumber: "${DV}") { certificates { productTerm { durationDays } } } }`)).toEqual([`${DV} q0 Y`]);
  });

  it('asks for queryType=2 when replacementOrders is selected', async () => {
    const r = DEMO_ORDERS.withReplacements;
    expect(await callsFor(`{ order(orderNumber: "${r}") { replacementOrders { orderNumber } } }`)).toEqual([`${r} q2 N`]);
  });

  it('joins the needs of fields nested under replacementOrders into the one call', async () => {
    const r = DEMO_ORDERS.withReplacements;
    expect(
      await callsFor(`{ order(orderNumber: "${r}") { status replacementOrders { certificates { validity { notAfter } } } } }`),
    ).toEqual([`${r} q2 Y`]);
  });

  it('counts fields reached through aliases', async () => {
    expect(
      await callsFor(`{ o: order(orderNumber: "${DV}") { c: certificates { v: validation { x: csr } p: productTerm { e: end } } } }`),
    ).toEqual([`${DV} q1 Y`]);
  });

  it('counts fields reached through named fragments, including nested spreads', async () => {
    const query = `
      query { order(orderNumber: "${DV}") { ...OrderParts } }
      fragment OrderParts on Order { status certificates { ...CertParts } }
      fragment CertParts on Certificate { validity { notBefore } }`;
    expect(await callsFor(query)).toEqual([`${DV} q0 Y`]);
  });

  it('counts fields reached through inline fragments', async () => {
    expect(await callsFor(`{ order(orderNumber: "${DV}") { ... on Order { certificates { ... { validation { caa } } } } } }`)).toEqual([
      `${DV} q1 N`,
    ]);
  });

  it('ignores fields under @skip(if: true) and @include(if: false), with literals and variables', async () => {
    const query = `query($skipValidation: Boolean!, $withValidity: Boolean!) {
      order(orderNumber: "${DV}") {
        certificates {
          validation @skip(if: $skipValidation) { csr }
          validity @include(if: $withValidity) { notAfter }
          productTerm @include(if: false) { end }
        }
        replacementOrders @skip(if: true) { orderNumber }
      }
    }`;
    expect(await callsFor(query, { skipValidation: true, withValidity: false })).toEqual([`${DV} q0 N`]);
    h.simulator.resetCalls();
    expect(await callsFor(query, { skipValidation: false, withValidity: true })).toEqual([`${DV} q1 Y`]);
  });

  it('applies @skip on fragment spreads and inline fragments', async () => {
    const query = `query($off: Boolean!) {
      order(orderNumber: "${DV}") { certificates { ...V @skip(if: $off) ... @include(if: $off) { validity { end: notAfter } } } }
    }
    fragment V on Certificate { validation { dcv } }`;
    expect(await callsFor(query, { off: true })).toEqual([`${DV} q0 Y`]);
    h.simulator.resetCalls();
    expect(await callsFor(query, { off: false })).toEqual([`${DV} q1 N`]);
  });

  it('plans _entities from the inline fragment on Order', async () => {
    const query = `query($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on Order { orderNumber certificates { validation { dcv } } } }
    }`;
    const calls = await callsFor(query, {
      representations: [
        { __typename: 'Order', orderNumber: DV },
        { __typename: 'Order', orderNumber: DEMO_ORDERS.multiDomain },
      ],
    });
    expect(calls).toEqual([`${DV} q1 N`, `${DEMO_ORDERS.multiDomain} q1 N`].sort());
  });

  it('sends the certificate id as certificateID for orderByCertificateId, digits intact beyond 2^53', async () => {
    const id = DEMO_CERTIFICATE_IDS.dvIssued;
    const result = await h.query<{ orderByCertificateId: { orderNumber: string } }>(
      `{ orderByCertificateId(certificateId: "${id}") { orderNumber certificates { validity { notAfter } } } }`,
    );
    expect(result.body.data?.orderByCertificateId.orderNumber).toBe(DV);
    expect(callSummary(h.simulator)).toEqual([`cert:${id} q0 Y`]);
    expect(h.simulator.calls[0]?.orderNumber).toBeUndefined();
  });
});

describe('one request fetches each order once, at the highest level any selection needs', () => {
  it('merges two root fields for the same order into one call at the joined level', async () => {
    const query = `{
      a: order(orderNumber: "${DV}") { certificates { validation { csr } } }
      b: order(orderNumber: "${DV}") { certificates { validity { notAfter } } }
      c: orders(orderNumbers: ["${DV}"]) { status }
    }`;
    expect(await callsFor(query)).toEqual([`${DV} q1 Y`]);
  });

  it('fetches duplicate ids in orders once and answers in input order and length', async () => {
    const m = DEMO_ORDERS.multiDomain;
    const result = await h.query<{ orders: Array<{ orderNumber: string } | null> }>(
      `{ orders(orderNumbers: ["${m}", "${DV}", "${m}", "${DV}"]) { orderNumber } }`,
    );
    expect(result.body.data?.orders.map((o) => o?.orderNumber)).toEqual([m, DV, m, DV]);
    expect(callSummary(h.simulator)).toEqual([`${DV} q0 N`, `${m} q0 N`].sort());
  });

  it('merges _entities representations of the same order', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { status } } }`;
    const calls = await callsFor(query, {
      r: [DV, DV, DEMO_ORDERS.rejected, DV].map((orderNumber) => ({ __typename: 'Order', orderNumber })),
    });
    expect(calls).toEqual([`${DV} q0 N`, `${DEMO_ORDERS.rejected} q0 N`].sort());
  });
});
