/**
 * This subgraph behind Hive Gateway as well as @apollo/gateway: its SDL taken
 * from the running server's `_service`, composed with the small accounts
 * subgraph by @theguild/federation-composition, served by Hive Gateway's
 * runtime on a node:http server, queried over HTTP. Between the gateway and
 * this subgraph sits a recording proxy, so the tests see exactly what the
 * gateway sends.
 *
 * It proves that the join through `_entities` works, that this subgraph's
 * error codes (with `sectigoErrorCode`) survive Hive Gateway, that an
 * `_entities` batch costs one upstream call per distinct order at the level
 * the selection needs, and that with Hive Gateway's OpenTelemetry on, the
 * client's W3C trace context reaches this subgraph as a child of the
 * gateway's own span.
 *
 * Where Hive Gateway differs from @apollo/gateway (see supergraph.test.ts):
 * it deduplicates `_entities` representations itself, and it reports a
 * failed entity with one error per selected field, at a path that names the
 * field but drops the list index (graphql-tools batch delegation:
 * ardatan/graphql-tools#2950, graphql-hive/gateway#1556).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, Logger, type GatewayRuntime, type LogLevel } from '@graphql-hive/gateway';
import { useOpenTelemetry } from '@graphql-hive/gateway/opentelemetry';
import { disable as disableOpenTelemetry, openTelemetrySetup } from '@graphql-hive/gateway/opentelemetry/setup';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callSummary, startHarness, type Harness } from '../support/harness.js';
import { ACCOUNTS_SDL, startAccountsSubgraph } from './accounts-subgraph.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';

/** The span processor type of the OpenTelemetry SDK that Hive Gateway's setup uses (not the older one hoisted to the top). */
type SpanProcessor = Extract<
  NonNullable<Parameters<typeof openTelemetrySetup>[0]['traces']>,
  { processors: unknown }
>['processors'][number];

interface StartedSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
}

/**
 * Every span the gateway starts, recorded when it starts: a span's id is known before the request it wraps
 * is sent. The subgraph runs in this process and its own spans land here too; only the gateway's are kept.
 */
const startedSpans: StartedSpan[] = [];
const spanRecorder: SpanProcessor = {
  onStart(span) {
    const { traceId, spanId } = span.spanContext();
    if (span.instrumentationScope.name !== 'gateway') return;
    startedSpans.push({ name: span.name, traceId, spanId, parentSpanId: span.parentSpanContext?.spanId });
  },
  onEnd() {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

const gatewayLog: Array<{ level: LogLevel; msg: string; attrs: unknown }> = [];

let orders: Harness;
let accounts: Awaited<ReturnType<typeof startAccountsSubgraph>>;
let proxy: RecordingProxy;
let gateway: GatewayRuntime;
let server: Server;
let gatewayUrl: string;
let supergraphSdl: string;

interface GatewayError {
  message: string;
  path?: unknown[];
  extensions?: Record<string, unknown>;
}

async function post(query: string, headers: Record<string, string> = {}) {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: GatewayError[] } };
}

interface SubgraphRequest {
  query: string;
  variables?: { representations?: Array<{ __typename: string; orderNumber: string }> };
}

/** What the gateway sent to this subgraph, as parsed bodies. */
function sentToOrders(): SubgraphRequest[] {
  return proxy.requests.map((request) => JSON.parse(request.body) as SubgraphRequest);
}

function parseTraceparent(value: string | string[] | undefined) {
  const [, traceId, parentSpanId, flags] =
    /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(typeof value === 'string' ? value : '') ?? [];
  if (traceId === undefined || parentSpanId === undefined || flags === undefined)
    throw new Error(`not a W3C traceparent: ${String(value)}`);
  return { traceId, parentSpanId, flags };
}

/** A recorded span and its recorded ancestors, innermost first. */
function lineage(spanId: string): StartedSpan[] {
  const spans: StartedSpan[] = [];
  for (let id: string | undefined = spanId; id !== undefined;) {
    const span = startedSpans.find((s) => s.spanId === id);
    if (span === undefined) break;
    spans.push(span);
    id = span.parentSpanId;
  }
  return spans;
}

beforeAll(async () => {
  // The cross-request cache is off: every upstream call counted below was caused by that one request.
  // The upstream rate limit (20 calls/s by default) is off too: this file makes more than 20 calls within a second.
  orders = await startHarness({ env: { CACHE_TTL_MS: '0', UPSTREAM_RATE_LIMIT: '0' } });
  accounts = await startAccountsSubgraph();
  proxy = await startRecordingProxy(orders.url);
  const sdl = await orders.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
  const composed = composeServices([
    { name: 'orders', typeDefs: parse(sdl.body.data?._service.sdl ?? ''), url: `${proxy.url}/graphql` },
    { name: 'accounts', typeDefs: parse(ACCOUNTS_SDL), url: accounts.url },
  ]);
  if (composed.errors !== undefined) throw new Error(`composition failed:\n${composed.errors.map((e) => e.message).join('\n')}`);
  supergraphSdl = composed.supergraphSdl;

  const log = new Logger({
    level: 'info',
    writers: [{ write: (level, attrs, msg) => void gatewayLog.push({ level, msg: msg ?? '', attrs }) }],
  });
  // What `hive-gateway --opentelemetry` sets up, with a recording span processor instead of an OTLP exporter.
  openTelemetrySetup({
    log,
    contextManager: new AsyncLocalStorageContextManager(),
    resource: { serviceName: 'hive-gateway-test' },
    traces: { processors: [spanRecorder] },
  });
  // OpenTelemetry's globals can be registered once per process; this file needs them to be the gateway's.
  const enabled = gatewayLog.find((line) => line.msg.endsWith('OpenTelemetry integration is enabled'));
  expect(enabled?.attrs, 'Hive Gateway could not register its OpenTelemetry globals').toMatchObject({
    registrationResults: { tracerProvider: true, contextManager: true, propagators: true },
  });
  gateway = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: log,
    // The plugin the gateway config's `openTelemetry: { traces: true }` installs.
    plugins: (ctx) => [useOpenTelemetry({ ...ctx, traces: true })],
  });
  // Hive Gateway's documented node:http mount: the runtime answers (and catches) every request itself.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  server = createServer(gateway);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  if (server !== undefined) {
    const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    server.closeAllConnections();
    await closed;
  }
  await gateway?.dispose();
  disableOpenTelemetry();
  await proxy?.close();
  await accounts?.stop();
  await orders?.close();
});

beforeEach(() => {
  orders.simulator.resetCalls();
  proxy.reset();
});

describe('composition', () => {
  it('composes the live SDL with the accounts subgraph, routing this subgraph through the recording proxy', () => {
    expect(supergraphSdl).toContain(`@join__graph(name: "orders", url: "${proxy.url}/graphql")`);
    expect(supergraphSdl).toMatch(/type Order[^{]*@join__type\(graph: ORDERS, key: "orderNumber"\)/);
  });
});

describe('queries through Hive Gateway', () => {
  it('joins accounts with their orders: the Order fields come from this subgraph in one _entities request', async () => {
    const result = await post(`{
      account(id: "acme") { name orders { orderNumber status certificates { validation { dcv } } } }
    }`);
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    const account = result.body.data?.['account'] as {
      name: string;
      orders: Array<{ orderNumber: string; status: string; certificates: unknown[] }>;
    };
    expect(account.name).toBe('ACME Corp');
    expect(account.orders.map((o) => `${o.orderNumber}:${o.status}`)).toEqual([
      '1000001:Issued',
      '1000005:Issued',
      '1000001:Issued',
      '1000002:Pending',
    ]);
    expect(account.orders[1]?.certificates).toEqual([{ validation: { dcv: 'COMPLETED' } }, { validation: { dcv: 'COMPLETED' } }]);
    const sent = sentToOrders();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.query).toMatch(/_entities\(representations: ?\$representations\)/);
    expect(callSummary(orders.simulator)).toEqual(['1000001 q1 N', '1000002 q1 N', '1000005 q1 N']);
  });

  it('passes NOT_FOUND with sectigoErrorCode through for an unknown order at the root, at its path', async () => {
    const result = await post(`{ order(orderNumber: "4040404") { status } }`);
    expect(result.body.data).toEqual({ order: null });
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        message: 'Order 4040404 was not found on this Sectigo account',
        path: ['order'],
        extensions: expect.objectContaining({ code: 'NOT_FOUND', sectigoErrorCode: -4, serviceName: 'orders' }),
      }),
    ]);
  });

  it('fails only the entity whose order is unknown, keeping code and sectigoErrorCode; the path names the field but not the list index', async () => {
    const logged = gatewayLog.length;
    const result = await post(`{ account(id: "broken") { orders { orderNumber status statusReason } } }`);
    const account = result.body.data?.['account'] as {
      orders: Array<{ orderNumber: string; status: string | null; statusReason: string | null }>;
    };
    // The key comes from the accounts subgraph; what only this subgraph knows is null for the failed entity.
    expect(account.orders).toEqual([
      { orderNumber: '1000009', status: 'Rejected', statusReason: expect.any(String) },
      { orderNumber: '4040404', status: null, statusReason: null },
    ]);
    // This subgraph answers `_entities` with one error at ['_entities', 1]; @apollo/gateway turns it into one
    // error at ['account', 'orders', 1]. Hive Gateway reports it once per selected field and drops the index.
    const notFound = expect.objectContaining({ code: 'NOT_FOUND', sectigoErrorCode: -4, serviceName: 'orders' });
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        message: 'Order 4040404 was not found on this Sectigo account',
        path: ['account', 'orders', 'status'],
        extensions: notFound,
      }),
      expect.objectContaining({
        message: 'Order 4040404 was not found on this Sectigo account',
        path: ['account', 'orders', 'statusReason'],
        extensions: notFound,
      }),
    ]);
    expect(callSummary(orders.simulator)).toEqual(['1000009 q0 N', '4040404 q0 N']);
    // An unknown order is an answer, not a gateway fault.
    expect(gatewayLog.slice(logged).filter((line) => line.level === 'warn' || line.level === 'error')).toEqual([]);
  });
});

describe('upstream calls for an _entities batch', () => {
  it('sends each distinct order once in one batch, and makes one upstream call per distinct order at the level the selection needs', async () => {
    const result = await post(`{ account(id: "acme") { orders { status certificates { validity { notAfter } validation { dcv } } } } }`);
    expect(result.body.errors).toBeUndefined();
    expect((result.body.data?.['account'] as { orders: unknown[] }).orders).toHaveLength(4);
    // Four references, three distinct orders: Hive Gateway already deduplicates the representations.
    const sent = sentToOrders();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.variables?.representations?.map((r) => r.orderNumber)).toEqual(['1000001', '1000005', '1000002']);
    // validation needs queryType=1, validity needs showValidityPeriod=Y: one call per order serves both.
    expect(callSummary(orders.simulator)).toEqual(['1000001 q1 Y', '1000002 q1 Y', '1000005 q1 Y']);
  });

  it('batches the orders of several accounts into one _entities request: ten references, five upstream calls', async () => {
    const result = await post(`{
      a: account(id: "acme") { orders { status } }
      b: account(id: "broken") { orders { status } }
      c: account(id: "acme") { orders { status } }
    }`);
    expect(result.body.errors?.map((e) => e.path)).toEqual([['b', 'orders', 'status']]);
    const sent = sentToOrders();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.variables?.representations).toHaveLength(5);
    expect(callSummary(orders.simulator)).toEqual(['1000001 q0 N', '1000002 q0 N', '1000005 q0 N', '1000009 q0 N', '4040404 q0 N']);
  });

  it("makes one upstream call per distinct order when the batch itself repeats orders (the gateway's own request, replayed with duplicates)", async () => {
    await post(`{ account(id: "acme") { orders { status certificates { validity { notAfter } } } } }`);
    const [request] = sentToOrders();
    if (request === undefined) throw new Error('the gateway sent nothing to this subgraph');
    orders.simulator.resetCalls();
    // Another gateway might not deduplicate: send the same document with repeated (and zero-padded) order numbers.
    const representations = ['1000001', '1000005', '1000001', '01000001', '1000002'].map((orderNumber) => ({
      __typename: 'Order',
      orderNumber,
    }));
    const replayed = await orders.post<{ _entities: Array<{ status: string } | null> }>({
      query: request.query,
      variables: { representations },
    });
    expect(replayed.body.errors).toBeUndefined();
    expect(replayed.body.data?._entities.map((order) => order?.status)).toEqual(['Issued', 'Issued', 'Issued', 'Issued', 'Pending']);
    expect(callSummary(orders.simulator)).toEqual(['1000001 q0 Y', '1000002 q0 Y', '1000005 q0 Y']);
  });

  it('makes no upstream call, and sends nothing to this subgraph, when only the key is selected', async () => {
    const result = await post(`{ account(id: "acme") { orders { orderNumber } } }`);
    expect(result.body.errors).toBeUndefined();
    expect(proxy.requests).toHaveLength(0);
    expect(orders.simulator.calls).toHaveLength(0);
  });
});

describe('trace context with Hive Gateway OpenTelemetry on', () => {
  it("continues the client's trace: this subgraph gets the client's trace id, with the gateway's own fetch span as parent", async () => {
    const traceId = '5f0c9a1e7b3d4c2a8e6f1b0d9c7a3e51';
    const clientSpanId = '1b2c3d4e5f607182';
    const result = await post(`{ account(id: "acme") { orders { status } } }`, { traceparent: `00-${traceId}-${clientSpanId}-01` });
    expect(result.body.errors).toBeUndefined();

    const [received] = proxy.requests;
    expect(proxy.requests).toHaveLength(1);
    const traceparent = parseTraceparent(received?.headers['traceparent']);
    expect(traceparent.traceId).toBe(traceId);
    expect(traceparent.flags).toBe('01');
    expect(traceparent.parentSpanId).not.toBe(clientSpanId);
    // The parent is the gateway's span for this very fetch, under the subgraph execution, under the
    // gateway's server span for the client's request, whose parent is the client's span.
    expect(startedSpans.find((s) => s.spanId === traceparent.parentSpanId)?.traceId).toBe(traceId);
    const spans = lineage(traceparent.parentSpanId);
    expect(spans.map((span) => span.name)).toEqual([
      'http.fetch',
      'subgraph.execute (orders)',
      'graphql.execute',
      'graphql.operation',
      'POST /graphql',
    ]);
    expect(spans.at(-1)?.parentSpanId).toBe(clientSpanId);
  });

  it('starts a trace of its own when the client sends no traceparent, and passes that one on', async () => {
    await post(`{ account(id: "acme") { orders { status } } }`);
    const traceparent = parseTraceparent(proxy.requests[0]?.headers['traceparent']);
    const spans = lineage(traceparent.parentSpanId);
    expect(spans[0]?.name).toBe('http.fetch');
    expect(spans.at(-1)).toMatchObject({ name: 'POST /graphql', traceId: traceparent.traceId, parentSpanId: undefined });
  });
});
