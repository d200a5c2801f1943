/**
 * OpenTelemetry, end to end: the built service (`node main.js`, production
 * mode) exports to a real OTLP/HTTP receiver on loopback. The caller's W3C
 * trace context is honoured, the spans nest as documented (HTTP SERVER ->
 * operation -> order load -> CLIENT attempt and Redis commands), carry
 * the detail asked for and the outcome, and never a credential. Logs carry
 * the trace and span ids. Without OTEL_* configuration nothing is exported.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTracingConfigured } from '../../src/telemetry.js';
import { DEMO_ORDERS, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { startMain, stopAllMains, stopMain, type LogEntry, type RunningMain } from '../support/main-process.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { freePort, hasRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A build of its own (production.test.ts builds dist/ at the same time), beside dist/: the build finds schema/ at ../schema. */
const OUT_DIR = fileURLToPath(new URL('../../.dist-test-tracing', import.meta.url));
const MAIN = `${OUT_DIR}/main.js`;
const LOGIN = 'reseller-tracing-test';
const PASSWORD = 'Tr4ce-only-pa55word-31ad-must-never-leak';
const SERVICE = 'orders-subgraph-under-test';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

let simulator: Simulator;
let redis: RedisServer | undefined;
let receiver: OtlpReceiver;

let main: RunningMain;
let url: string;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

async function baseEnv(): Promise<Record<string, string>> {
  return {
    NODE_ENV: 'production',
    PORT: String(await freePort()),
    SECTIGO_API_URL: simulator.url,
    SECTIGO_LOGIN_NAME: LOGIN,
    SECTIGO_LOGIN_PASSWORD: PASSWORD,
    UPSTREAM_RETRY_BASE_MS: '1',
  };
}

async function ready(running: RunningMain): Promise<{ url: string; listening: LogEntry }> {
  const listening = await running.waitForLog((entry) => entry['event'] === 'listening');
  return { url: `http://127.0.0.1:${String(listening['port'])}`, listening };
}

async function query(base: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: body }),
  });
  return (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> };
}

/** The caller's (the router's) trace context for one request. */
function callerContext() {
  const traceId = hex(16);
  const parentId = hex(8);
  return { traceId, parentId, headers: { traceparent: `00-${traceId}-${parentId}-01`, tracestate: 'router=r1' } };
}

const inTrace = (spans: readonly ReceivedSpan[], traceId: string) => spans.filter((span) => span.traceId === traceId);
/** The spans of one trace, once its HTTP SERVER span (the last to end) has arrived. */
async function finishedTrace(traceId: string) {
  return inTrace(await receiver.waitFor((all) => inTrace(all, traceId).some((span) => span.kind === SERVER)), traceId);
}
const childrenOf = (spans: readonly ReceivedSpan[], parent: ReceivedSpan) => spans.filter((span) => span.parentSpanId === parent.spanId);
function only(spans: readonly ReceivedSpan[], what: string): ReceivedSpan {
  expect(spans, what).toHaveLength(1);
  return spans[0] as ReceivedSpan;
}
const isRedis = (span: ReceivedSpan) => span.attributes['db.system'] === 'redis' || span.attributes['db.system.name'] === 'redis';

beforeAll(async () => {
  await rm(OUT_DIR, { recursive: true, force: true });
  await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', OUT_DIR], { cwd: ROOT });
  simulator = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD });
  if (hasRedisServer() || process.env['CI'] === 'true') redis = await startRedisServer();
  receiver = await startOtlpReceiver();
  main = await startMain(MAIN, {
    ...(await baseEnv()),
    ...(redis === undefined ? {} : { REDIS_URL: redis.url }),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_SERVICE_NAME: SERVICE,
    OTEL_BSP_SCHEDULE_DELAY: '20',
  });
  ({ url } = await ready(main));
}, 120_000);

afterAll(async () => {
  await stopAllMains();
  await receiver?.close();
  await simulator?.close();
  await redis?.stop();
  await rm(OUT_DIR, { recursive: true, force: true });
});

describe('when OTEL_* is not configured', () => {
  it.each([
    [{}, false],
    [{ OTEL_TRACES_EXPORTER: 'none' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, true],
    [{ OTEL_TRACES_EXPORTER: 'console' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }, false],
  ])('tracing for %j is %s', (env, on) => {
    expect(isTracingConfigured(env)).toBe(on);
  });

  it('starts without the SDK, exports nothing and logs no trace ids, even for a caller that sends traceparent', async () => {
    const quiet = await startOtlpReceiver();
    try {
      // An endpoint the SDK would use, were it started: proves nothing reads it when traces are off.
      const off = await startMain(MAIN, { ...(await baseEnv()), OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: quiet.url });
      const { url: offUrl, listening } = await ready(off);
      expect(listening['tracing']).toBe(false);
      const caller = callerContext();
      await query(offUrl, `{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`, caller.headers);
      const operation = await off.waitForLog((entry) => entry['event'] === 'graphql_operation');
      expect(operation['trace_id']).toBeUndefined();
      expect(operation['span_id']).toBeUndefined();
      await stopMain(off);
      expect(quiet.exports).toHaveLength(0);
    } finally {
      await quiet.close();
    }
  });
});

describe('with OTLP over http/json', () => {
  it("puts the operation under the caller's trace: SERVER span -> operation -> order load -> one CLIENT span per attempt", async () => {
    const caller = callerContext();
    simulator.resetCalls();
    const result = await query(
      url,
      `query Detail { order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status certificates { validity { notAfter } validation { csr } } } }`,
      caller.headers,
    );
    expect(result.errors).toBeUndefined();
    expect(simulator.calls.map((call) => [call.params['queryType'], call.params['showValidityPeriod']])).toEqual([['1', 'Y']]);

    const spans = inTrace(
      await receiver.waitFor((all) => {
        const trace = inTrace(all, caller.traceId);
        return trace.some((span) => span.kind === SERVER) && trace.some((span) => span.kind === CLIENT && !isRedis(span));
      }),
      caller.traceId,
    );
    const server = only(
      spans.filter((span) => span.kind === SERVER),
      'one HTTP SERVER span',
    );
    expect(server).toMatchObject({ parentSpanId: caller.parentId, traceState: 'router=r1', serviceName: SERVICE });
    const operation = only(childrenOf(spans, server), 'one operation span under the SERVER span');
    expect(operation).toMatchObject({
      name: 'query Detail',
      attributes: { 'graphql.operation.type': 'query', 'graphql.operation.name': 'Detail' },
    });
    const load = only(childrenOf(spans, operation), 'one order load under the operation');
    expect(load).toMatchObject({
      name: 'sectigo.order.load',
      attributes: {
        'sectigo.order_number': DEMO_ORDERS.dvIssued,
        'sectigo.load.source': 'upstream',
        'sectigo.query_type': 1,
        'sectigo.show_validity_period': true,
      },
    });
    const attempt = only(
      childrenOf(spans, load).filter((span) => !isRedis(span)),
      'one upstream attempt under the load',
    );
    expect(attempt).toMatchObject({
      kind: CLIENT,
      name: 'POST /products/!GetDetailedOrderStatus',
      attributes: {
        'http.request.method': 'POST',
        'url.full': simulator.url,
        'http.response.status_code': 200,
        'sectigo.query_type': 1,
        'sectigo.show_validity_period': true,
        'sectigo.outcome': 'ok',
        'sectigo.retry': 0,
      },
    });
    expect(attempt.attributes['sectigo.error_code']).toBeUndefined();

    // Logs name the span they were written in.
    const line = await main.waitForLog((entry) => entry['event'] === 'graphql_operation' && entry['trace_id'] === caller.traceId);
    expect(line['span_id']).toBe(operation.spanId);
    const call = await main.waitForLog((entry) => entry['event'] === 'upstream_call' && entry['trace_id'] === caller.traceId);
    expect(call['span_id']).toBe(attempt.spanId);
  });

  it.skipIf(!hasRedisServer() && process.env['CI'] !== 'true')(
    'traces the Redis commands of a load beneath it, by command name only',
    async () => {
      const caller = callerContext();
      await query(url, `{ order(orderNumber: "${DEMO_ORDERS.ovPendingFound}") { status } }`, caller.headers);
      const spans = await finishedTrace(caller.traceId);
      const load = only(
        spans.filter((span) => span.name === 'sectigo.order.load'),
        'one load',
      );
      const commands = childrenOf(spans, load).filter(isRedis);
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) {
        expect(command.kind).toBe(CLIENT);
        const statement = JSON.stringify(command.attributes['db.statement'] ?? command.attributes['db.query.text'] ?? command.name);
        expect(statement).not.toContain(DEMO_ORDERS.ovPendingFound);
      }
    },
  );

  it('gives each retry its own CLIENT span with its number and outcome, and marks a Sectigo error code on the attempt', async () => {
    const caller = callerContext();
    simulator.injectFault({ kind: 'http', status: 503 }, 1, { orderNumber: DEMO_ORDERS.ovPendingSiblings });
    const result = await query(
      url,
      `query Two { orders(orderNumbers: ["${DEMO_ORDERS.ovPendingSiblings}", "9999999"]) { status } }`,
      caller.headers,
    );
    expect(result.errors?.map((error) => error.extensions?.['code'])).toEqual(['NOT_FOUND']);

    const spans = await finishedTrace(caller.traceId);
    const operation = only(
      spans.filter((span) => span.name === 'query Two'),
      'the operation',
    );
    expect(operation.status).toBe(ERROR);
    expect(operation.attributes['graphql.error.codes']).toEqual(['NOT_FOUND']);
    const loads = childrenOf(spans, operation);
    const retried = only(
      loads.filter((span) => span.attributes['sectigo.order_number'] === DEMO_ORDERS.ovPendingSiblings),
      'the retried load',
    );
    const attempts = childrenOf(spans, retried)
      .filter((span) => !isRedis(span))
      .sort((a, b) => Number(a.attributes['sectigo.retry']) - Number(b.attributes['sectigo.retry']));
    expect(
      attempts.map((span) => [
        span.attributes['sectigo.retry'],
        span.attributes['sectigo.outcome'],
        span.attributes['http.response.status_code'],
        span.status,
      ]),
    ).toEqual([
      [0, 'SECTIGO_HTTP_STATUS', 503, ERROR],
      [1, 'ok', 200, 0],
    ]);
    expect(attempts[1]?.attributes['http.request.resend_count']).toBe(1);

    const missing = only(
      loads.filter((span) => span.attributes['sectigo.order_number'] === '9999999'),
      "the unknown order's load",
    );
    expect(missing.status).toBe(ERROR);
    const refused = only(
      childrenOf(spans, missing).filter((span) => !isRedis(span)),
      'its one attempt',
    );
    expect(refused.attributes).toMatchObject({ 'sectigo.error_code': -4, 'http.response.status_code': 200 });
    expect(refused.status).toBe(ERROR);
  });

  it("names a cached answer's source and makes no CLIENT span for it", async () => {
    const caller = callerContext();
    await query(
      url,
      `query Again { order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status certificates { validity { notAfter } validation { csr } } } }`,
      caller.headers,
    );
    const spans = await finishedTrace(caller.traceId);
    const load = only(
      spans.filter((span) => span.name === 'sectigo.order.load'),
      'one load',
    );
    expect(load.attributes['sectigo.load.source']).toBe('memory');
    expect(childrenOf(spans, load)).toEqual([]);
  });

  it('exports no credential and no request body in any span', () => {
    expect(receiver.exports.length).toBeGreaterThan(0);
    for (const { body } of receiver.exports) {
      const text = body.toString('utf8');
      for (const form of [PASSWORD, encodeURIComponent(PASSWORD), Buffer.from(PASSWORD).toString('base64')])
        expect(text).not.toContain(form);
      expect(text).not.toContain('loginPassword');
      expect(text).not.toContain('loginName=');
    }
  });
});

describe('with OTLP over http/protobuf', () => {
  it("exports protobuf spans carrying the caller's trace id and parent, without the password", async () => {
    const protobuf = await startOtlpReceiver();
    try {
      const running = await startMain(MAIN, {
        ...(await baseEnv()),
        OTEL_EXPORTER_OTLP_ENDPOINT: protobuf.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_BSP_SCHEDULE_DELAY: '20',
      });
      const { url: protoUrl } = await ready(running);
      const caller = callerContext();
      await query(protoUrl, `{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`, caller.headers);
      // Stopping flushes what is still buffered: every span of the request is exported by then.
      running.child.kill('SIGTERM');
      expect((await running.closed).code).toBe(0);
      const bodies = protobuf.exports
        .filter((e) => e.path === '/v1/traces' && e.contentType === 'application/x-protobuf')
        .map((e) => e.body);
      expect(bodies.length).toBeGreaterThan(0);
      const all = Buffer.concat(bodies);
      expect(all.includes(Buffer.from(caller.traceId, 'hex'))).toBe(true);
      expect(all.includes(Buffer.from(caller.parentId, 'hex'))).toBe(true);
      expect(all.includes(Buffer.from(PASSWORD))).toBe(false);
      expect(all.includes(Buffer.from('loginPassword'))).toBe(false);
    } finally {
      await protobuf.close();
    }
  });
});
