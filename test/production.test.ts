/**
 * The built service as it runs in production: `node dist/main.js` as a child
 * process with NODE_ENV=production, nothing in-process. Proves the start-up
 * checks fail with one clear line, the running process logs only JSON and
 * never the password, production hides introspection and Sandbox, /metrics
 * and /health answer, and SIGTERM drains an in-flight request before exit 0.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORDERS, startSimulator, type Simulator } from '../src/simulator/index.js';
import { startMain, stopAllMains, stopMain, type LogEntry, type RunningMain } from './support/main-process.js';
import { hasRedisServer, redisTitle, startRedisServer, type RedisServer } from './support/redis-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const LOGIN = 'reseller-production-test';
/** Distinctive, so that a scan of every log line and response body finds any leak. */
const PASSWORD = 'Pr0d-only-pa55word-9f2c-must-never-leak';
const CREDENTIALS = { SECTIGO_LOGIN_NAME: LOGIN, SECTIGO_LOGIN_PASSWORD: PASSWORD };

/** A port nothing listens on right now (the service must be told its port: it logs it, but PORT=0 is not how a deployment runs). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Every stdout line is a JSON object with a level, and no line carries the password. */
function expectCleanJsonLogs(main: RunningMain): void {
  expect(main.stdout.length).toBeGreaterThan(0);
  for (const line of main.stdout) {
    let entry: unknown;
    expect(() => (entry = JSON.parse(line) as unknown), `not JSON: ${line}`).not.toThrow();
    expect(entry).toMatchObject({ level: expect.any(String), msg: expect.any(String) });
    expect(line).not.toContain(PASSWORD);
  }
  expect(main.stderr()).toBe('');
}

beforeAll(async () => {
  // The same compile `npm start` runs; the tests below exercise its output.
  await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT });
}, 120_000);

afterAll(async () => {
  await stopAllMains();
});

describe('a bad configuration stops the start with one clear line', () => {
  const cases: Array<{ what: string; env: Record<string, string>; mentions: RegExp[] }> = [
    {
      what: 'no credentials in production',
      env: { NODE_ENV: 'production' },
      mentions: [/\bSECTIGO_LOGIN_NAME\b/, /\bSECTIGO_LOGIN_PASSWORD\b/],
    },
    {
      what: 'plain http: to a host that is not loopback',
      env: { NODE_ENV: 'production', ...CREDENTIALS, SECTIGO_API_URL: 'http://example.com/x' },
      mentions: [/\bSECTIGO_API_URL\b/, /https/],
    },
    {
      what: 'a PORT that is not a number',
      env: { NODE_ENV: 'production', ...CREDENTIALS, PORT: 'abc' },
      mentions: [/\bPORT\b/, /"abc"/],
    },
    {
      what: 'a negative CACHE_TTL_MS',
      env: { NODE_ENV: 'production', ...CREDENTIALS, CACHE_TTL_MS: '-5' },
      mentions: [/\bCACHE_TTL_MS\b/, /-5/],
    },
  ];

  it.each(cases)('$what', async ({ env, mentions }) => {
    const started = performance.now();
    const main = await startMain(MAIN, env);
    const { code } = await main.closed;
    const elapsedMs = performance.now() - started;

    expect(code).toBe(1);
    const stderr = main.stderr();
    expect(stderr.endsWith('\n')).toBe(true);
    const lines = stderr.trimEnd().split('\n');
    expect(lines, stderr).toHaveLength(1);
    for (const mention of mentions) expect(lines[0]).toMatch(mention);
    expect(stderr).not.toContain(PASSWORD);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(main.stdout).toEqual([]);
    // Nothing is started or awaited before the check: it fails as fast as node loads the code.
    expect(elapsedMs).toBeLessThan(8_000);
  });
});

describe('a production process (NODE_ENV=production, LOG_LEVEL=debug)', () => {
  let simulator: Simulator;
  let main: RunningMain;
  let base: string;
  let port: number;
  let listening: LogEntry;
  /** Every response body read, scanned for the password at the end. */
  const bodies: string[] = [];

  async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string; text: string }> {
    const response = await fetch(`${base}${path}`, { headers });
    const text = await response.text();
    bodies.push(text);
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
  }

  type Body = { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  async function graphql(query: string): Promise<{ status: number; body: Body }> {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const text = await response.text();
    bodies.push(text);
    return { status: response.status, body: JSON.parse(text) as Body };
  }

  beforeAll(async () => {
    simulator = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD });
    port = await freePort();
    main = await startMain(MAIN, {
      NODE_ENV: 'production',
      PORT: String(port),
      SECTIGO_API_URL: simulator.url,
      ...CREDENTIALS,
      LOG_LEVEL: 'debug',
    });
    listening = await main.waitForLog((entry) => entry['event'] === 'listening');
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await stopMain(main);
    await simulator?.close();
  });

  it('logs that it listens on the configured port, with its configuration but not the password', () => {
    expect(listening).toMatchObject({
      event: 'listening',
      port,
      level: 'info',
      url: `http://localhost:${port}/graphql`,
      msg: `subgraph ready: POST http://localhost:${port}/graphql`,
    });
    expect(listening['config']).toMatchObject({
      production: true,
      introspection: false,
      landingPage: false,
      upstream: { kind: 'sectigo', loginName: LOGIN },
    });
    expect(JSON.stringify(listening)).not.toContain(PASSWORD);
  });

  it('answers GET /health with 200 and a JSON body', async () => {
    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(health.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
  });

  it('serves a query and logs the upstream call and a graphql_operation line for it', async () => {
    const result = await graphql(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { orderNumber status } }`);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ data: { order: { orderNumber: DEMO_ORDERS.dvIssued, status: 'Issued' } } });
    const operation = await main.waitForLog((entry) => entry['event'] === 'graphql_operation');
    expect(operation).toMatchObject({ upstreamCalls: 1, errorCodes: [] });
    const call = await main.waitForLog((entry) => entry['event'] === 'upstream_call');
    expect(call).toMatchObject({ outcome: 'ok', queryType: 0 });
  });

  it('hides stack traces in error responses', async () => {
    const result = await graphql('{ order(orderNumber: "12x") { status } }');
    expect(result.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(result.body.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
    expect(JSON.stringify(result.body)).not.toMatch(/\bat .+\.js:\d+/);
  });

  it('rejects introspection', async () => {
    const result = await graphql('{ __schema { types { name } } }');
    expect(result.status).toBe(400);
    expect(result.body.data ?? null).toBeNull();
    expect(result.body.errors?.[0]?.message).toMatch(/introspection/i);
    // Names the switch an operator can set, not Apollo's constructor option.
    expect(result.body.errors?.[0]?.message).toContain('GRAPHQL_INTROSPECTION=true');
    expect(result.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(result.body)).not.toContain('"Order"');
  });

  it('still publishes its SDL through _service for the router', async () => {
    const result = await graphql('{ _service { sdl } }');
    expect(result.status).toBe(200);
    expect((result.body.data?.['_service'] as { sdl: string } | undefined)?.sdl).toMatch(/type Order\s+@key\(fields: "orderNumber"\)/);
  });

  it('answers a browser on GET /graphql with a small page saying the explorer is off and how to turn it on, not Sandbox', async () => {
    const page = await get('/graphql', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/text\/html/);
    expect(page.text).toContain('GRAPHQL_LANDING_PAGE=true');
    expect(page.text).toContain('GRAPHQL_INTROSPECTION=true');
    expect(page.text).toContain('embeddable-sandbox.cdn.apollographql.com');
    expect(page.text).not.toMatch(/<script/i);
    // A GET query (with its CSRF header) is still GraphQL, not the page.
    const json = await get(`/graphql?query=${encodeURIComponent('{ __typename }')}`, { 'apollo-require-preflight': 'true' });
    expect(json.contentType).toMatch(/application\/(graphql-response\+)?json/);
  });

  it('exposes the subgraph metrics and the default process metrics on /metrics', async () => {
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.contentType).toMatch(/^text\/plain/);
    for (const name of [
      'sectigo_upstream_calls_total',
      'sectigo_upstream_call_duration_seconds',
      'order_loads_total',
      'order_cache_evictions_total',
      'order_cache_bytes',
      'sectigo_upstream_in_flight',
      'graphql_operations_total',
      // prom-client defaults
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(metrics.text, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
    expect(metrics.text).toMatch(/^sectigo_upstream_calls_total\{[^}]*outcome="ok"[^}]*\} 1$/m);
  });

  it('wrote only JSON lines to stdout, nothing to stderr, and the password nowhere', () => {
    expectCleanJsonLogs(main);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) expect(body).not.toContain(PASSWORD);
  });
});

describe('SIGTERM', () => {
  let simulator: Simulator | undefined;
  let main: RunningMain | undefined;

  afterEach(async () => {
    await stopMain(main);
    await simulator?.close();
  });

  it('drains an in-flight request, exits 0, and then refuses connections', async () => {
    simulator = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD });
    const port = await freePort();
    main = await startMain(MAIN, { NODE_ENV: 'production', PORT: String(port), SECTIGO_API_URL: simulator.url, ...CREDENTIALS });
    await main.waitForLog((entry) => entry['event'] === 'listening');

    simulator.setLatency(400);
    const inFlight = fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ order(orderNumber: "${DEMO_ORDERS.ovPendingFound}") { orderNumber status } }` }),
    });
    // The request has reached the upstream, so it is in flight in the service.
    await simulator.waitForCalls(1);
    expect(main.child.kill('SIGTERM')).toBe(true);

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { order: { orderNumber: DEMO_ORDERS.ovPendingFound, status: 'Pending' } } });

    expect(await main.closed).toEqual({ code: 0, signal: null });
    await main.waitForLog((entry) => entry['event'] === 'shutdown' && entry['signal'] === 'SIGTERM');
    expectCleanJsonLogs(main);

    const socket = connect({ host: '127.0.0.1', port });
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });
});

describe('SIGTERM with an upstream call that never ends', () => {
  let simulator: Simulator | undefined;
  let main: RunningMain | undefined;

  afterEach(async () => {
    await stopMain(main);
    await simulator?.close();
  });

  it('answers the waiting client UPSTREAM_UNAVAILABLE within the grace, then exits 0', async () => {
    simulator = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD });
    simulator.injectFault({ kind: 'hang' }, Infinity);
    const port = await freePort();
    main = await startMain(MAIN, {
      NODE_ENV: 'production',
      PORT: String(port),
      SECTIGO_API_URL: simulator.url,
      SHUTDOWN_GRACE_MS: '1200',
      ...CREDENTIALS,
    });
    await main.waitForLog((entry) => entry['event'] === 'listening');
    const inFlight = fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }` }),
    });
    await simulator.waitForCalls(1);
    expect(main.child.kill('SIGTERM')).toBe(true);
    const response = await inFlight;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: unknown; errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.data).toEqual({ order: null });
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamCode: 'SECTIGO_CANCELLED' });
    expect(await main.closed).toEqual({ code: 0, signal: null });
    expectCleanJsonLogs(main);
  });
});

describe.skipIf(!hasRedisServer() && process.env['CI'] !== 'true')(redisTitle('two production processes sharing one Redis'), () => {
  let simulator: Simulator;
  let redis: RedisServer;
  const mains: RunningMain[] = [];

  beforeAll(async () => {
    simulator = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD });
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(mains.map((main) => stopMain(main)));
    await simulator?.close();
    await redis?.stop();
  });

  async function replica(env: Record<string, string> = {}): Promise<string> {
    const port = await freePort();
    const main = await startMain(MAIN, {
      NODE_ENV: 'production',
      ...CREDENTIALS,
      SECTIGO_API_URL: simulator.url,
      REDIS_URL: redis.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    });
    mains.push(main);
    await main.waitForLog((entry) => entry['event'] === 'listening');
    await main.waitForLog((entry) => entry['event'] === 'redis_connection' && entry['state'] === 'ready');
    return `http://127.0.0.1:${port}/graphql`;
  }

  it('make one upstream call for an order asked of both, at once or one after the other', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const ask = (url: string, id: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ order(orderNumber: "${id}") { status } }` }),
      }).then((r) => r.json() as Promise<{ data?: { order?: { status?: string } } }>);

    const one = await ask(a, DEMO_ORDERS.dvIssued);
    const other = await ask(b, DEMO_ORDERS.dvIssued);
    expect([one.data?.order?.status, other.data?.order?.status]).toEqual(['Issued', 'Issued']);
    expect(simulator.calls.filter((c) => c.orderNumber === DEMO_ORDERS.dvIssued)).toHaveLength(1);

    simulator.setLatency(150);
    const both = await Promise.all([ask(a, DEMO_ORDERS.rejected), ask(b, DEMO_ORDERS.rejected)]);
    expect(both.map((r) => r.data?.order?.status)).toEqual(['Rejected', 'Rejected']);
    expect(simulator.calls.filter((c) => c.orderNumber === DEMO_ORDERS.rejected)).toHaveLength(1);
  });

  it('share one UPSTREAM_RATE_LIMIT: 24 cold orders asked of both at once take about 24/5 s at the simulator, not half that', async () => {
    const env = { UPSTREAM_RATE_LIMIT: '5', UPSTREAM_MAX_CONCURRENCY: '8', UPSTREAM_MAX_CONNECTIONS: '8', REDIS_KEY_PREFIX: 'rate-test' };
    const [a, b] = await Promise.all([replica(env), replica(env)]);
    const ids = Array.from({ length: 24 }, (_, i) => String(20_500_000 + i));
    const ask = (url: string, list: readonly string[]) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ orders(orderNumbers: ${JSON.stringify(list)}) { status } }` }),
      }).then((r) => r.json() as Promise<{ errors?: unknown }>);
    simulator.resetCalls();
    const started = performance.now();
    const answers = Promise.all([ask(a, ids.slice(0, 12)), ask(b, ids.slice(12))]);
    await simulator.waitForCalls(24);
    const elapsedMs = performance.now() - started;
    expect((await answers).map((answer) => answer.errors)).toEqual([undefined, undefined]);
    expect(simulator.calls).toHaveLength(24);
    // 5 per one-second window for the account: the 24th call starts in the fifth window (>= 4 s).
    // With a limit per replica (10/s together) it would start within 2.4 s.
    expect(elapsedMs).toBeGreaterThanOrEqual(3_500);
    const ready = (await (await fetch(a.replace('/graphql', '/health/ready'))).json()) as Record<string, unknown>;
    expect(ready['upstreamRateLimiter']).toMatchObject({ mode: 'shared', limit: 5, replicas: 2, localShare: 2 });
  }, 20_000);
});
