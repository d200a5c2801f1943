/**
 * The response cache: a repeated request is answered whole, with the bytes
 * and headers executing it again would give, only while every order answer
 * it holds is still the one the store serves, and keyed so that no other
 * variables, account or content type ever get it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CERTIFICATE_IDS, DEMO_ORDERS } from '../../src/simulator/index.js';
import { callSummary, startHarness, type Harness } from '../support/harness.js';

const DV = DEMO_ORDERS.dvIssued;
const OV = DEMO_ORDERS.ovPendingFound;
const BADGE = 'query Badge($n: ID!) { order(orderNumber: $n) { orderNumber status certificates { type status } } }';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(env: Record<string, string> = {}): Promise<Harness> {
  h = await startHarness({ env: { CACHE_TTL_MS: '60000', ...env } });
  return h;
}

interface Line {
  readonly event?: string;
  readonly responseCache?: string;
  readonly cacheHits?: number;
  readonly upstreamCalls?: number;
  readonly operationName?: string | null;
}

function operationLines(t: Harness, from: number): Line[] {
  return t.logs
    .slice(from)
    .map((line) => JSON.parse(line) as Line)
    .filter((line) => line.event === 'graphql_operation');
}

async function lookups(t: Harness, result: string): Promise<number> {
  const line = await t.metric(new RegExp(`^graphql_response_cache_lookups_total\\{result="${result}"\\}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

/** The same operation, spelt with other whitespace: it misses the response cache and runs through Apollo. */
function respelt(query: string): string {
  return query.replace('{ order', '{  order');
}

describe('the response cache', () => {
  it('answers a repeated request whole: same body and headers as executing it, no upstream call, one log line saying so', async () => {
    const t = await harness();
    const first = await t.query(BADGE, { n: DV });
    const logsBefore = t.logs.length;
    const second = await t.query(BADGE, { n: DV });
    const executed = await t.query(respelt(BADGE), { n: DV });
    expect(second.text).toBe(first.text);
    expect(second.text).toBe(executed.text);
    for (const name of ['content-type', 'cache-control']) expect(second.headers.get(name)).toBe(executed.headers.get(name));
    expect(second.headers.get('cache-control')).toBe('max-age=60, public');
    expect(callSummary(t.simulator)).toEqual([`${DV} q0 N`]);
    expect(await lookups(t, 'hit')).toBe(1);
    const [hit, run] = operationLines(t, logsBefore);
    expect(hit).toMatchObject({ operationName: 'Badge', responseCache: 'hit', cacheHits: 1, upstreamCalls: 0 });
    expect(run).toMatchObject({ operationName: 'Badge', responseCache: 'miss', cacheHits: 1, upstreamCalls: 0 });
  });

  it('counts a hit as a successful operation and an order load from memory, as executing it would', async () => {
    const t = await harness();
    await t.query(BADGE, { n: DV });
    const ops = await t.metric(/^graphql_operations_total\{outcome="success"\}/);
    const loads = await t.metric(/^order_loads_total\{source="cache",outcome="ok"\}/);
    await t.query(BADGE, { n: DV });
    const value = (line: string | undefined) => Number(line?.split(' ').pop() ?? 0);
    expect(value(await t.metric(/^graphql_operations_total\{outcome="success"\}/))).toBe(value(ops) + 1);
    expect(value(await t.metric(/^order_loads_total\{source="cache",outcome="ok"\}/))).toBe(value(loads) + 1);
  });

  it('keys on the variables: another order number is another entry, with its own answer', async () => {
    const t = await harness();
    const dv = await t.query(BADGE, { n: DV });
    const ov = await t.query(BADGE, { n: OV });
    const dvAgain = await t.query(BADGE, { n: DV });
    const ovAgain = await t.query(BADGE, { n: OV });
    expect(dv.text).not.toBe(ov.text);
    expect(dvAgain.text).toBe(dv.text);
    expect(ovAgain.text).toBe(ov.text);
    expect(callSummary(t.simulator)).toEqual([`${DV} q0 N`, `${OV} q0 N`]);
  });

  it('keys on Accept: a client asking for application/graphql-response+json gets that content type, not a cached JSON one', async () => {
    const t = await harness();
    await t.query(BADGE, { n: DV });
    await t.query(BADGE, { n: DV });
    const other = await t.post({ query: BADGE, variables: { n: DV } }, { accept: 'application/graphql-response+json' });
    expect(other.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    const again = await t.post({ query: BADGE, variables: { n: DV } }, { accept: 'application/graphql-response+json' });
    expect(again.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
  });

  it('lowers max-age as the held answer ages, exactly as Apollo computes it, and stops serving within the last second', async () => {
    const t = await harness();
    await t.query(BADGE, { n: DV });
    t.advanceClock(42_300);
    const cached = await t.query(BADGE, { n: DV });
    const executed = await t.query(respelt(BADGE), { n: DV });
    expect(cached.headers.get('cache-control')).toBe('max-age=17, public');
    expect(cached.headers.get('cache-control')).toBe(executed.headers.get('cache-control'));
    t.advanceClock(17_000);
    const expiredBefore = await lookups(t, 'expired');
    await t.query(BADGE, { n: DV });
    expect(await lookups(t, 'expired')).toBe(expiredBefore + 1);
  });

  it('never outlives the order answer: past its TTL the request goes to Sectigo again', async () => {
    const t = await harness();
    await t.query(BADGE, { n: DV });
    await t.query(BADGE, { n: DV });
    t.advanceClock(60_001);
    const after = await t.query(BADGE, { n: DV });
    expect(after.body.errors).toBeUndefined();
    expect(callSummary(t.simulator)).toEqual([`${DV} q0 N`, `${DV} q0 N`]);
  });

  it('drops a response once a newer answer replaced the one it holds', async () => {
    const t = await harness();
    const before = await t.query(BADGE, { n: DV });
    expect(before.body).toMatchObject({ data: { order: { status: 'Issued' } } });
    // A lookup by certificate id fetches the order again and files the answer under its order number too.
    t.simulator.injectFault({
      kind: 'body',
      body: `errorCode=0&1_orderNumber=${DV}&1_orderStatus=Revoked&1_1_objectType=PositiveSSL&1_1_certificateStatus=Revoked`,
      contentType: 'application/x-www-form-urlencoded',
    });
    const byCertificate = await t.query(`{ orderByCertificateId(certificateId: "${DEMO_CERTIFICATE_IDS.dvIssued}") { status } }`);
    expect(byCertificate.body).toEqual({ data: { orderByCertificateId: { status: 'Revoked' } } });
    const after = await t.query(BADGE, { n: DV });
    expect(after.body).toMatchObject({ data: { order: { status: 'Revoked' } } });
    expect(await lookups(t, 'expired')).toBe(1);
    expect(t.simulator.calls).toHaveLength(2);
  });

  it('drops a response built from a higher level once a newer answer at the level a lookup finds first arrives', async () => {
    const t = await harness();
    await t.query(`{ order(orderNumber: "${DV}") { certificates { validation { dcv } } } }`);
    const before = await t.query(BADGE, { n: DV });
    await t.query(BADGE, { n: DV });
    expect(before.body).toMatchObject({ data: { order: { status: 'Issued' } } });
    expect(callSummary(t.simulator)).toEqual([`${DV} q1 N`]);
    t.simulator.injectFault({
      kind: 'body',
      body: `errorCode=0&1_orderNumber=${DV}&1_orderStatus=Revoked&1_1_objectType=PositiveSSL&1_1_certificateStatus=Revoked`,
      contentType: 'application/x-www-form-urlencoded',
    });
    await t.query(`{ orderByCertificateId(certificateId: "${DEMO_CERTIFICATE_IDS.dvIssued}") { status } }`);
    const after = await t.query(BADGE, { n: DV });
    const executed = await t.query(respelt(BADGE), { n: DV });
    expect(after.text).toBe(executed.text);
    expect(after.body).toMatchObject({ data: { order: { status: 'Revoked' } } });
  });

  it('keeps no response with errors: a failing order is asked of Sectigo every time', async () => {
    const t = await harness();
    for (let i = 0; i < 2; i++) {
      const failed = await t.query(BADGE, { n: '4040404' });
      expect(failed.body.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    }
    expect(callSummary(t.simulator)).toEqual(['4040404 q0 N', '4040404 q0 N']);
    expect(await lookups(t, 'hit')).toBe(0);
  });

  it('never answers an inline-trace request (ftv1) from the cache: each gets its own trace', async () => {
    const t = await harness();
    await t.query(BADGE, { n: DV });
    await t.query(BADGE, { n: DV });
    const hits = await lookups(t, 'hit');
    const traced = await t.post({ query: BADGE, variables: { n: DV } }, { 'apollo-federation-include-trace': 'ftv1' });
    expect(traced.body).toMatchObject({ extensions: { ftv1: expect.any(String) } });
    expect(await lookups(t, 'hit')).toBe(hits);
  });

  it('is off with RESPONSE_CACHE_MAX_BYTES=0 and with CACHE_TTL_MS=0', async () => {
    const envs: Record<string, string>[] = [{ RESPONSE_CACHE_MAX_BYTES: '0' }, { CACHE_TTL_MS: '0' }];
    for (const env of envs) {
      const t = await harness(env);
      await t.query(BADGE, { n: DV });
      await t.query(BADGE, { n: DV });
      expect(await lookups(t, 'hit')).toBe(0);
      expect(await lookups(t, 'miss')).toBe(0);
      await t.close();
      h = undefined;
    }
  });
});
