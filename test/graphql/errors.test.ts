/**
 * The contract's "Errors" table: each code, with `sectigoErrorCode` where the
 * upstream sent one, partial results in lists and `_entities`, and no upstream
 * call for bad input.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { startHarness, TEST_PASSWORD, type Harness } from '../support/harness.js';

const DV = DEMO_ORDERS.dvIssued;
const UNKNOWN = '4040404';
const STATUS = (id: string) => `{ order(orderNumber: "${id}") { orderNumber status } }`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { CACHE_TTL_MS: '0', UPSTREAM_TIMEOUT_MS: '300' } });
});
afterAll(() => h.close());
beforeEach(() => {
  h.simulator.resetCalls();
  h.simulator.clearFaults();
});

function firstError(result: Awaited<ReturnType<Harness['query']>>) {
  const error = result.body.errors?.[0];
  expect(error).toBeDefined();
  return error as NonNullable<typeof error>;
}

describe('BAD_USER_INPUT, with no upstream call', () => {
  it.each([
    ['an order number with letters', `{ order(orderNumber: "12a4") { status } }`],
    ['an empty order number', `{ order(orderNumber: "") { status } }`],
    ['a negative order number', `{ order(orderNumber: "-4") { status } }`],
    ['a certificate id of 17 digits', `{ orderByCertificateId(certificateId: "12345678901234567") { status } }`],
    ['a certificate id with a space', `{ orderByCertificateId(certificateId: "1234 5678") { status } }`],
    ['one bad id among good ones in orders', `{ orders(orderNumbers: ["${DV}", "x1"]) { status } }`],
    [
      'more ids than ORDERS_MAX_IDS',
      `{ orders(orderNumbers: ${JSON.stringify(Array.from({ length: 101 }, (_, i) => String(i + 1)))}) { status } }`,
    ],
  ])('rejects %s', async (_name, query) => {
    const result = await h.query(query);
    expect(firstError(result).extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(h.simulator.calls).toHaveLength(0);
  });

  it('rejects a bad _entities representation for that entry only', async () => {
    const result = await h.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { status } } }`, {
      r: [
        { __typename: 'Order', orderNumber: 'nope' },
        { __typename: 'Order', orderNumber: DV },
      ],
    });
    expect(result.body.data?.['_entities']).toEqual([null, { status: 'Issued' }]);
    expect(firstError(result)).toMatchObject({ path: ['_entities', 0], extensions: { code: 'BAD_USER_INPUT' } });
    expect(h.simulator.calls.map((c) => c.orderNumber)).toEqual([DV]);
  });
});

describe('NOT_FOUND', () => {
  it('nulls order with NOT_FOUND and sectigoErrorCode -4 for an order Sectigo does not know', async () => {
    const result = await h.query(STATUS(UNKNOWN));
    expect(result.body.data).toEqual({ order: null });
    expect(firstError(result)).toMatchObject({ path: ['order'], extensions: { code: 'NOT_FOUND', sectigoErrorCode: -4 } });
  });

  it('nulls orderByCertificateId with NOT_FOUND for an unknown certificate id', async () => {
    const result = await h.query(`{ orderByCertificateId(certificateId: "1111111111111111") { status } }`);
    expect(result.body.data).toEqual({ orderByCertificateId: null });
    expect(firstError(result).extensions).toMatchObject({ code: 'NOT_FOUND', sectigoErrorCode: -4 });
  });

  it('treats -4 on any other argument as UPSTREAM_ERROR, not NOT_FOUND', async () => {
    h.simulator.injectFault({ kind: 'errorCode', code: -4, message: "The value of the 'queryType' argument is invalid!" });
    const result = await h.query(STATUS(DV));
    expect(firstError(result).extensions).toMatchObject({ code: 'UPSTREAM_ERROR', sectigoErrorCode: -4 });
  });
});

describe('upstream errors', () => {
  it.each([
    [-1, 'UPSTREAM_ERROR'],
    [-2, 'UPSTREAM_ERROR'],
    [-3, 'UPSTREAM_ERROR'],
    [-14, 'UPSTREAM_ERROR'],
    [14, 'UPSTREAM_ERROR'],
    [-15, 'UPSTREAM_ERROR'],
    [-16, 'UPSTREAM_AUTH_FAILED'],
    [-17, 'UPSTREAM_ERROR'],
    [-99, 'UPSTREAM_ERROR'],
    [7, 'UPSTREAM_ERROR'],
  ])('maps errorCode %i to %s with sectigoErrorCode', async (code, expected) => {
    h.simulator.injectFault({ kind: 'errorCode', code });
    const result = await h.query(STATUS(DV));
    expect(result.body.data).toEqual({ order: null });
    expect(firstError(result)).toMatchObject({ path: ['order'], extensions: { code: expected, sectigoErrorCode: code } });
  });

  it.each([
    [
      'an HTML page with HTTP 200',
      { kind: 'body', body: '<html><body>MARKER-BODY Service Unavailable</body></html>', contentType: 'text/html' },
    ],
    ['plain text', { kind: 'body', body: 'Internal Server Error MARKER-BODY', contentType: 'text/plain' }],
    ['a body without errorCode', { kind: 'body', body: '1_orderStatus=MARKER-BODY' }],
    ['invalid UTF-8', { kind: 'body', body: new Uint8Array([0x65, 0x72, 0x72, 0xff, 0xfe, 0x3d]) }],
    ['an HTTP 404', { kind: 'http', status: 404, body: 'MARKER-BODY not here' }],
  ] as const)('answers UPSTREAM_ERROR without sectigoErrorCode for %s, never echoing the body', async (_name, fault) => {
    h.simulator.injectFault(fault);
    const result = await h.query(STATUS(DV));
    const error = firstError(result);
    expect(error.extensions?.['code']).toBe('UPSTREAM_ERROR');
    expect(error.extensions?.['sectigoErrorCode']).toBeUndefined();
    expect(result.text).not.toContain('MARKER-BODY');
  });

  it.each([
    ['an HTML 502 page', { kind: 'http', status: 502, body: '<html>MARKER-BODY Bad Gateway</html>', contentType: 'text/html' }],
    ['an HTTP 503', { kind: 'http', status: 503 }],
    ['a timeout', { kind: 'hang' }],
    ['a connection reset mid-body', { kind: 'reset' }],
  ] as const)('answers UPSTREAM_UNAVAILABLE for %s', async (_name, fault) => {
    h.simulator.injectFault(fault);
    const result = await h.query(STATUS(DV));
    expect(result.body.data).toEqual({ order: null });
    expect(firstError(result).extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    expect(result.text).not.toContain('MARKER-BODY');
  });

  it('keeps serving: the next request after a fault succeeds', async () => {
    h.simulator.injectFault({ kind: 'hang' });
    await h.query(STATUS(DV));
    const result = await h.query<{ order: { status: string } }>(STATUS(DV));
    expect(result.body.data?.order.status).toBe('Issued');
  });
});

describe('partial results', () => {
  it('nulls only the failing entry of orders, with the error path at its index', async () => {
    const result = await h.query(`{ orders(orderNumbers: ["${DV}", "${UNKNOWN}", "${DEMO_ORDERS.rejected}"]) { orderNumber } }`);
    expect(result.body.data).toEqual({
      orders: [{ orderNumber: DV }, null, { orderNumber: DEMO_ORDERS.rejected }],
    });
    expect(result.body.errors).toHaveLength(1);
    expect(firstError(result)).toMatchObject({ path: ['orders', 1], extensions: { code: 'NOT_FOUND', sectigoErrorCode: -4 } });
  });

  it('nulls only the failing _entities entry, with the error path at its index', async () => {
    const result = await h.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { orderNumber } } }`, {
      r: [DV, UNKNOWN, DEMO_ORDERS.multiDomain].map((orderNumber) => ({ __typename: 'Order', orderNumber })),
    });
    expect(result.body.data?.['_entities']).toEqual([{ orderNumber: DV }, null, { orderNumber: DEMO_ORDERS.multiDomain }]);
    expect(firstError(result)).toMatchObject({ path: ['_entities', 1], extensions: { code: 'NOT_FOUND' } });
  });
});

describe('UPSTREAM_AUTH_FAILED', () => {
  it('reports -16 for wrong credentials and never shows the password', async () => {
    const t = await startHarness({ wrongPassword: true });
    try {
      const result = await t.query(STATUS(DV));
      expect(firstError(result).extensions).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', sectigoErrorCode: -16 });
      expect(result.text).not.toContain('not-the-password');
      expect(t.logs.join('\n')).not.toContain('not-the-password');
    } finally {
      await t.close();
    }
  });
});

describe('secrets', () => {
  it('never puts the password in a response or a log line', async () => {
    h.simulator.injectFault({ kind: 'errorCode', code: -16 });
    const responses = [await h.query(STATUS(DV)), await h.query(STATUS(UNKNOWN)), await h.query(STATUS(DV))];
    for (const response of responses) expect(response.text).not.toContain(TEST_PASSWORD);
    expect(h.logs.length).toBeGreaterThan(0);
    expect(h.logs.join('\n')).not.toContain(TEST_PASSWORD);
  });
});
