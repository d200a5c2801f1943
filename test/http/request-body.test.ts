/**
 * What the node:http integration does with a request body before Apollo
 * sees it: compressed bodies (a router may compress what it sends),
 * encodings and charsets it cannot read, JSON that is not a request, and
 * integers JSON.parse would round, including ones written with an exponent.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { parseJsonBody } from '../../src/http/request-body.js';
import { callSummary, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { MAX_REQUEST_BODY_BYTES: '4096' } });
});
afterAll(() => h.close());

const query = JSON.stringify({ query: `{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { orderNumber } }` });

async function raw(body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${h.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('compressed request bodies', () => {
  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('reads a %s body', async (encoding, compress) => {
    const before = h.simulator.calls.length;
    const { status, json } = await raw(compress(Buffer.from(query)), { 'content-encoding': encoding });
    expect(status).toBe(200);
    expect(json).toEqual({ data: { order: { orderNumber: DEMO_ORDERS.dvIssued } } });
    expect(h.simulator.calls.length - before).toBeLessThanOrEqual(1);
  });

  it('answers 413 for a small gzip body that inflates past MAX_REQUEST_BODY_BYTES, without an upstream call', async () => {
    const before = h.simulator.calls.length;
    const bomb = gzipSync(Buffer.from(`{"query":"{ __typename }","x":"${'a'.repeat(1_000_000)}"}`));
    expect(bomb.length).toBeLessThan(4096);
    const { status, json } = await raw(bomb, { 'content-encoding': 'gzip' });
    expect(status).toBe(413);
    expect(json).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect(h.simulator.calls.length).toBe(before);
  });

  it('answers 400 BAD_REQUEST for a body that says gzip and is not', async () => {
    const { status, json } = await raw(query, { 'content-encoding': 'gzip' });
    expect(status).toBe(400);
    expect(json).toMatchObject({ errors: [{ message: 'Request body could not be decoded', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('answers 415 for an encoding it does not read', async () => {
    const { status, json } = await raw(query, { 'content-encoding': 'zstd' });
    expect(status).toBe(415);
    expect(json).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });
});

describe('content types', () => {
  it('answers 415 for a charset other than UTF-8', async () => {
    const { status, json } = await raw(query, { 'content-type': 'application/json; charset=latin1' });
    expect(status).toBe(415);
    expect(JSON.stringify(json)).toContain('send UTF-8');
  });

  it('accepts an explicit UTF-8 charset and a +json type', async () => {
    expect((await raw(query, { 'content-type': 'application/json; charset=UTF-8' })).status).toBe(200);
    expect((await raw(query, { 'content-type': 'application/graphql-request+json' })).status).not.toBe(500);
  });

  it('answers JSON that is not an object 400 BAD_REQUEST, as body-parser did', async () => {
    const { status, json } = await raw('"just a string"', {});
    expect(status).toBe(400);
    expect(json).toMatchObject({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
  });
});

describe('routes', () => {
  it('answers an unknown path with a JSON 404', async () => {
    const response = await h.get('/nothing-here');
    expect(response.status).toBe(404);
    expect(JSON.parse(response.text)).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
  });

  it('answers HEAD /health and /Health/ like GET /health', async () => {
    expect((await fetch(`${h.url}/health`, { method: 'HEAD' })).status).toBe(200);
    expect((await h.get('/Health/')).status).toBe(200);
  });
});

describe('integers JSON.parse would round', () => {
  it('refuses a certificate id sent as a number written with an exponent, without an upstream call', async () => {
    const before = callSummary(h.simulator);
    const { status, json } = await raw(
      '{"query":"query($c: ID!) { orderByCertificateId(certificateId: $c) { orderNumber } }","variables":{"c":1e17}}',
      {},
    );
    expect(status).toBe(400);
    expect(json).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(callSummary(h.simulator)).toEqual(before);
  });

  it('parses bodies without such numbers on the fast path, to the same value', () => {
    const text = '{"query":"{ a }","variables":{"n":"1000001","k":12345,"f":1.5}}';
    expect(parseJsonBody(text)).toEqual(JSON.parse(text));
    const unsafe = parseJsonBody('{"n": 12345678901234567}') as { n: unknown };
    expect(typeof unsafe.n).not.toBe('number');
  });
});
