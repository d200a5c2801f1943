/**
 * Soak test (not in CI): minutes of mixed load with injected upstream faults
 * and, beside it, a hostile mix; then outcomes per client kind, the upstream
 * call rate seen at the simulator, latency and memory.
 *
 *   npm run soak                          # 120 s: 16 mixed + 4 well-behaved clients + the hostile mix
 *   SOAK_SECONDS=600 SOAK_CLIENTS=32 npm run soak
 *   SOAK_HOSTILE=0 npm run soak           # no hostile mix: the mixed load and faults only (a baseline)
 *
 * Environment: SOAK_SECONDS (120), SOAK_CLIENTS (16 mixed clients),
 * SOAK_WELL_BEHAVED (4), SOAK_HOSTILE (1; 0 turns the hostile mix off),
 * SOAK_FAULT_SHARE (0.25, see "Faults"), SOAK_NO_HUGE=1 (no huge, drip, 502
 * or garbage faults).
 *
 * Everything runs on loopback: the simulator, the subgraph (in this process,
 * production-like settings with retries, breaker, stale-if-error and the
 * default UPSTREAM_RATE_LIMIT / ORDERS_MAX_IDS on; HTTP header/request
 * timeouts shortened to 2 s / 4 s so slow clients cycle faster) and the
 * clients. Every loop is bounded by time and stops by itself; a watchdog
 * fails the run if it does not.
 *
 * Client kinds (each is a row of `outcomes`):
 * - mixed (SOAK_CLIENTS): the original soak queries: single orders with
 *   various selections, and 20-id `orders` lists, over the demo orders and
 *   synthetic 20000000..20004999.
 * - wellBehavedWarm / wellBehavedCold (SOAK_WELL_BEHAVED clients, one
 *   request at a time, 10 ms apart): `{ order { status } }` for a demo order
 *   (kept warm by everyone) or for a synthetic order never asked before
 *   (22000000 up). Their latency is the headline figure.
 * Hostile (unless SOAK_HOSTILE=0):
 * - poison (2 clients): orders 20900001..20900004 faulted permanently
 *   (injectFault(..., Infinity, { orderNumber }): two HTTP 503, two hangs),
 *   asked again and again in several spellings (20900001, 020900001,
 *   00000020900001, ...), alone, aliased, as `_entities`, or several
 *   spellings in one `orders` list.
 * - entitiesOverBudget (1 client): `_entities` in nested named fragments,
 *   inline fragments and aliases, 101..120 distinct representations (or 101
 *   spellings of one order), all from 28000000 up: each must be refused
 *   (HTTP 400 BAD_USER_INPUT) and no 28xxxxxx order may ever reach the
 *   simulator.
 * - entitiesAtBudget (1 client): exactly ORDERS_MAX_IDS distinct orders over
 *   two aliased, fragment-wrapped `_entities` (the second list spelling the
 *   same ids with leading zeros, or another half): must be allowed (HTTP
 *   200 with data; some orders may still miss UPSTREAM_DEADLINE_MS).
 * - bigOrders (2 clients): `orders` of ORDERS_MAX_IDS cold ids (24000000 up,
 *   never repeated).
 * - malformed (1 client): syntax errors, mutations, subscriptions, unknown
 *   fields, bad JSON, batches, over the depth/alias/token/directive limits,
 *   bad variables, a wrong content type, a GET mutation.
 * - slowHeaders / dripBody / chunkedOverLimit / declaredOverLimit (3 raw
 *   node:net connections at a time): headers sent a byte every 100 ms, a body
 *   dripping a byte every 50 ms, a chunked body sent until the server hangs up,
 *   a Content-Length of 10 MB. Each must be cut off (408 / 413).
 *
 * Faults: every 250 ms three random faults for any order (and a -16 every
 * 10 s), as before, but never more than SOAK_FAULT_SHARE faults per upstream
 * call seen: with the 20 calls/s rate limit, 12 faults/s would otherwise
 * queue up faster than calls consume them and fault nearly every call.
 *
 * Output (stdout, JSON): what the soak always printed (`requests`,
 * `latencyMs`, `byCode` count each error of the mixed clients), plus
 * `outcomes` (per kind: requests, ok = HTTP 200 without errors, `codes` =
 * responses carrying each extensions.code, `http` = status classes,
 * `statuses` for raw sockets, `transport` = no HTTP answer, p50/p99),
 * `wellBehavedLatencyMs`, `upstream` (calls per 1-second bucket at the
 * simulator: max, mean, the series, and the max over any sliding second),
 * `hostile` (poison calls, budget checks, slow-client hold times),
 * `http5xx`, `internalServerErrors`, heap after a forced GC, and `checks`.
 *
 * Exit status 1 if any check fails: an HTTP 5xx or INTERNAL_SERVER_ERROR, a
 * 1-second bucket over UPSTREAM_RATE_LIMIT + 1, a transport failure of a
 * mixed or well-behaved client, an over-budget request not refused or one of
 * its orders reaching the simulator, an at-budget request refused, a slow
 * client not cut off within 30 s, the post-fault request failing; or if the
 * process dies (uncaught error, event loop running dry) or overruns.
 */
import { connect, type Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logging.js';
import { configuredUpstream, createSubgraph } from '../src/server.js';
import { DEMO_ORDERS, startSimulator, type Fault, type RecordedCall } from '../src/simulator/index.js';
import type { FaultMatch } from '../src/simulator/types.js';

const credentials = { loginName: 'soak', loginPassword: 'soak-password-never-logged' };

// ---------------------------------------------------------------------------
// The simulator runs in a worker thread (this same file), as a remote Sectigo
// would: on its own event loop, so the arrival times it records are not
// delayed by the subgraph's and the clients' work. It reports every call it
// records, timestamped (epoch ms) when recorded.
// ---------------------------------------------------------------------------
type ToSimulator =
  | { readonly type: 'inject'; readonly fault: Fault; readonly times: number; readonly match: FaultMatch }
  | { readonly type: 'clear' }
  | { readonly type: 'close' };
type FromSimulator =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'calls'; readonly at: number; readonly orderNumbers: ReadonlyArray<string | undefined> }
  | { readonly type: 'closed' };

if (!isMainThread && (workerData as { role?: string } | null)?.role === 'soak-simulator' && parentPort !== null) {
  const port = parentPort;
  const post = (message: FromSimulator) => port.postMessage(message);
  const simulator = await startSimulator({ ...credentials, latencyMs: 20, maxRecordedCalls: 1000 });
  port.on('message', (message: ToSimulator) => {
    switch (message.type) {
      case 'inject':
        simulator.injectFault(message.fault, message.times, message.match);
        return;
      case 'clear':
        simulator.clearFaults();
        return;
      case 'close':
        void simulator.close().then(() => {
          post({ type: 'closed' });
          process.exit(0); // ends this worker only
        });
        return;
    }
  });
  post({ type: 'ready', url: simulator.url });
  // waitForCalls counts past the recorded-calls bound, and `calls` entries
  // are frozen objects: the new ones are those after the last one seen.
  let seen = 0;
  let last: RecordedCall | undefined;
  for (;;) {
    try {
      await simulator.waitForCalls(seen + 1);
    } catch {
      break; // closed
    }
    const at = performance.timeOrigin + performance.now();
    const snapshot = simulator.calls;
    const fresh = snapshot.slice(last === undefined ? 0 : snapshot.lastIndexOf(last) + 1);
    if (fresh.length === 0) continue;
    last = fresh.at(-1);
    seen += fresh.length;
    post({ type: 'calls', at, orderNumbers: fresh.map((call) => call.orderNumber) });
  }
  await new Promise<never>(() => {}); // the rest of this file is the main thread's
}

const seconds = Number(process.env['SOAK_SECONDS'] ?? '120');
const clients = Number(process.env['SOAK_CLIENTS'] ?? '16');
const wellBehavedClients = Number(process.env['SOAK_WELL_BEHAVED'] ?? '4');
const hostile = process.env['SOAK_HOSTILE'] !== '0';
const faultShare = Number(process.env['SOAK_FAULT_SHARE'] ?? '0.25');

// A soak that dies must not look like one that passed.
let finished = false;
const die = (what: string, error: unknown): void => {
  process.stderr.write(`soak: FAILED: ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
};
process.on('uncaughtException', (error) => die('uncaught exception (the process would have died)', error));
process.on('unhandledRejection', (error) => die('unhandled rejection (the process would have died)', error));
process.on('exit', (code) => {
  if (!finished && code === 0) {
    process.stderr.write('soak: FAILED: the process is exiting before the soak finished (its event loop ran dry)\n');
    process.exit(1);
  }
});
setTimeout(() => die('watchdog', new Error(`the soak did not finish within ${seconds + 120} s`)), (seconds + 120) * 1000).unref();

// The simulator's worker, and what it reports.
const worker = new Worker(
  `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`,
  { eval: true, workerData: { role: 'soak-simulator' } },
);
let simulatorClosing = false;
worker.on('error', (error) => die('the simulator worker failed', error));
worker.on('exit', (code) => {
  if (!simulatorClosing) die('the simulator worker exited', new Error(`exit code ${code}`));
});
const onCalls: Array<(at: number, orderNumbers: ReadonlyArray<string | undefined>) => void> = [];
let simulatorClosed: () => void = () => {};
const closedSignal = new Promise<void>((resolve) => {
  simulatorClosed = resolve;
});
const simulatorUrl = await new Promise<string>((resolve) => {
  worker.on('message', (message: FromSimulator) => {
    switch (message.type) {
      case 'ready':
        resolve(message.url);
        return;
      case 'calls':
        for (const listener of onCalls) listener(message.at, message.orderNumbers);
        return;
      case 'closed':
        simulatorClosed();
        return;
    }
  });
});
const toSimulator = (message: ToSimulator) => worker.postMessage(message);
const simulator = {
  url: simulatorUrl,
  injectFault: (fault: Fault, times = 1, match: FaultMatch = {}) => toSimulator({ type: 'inject', fault, times, match }),
  clearFaults: () => toSimulator({ type: 'clear' }),
  close: async () => {
    simulatorClosing = true;
    toSimulator({ type: 'close' });
    await closedSignal;
  },
};

const config = loadConfig({
  SECTIGO_API_URL: simulator.url,
  SECTIGO_LOGIN_NAME: credentials.loginName,
  SECTIGO_LOGIN_PASSWORD: credentials.loginPassword,
  CACHE_TTL_MS: '2000',
  CACHE_MAX_BYTES: String(4 * 1024 * 1024),
  STALE_IF_ERROR_MS: '30000',
  UPSTREAM_TIMEOUT_MS: '300',
  UPSTREAM_DEADLINE_MS: '1500',
  UPSTREAM_BREAKER_HALF_OPEN_MS: '1000',
  UPSTREAM_AUTH_BACKOFF_MS: '500',
  UPSTREAM_MAX_CONNECTIONS: '16',
  HTTP_HEADERS_TIMEOUT_MS: '2000',
  HTTP_REQUEST_TIMEOUT_MS: '4000',
  LOG_LEVEL: 'silent',
});
const subgraph = await createSubgraph({ config, upstream: configuredUpstream(config), logger: createLogger('silent') });
const { port } = await subgraph.listen(0, '127.0.0.1');
const url = `http://127.0.0.1:${port}/graphql`;
const rateLimit = config.upstreamRateLimit;
const maxIds = config.maxOrdersPerQuery;
const MiB = (bytes: number) => Math.round(bytes / 2 ** 20);
/** A full collection: global.gc under node --expose-gc, else the flag set at run time. False if neither works. */
function collectGarbage(): boolean {
  try {
    const globalGc = (globalThis as { gc?: () => void }).gc;
    if (typeof globalGc === 'function') globalGc();
    else {
      setFlagsFromString('--expose-gc');
      (runInNewContext('gc') as () => void)();
    }
    return true;
  } catch {
    return false;
  }
}
// The baseline: what the subgraph holds, idle, before any load.
const heapUsedAtStartMiB = collectGarbage() ? MiB(process.memoryUsage().heapUsed) : null;
// How late this thread's (the subgraph's and the clients') callbacks run: context for the latencies.
const eventLoopDelay = monitorEventLoopDelay({ resolution: 10 });
eventLoopDelay.enable();
const startedAt = performance.now();
const deadline = startedAt + seconds * 1000;
const running = () => performance.now() < deadline;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const range = (n: number, from: number) => Array.from({ length: n }, (_, i) => String(from + i));
const reps = (ids: readonly string[]) => ids.map((orderNumber) => ({ __typename: 'Order', orderNumber }));
const zeros = (id: string, n: number) => `${'0'.repeat(n)}${id}`;

// ---------------------------------------------------------------------------
// What the simulator sees: every call, timestamped as the simulator records it.
// ---------------------------------------------------------------------------
const POISON = [
  { orderNumber: '20900001', fault: { kind: 'http', status: 503 } },
  { orderNumber: '20900002', fault: { kind: 'http', status: 503, body: '<html>Service Unavailable</html>', contentType: 'text/html' } },
  { orderNumber: '20900003', fault: { kind: 'hang' } },
  { orderNumber: '20900004', fault: { kind: 'hang' } },
] as const satisfies ReadonlyArray<{ orderNumber: string; fault: Fault }>;
const poisonCalls = new Map<string, number>(POISON.map((p) => [p.orderNumber, 0]));
const REFUSED_FROM = 28_000_000;
const isRefusedId = (id: string | undefined) => id !== undefined && /^0*28[0-9]{6}$/.test(id);
const callTimes: number[] = [];
const refusedIdCalls: string[] = [];
let seenCalls = 0;
onCalls.push((at, orderNumbers) => {
  const since = at - (performance.timeOrigin + startedAt);
  seenCalls += orderNumbers.length;
  for (const orderNumber of orderNumbers) {
    callTimes.push(since);
    const canonical = orderNumber?.replace(/^0+(?=[0-9])/, '');
    if (canonical !== undefined && poisonCalls.has(canonical)) poisonCalls.set(canonical, (poisonCalls.get(canonical) ?? 0) + 1);
    if (isRefusedId(orderNumber)) refusedIdCalls.push(orderNumber ?? '');
  }
});

// ---------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------
const FAULTS: Fault[] =
  process.env['SOAK_NO_HUGE'] === '1'
    ? [{ kind: 'hang' }, { kind: 'reset' }, { kind: 'errorCode', code: -14 }]
    : [
        { kind: 'hang' },
        { kind: 'slowDrip', chunkDelayMs: 200 },
        { kind: 'reset' },
        { kind: 'http', status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' },
        { kind: 'errorCode', code: -14 },
        { kind: 'huge', bytes: 2 * 1024 * 1024 },
        { kind: 'body', body: new Uint8Array([0xff, 0xfe, 0x00]) },
      ];
if (hostile) for (const { orderNumber, fault } of POISON) simulator.injectFault(fault, Infinity, { orderNumber });
let faultsInjected = 0;
let ticks = 0;
const faults = setInterval(() => {
  if (faultsInjected + 3 <= faultShare * seenCalls + 3) {
    for (let i = 0; i < 3; i += 1) simulator.injectFault(pick(FAULTS));
    faultsInjected += 3;
  }
  // A -16 now and then: the subgraph must back off, not hammer.
  ticks += 1;
  if (ticks % 40 === 0) {
    simulator.injectFault({ kind: 'errorCode', code: -16 });
    faultsInjected += 1;
  }
}, 250);

// ---------------------------------------------------------------------------
// Outcomes
// ---------------------------------------------------------------------------
interface KindStats {
  requests: number;
  ok: number;
  readonly codes: Map<string, number>;
  readonly http: Map<string, number>;
  readonly statuses: Map<string, number>;
  readonly transport: Map<string, number>;
  readonly latencies: number[];
}
const kinds = new Map<string, KindStats>();
const statsOf = (kind: string): KindStats => {
  let stats = kinds.get(kind);
  if (stats === undefined) {
    stats = { requests: 0, ok: 0, codes: new Map(), http: new Map(), statuses: new Map(), transport: new Map(), latencies: [] };
    kinds.set(kind, stats);
  }
  return stats;
};
const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);
let http5xx = 0;
let internalServerErrors = 0;
const serverErrorSamples: string[] = [];
const sample = (what: string) => {
  if (serverErrorSamples.length < 10) serverErrorSamples.push(what.slice(0, 600));
};

interface GraphQLBody {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: ReadonlyArray<{ readonly message?: string; readonly extensions?: { readonly code?: string } }>;
  readonly extensions?: { readonly staleOrders?: unknown[] };
}
interface Answer {
  readonly status: number;
  /** Undefined when the body is not JSON. */
  readonly body: GraphQLBody | undefined;
}

function transportCode(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout (no answer in 20 s)';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

interface Send {
  readonly body?: string;
  readonly method?: string;
  readonly contentType?: string;
  readonly search?: string;
}

/** One HTTP request, its outcome recorded under `kind`; undefined on a transport failure. */
async function send(kind: string, what: Send, label = ''): Promise<Answer | undefined> {
  const stats = statsOf(kind);
  const started = performance.now();
  let answer: Answer | undefined;
  try {
    const response = await fetch(`${url}${what.search ?? ''}`, {
      method: what.method ?? 'POST',
      headers: { 'content-type': what.contentType ?? 'application/json' },
      ...(what.body === undefined ? {} : { body: what.body }),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    let body: GraphQLBody | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      body = typeof parsed === 'object' && parsed !== null ? parsed : undefined;
    } catch {
      body = undefined;
    }
    answer = { status: response.status, body };
    bump(stats.http, `${Math.floor(response.status / 100)}xx`);
    const errors: NonNullable<GraphQLBody['errors']> = Array.isArray(body?.errors) ? (body?.errors ?? []) : [];
    if (body === undefined) bump(stats.codes, '(body not JSON)');
    else if (response.status === 200 && errors.length === 0) stats.ok += 1;
    const codes = new Set(errors.map((error) => error?.extensions?.code ?? '(no code)'));
    for (const code of codes) bump(stats.codes, code);
    if (response.status >= 500) {
      http5xx += 1;
      sample(
        `${kind}${label}: HTTP ${response.status} for ${what.method ?? 'POST'} ${what.search ?? ''}${(what.body ?? '').slice(0, 300)} -> ${text.slice(0, 200)}`,
      );
    }
    if (codes.has('INTERNAL_SERVER_ERROR')) {
      internalServerErrors += 1;
      sample(
        `${kind}${label}: INTERNAL_SERVER_ERROR for ${what.method ?? 'POST'} ${what.search ?? ''}${(what.body ?? '').slice(0, 300)} -> ${text.slice(0, 200)}`,
      );
    }
  } catch (error) {
    bump(stats.transport, transportCode(error));
  }
  stats.requests += 1;
  stats.latencies.push(performance.now() - started);
  return answer;
}
const gql = (query: string, variables?: Record<string, unknown>): Send => ({
  body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
});

// ---------------------------------------------------------------------------
// mixed: the original soak clients, with the original figures.
// ---------------------------------------------------------------------------
const demo = Object.values(DEMO_ORDERS);
let seq = 0;
function nextQuery(): string {
  seq += 1;
  const id = Math.random() < 0.5 ? pick(demo) : String(20_000_000 + (seq % 5_000));
  switch (seq % 5) {
    case 0:
      return `{ order(orderNumber: "${id}") { status certificates { validity { notAfter } } } }`;
    case 1:
      return `{ order(orderNumber: "${id}") { certificates { validation { dcv caa } } } }`;
    case 2:
      return `{ orders(orderNumbers: ${JSON.stringify(Array.from({ length: 20 }, () => pick(demo)))}) { status } }`;
    case 3:
      return `{ order(orderNumber: "${id}") { replacementOrders { orderNumber } } }`;
    default:
      return `{ order(orderNumber: "${id}") { status } }`;
  }
}

const codes = new Map<string, number>();
const latencies: number[] = [];
let requests = 0;
let stale = 0;
async function mixedClient(): Promise<void> {
  while (running()) {
    const started = performance.now();
    const answer = await send('mixed', gql(nextQuery()));
    if (answer === undefined || answer.body === undefined) {
      bump(codes, 'HTTP_FAILURE');
    } else {
      if (answer.body.extensions?.staleOrders !== undefined) stale += 1;
      const list = answer.body.errors ?? [];
      if (list.length === 0) bump(codes, 'ok');
      for (const error of list) bump(codes, error.extensions?.code ?? 'none');
    }
    latencies.push(performance.now() - started);
    requests += 1;
  }
}

// ---------------------------------------------------------------------------
// wellBehaved: one small single-order query at a time.
// ---------------------------------------------------------------------------
let coldNext = 22_000_000;
async function wellBehavedClient(): Promise<void> {
  while (running()) {
    const warm = Math.random() < 0.5;
    const id = warm ? pick(demo) : String(coldNext++);
    await send(warm ? 'wellBehavedWarm' : 'wellBehavedCold', gql(`{ order(orderNumber: "${id}") { status } }`));
    await sleep(10);
  }
}

// ---------------------------------------------------------------------------
// Hostile
// ---------------------------------------------------------------------------
let poisonRequests = 0;
async function poisonClient(): Promise<void> {
  let n = 0;
  while (running()) {
    n += 1;
    const { orderNumber } = pick(POISON);
    const spelled = zeros(orderNumber, pick([0, 0, 1, 2, 6]));
    let query: Send;
    switch (n % 5) {
      case 0:
        query = gql(`{ orders(orderNumbers: ${JSON.stringify([orderNumber, zeros(orderNumber, 1), zeros(orderNumber, 3)])}) { status } }`);
        break;
      case 1:
        query = gql(`{ a: order(orderNumber: "${orderNumber}") { status } b: order(orderNumber: "${zeros(orderNumber, 2)}") { status } }`);
        break;
      case 2:
        query = gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { status } } }`, {
          r: reps([spelled, zeros(orderNumber, 4)]),
        });
        break;
      case 3:
        // A poison order beside a healthy one: the healthy one must still be answered.
        query = gql(`{ orders(orderNumbers: ["${spelled}", "${DEMO_ORDERS.dvIssued}"]) { status } }`);
        break;
      default:
        query = gql(`{ order(orderNumber: "${spelled}") { status } }`);
    }
    poisonRequests += 1;
    await send('poison', query);
  }
}

let refusedNext = REFUSED_FROM;
const refusedIds = (n: number) => {
  const ids = range(n, refusedNext);
  refusedNext += n;
  if (refusedNext > 28_999_000) refusedNext = REFUSED_FROM;
  return ids;
};
let overBudgetNotRefused = 0;
const overBudgetSamples: string[] = [];
function overBudgetQuery(n: number): Send {
  switch (n % 5) {
    case 0:
      // Nested named fragments, aliased: 60 + 60 distinct.
      return gql(
        `query($r: [_Any!]!, $s: [_Any!]!) { ...Outer } fragment Outer on Query { ...Inner b: _entities(representations: $s) { __typename } } fragment Inner on Query { a: _entities(representations: $r) { ... on Order { status } } }`,
        { r: reps(refusedIds(60)), s: reps(refusedIds(60)) },
      );
    case 1:
      // One list one over the budget, in an inline fragment.
      return gql(`query($r: [_Any!]!) { ... { _entities(representations: $r) { ... on Order { status } } } }`, {
        r: reps(refusedIds(maxIds + 1)),
      });
    case 2: {
      // Three aliased literal lists, 34 each.
      const literal = (ids: string[]) => JSON.stringify(reps(ids)).replace(/"(__typename|orderNumber)"/g, '$1');
      const fields = [0, 1, 2].map(
        (i) => `e${i}: _entities(representations: ${literal(refusedIds(Math.ceil((maxIds + 1) / 3)))}) { ... on Order { status } }`,
      );
      return gql(`{ ... on Query { ${fields.join(' ')} } }`);
    }
    case 3: {
      // One order spelled maxIds + 1 ways: the list is over the budget however few orders it names.
      const [id] = refusedIds(1) as [string];
      return gql(`query($r: [_Any!]!) { ...E } fragment E on Query { x: _entities(representations: $r) { __typename } }`, {
        r: reps(Array.from({ length: maxIds + 1 }, (_, i) => zeros(id, i % 20))),
      });
    }
    default: {
      // Across root fields: orders + _entities, maxIds + 1 distinct.
      const half = Math.floor(maxIds / 2);
      return gql(
        `query($r: [_Any!]!) { orders(orderNumbers: ${JSON.stringify(refusedIds(half))}) { status } ... { _entities(representations: $r) { ... on Order { status } } } }`,
        {
          r: reps(refusedIds(maxIds + 1 - half)),
        },
      );
    }
  }
}
async function entitiesOverBudgetClient(): Promise<void> {
  let n = 0;
  while (running()) {
    n += 1;
    const answer = await send('entitiesOverBudget', overBudgetQuery(n), ` variant ${n % 5}`);
    const refused =
      answer !== undefined &&
      answer.status === 400 &&
      answer.body?.data === undefined &&
      answer.body?.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT';
    if (answer !== undefined && !refused) {
      overBudgetNotRefused += 1;
      if (overBudgetSamples.length < 5)
        overBudgetSamples.push(`variant ${n % 5}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
  }
}

let atBudgetNext = 0;
let atBudgetRefused = 0;
const atBudgetSamples: string[] = [];
const atBudgetOrders = { answered: 0, failed: 0 };
function countOrders(body: GraphQLBody | undefined, into: { answered: number; failed: number }): void {
  for (const value of Object.values(body?.data ?? {})) {
    if (!Array.isArray(value)) continue;
    for (const item of value) {
      if (item === null) into.failed += 1;
      else into.answered += 1;
    }
  }
}
async function entitiesAtBudgetClient(): Promise<void> {
  let n = 0;
  while (running()) {
    n += 1;
    // Synthetic 23000000..23009999, a block at a time: mostly cold.
    const ids = range(maxIds, 23_000_000 + ((atBudgetNext += maxIds) % 10_000));
    const half = Math.floor(maxIds / 2);
    const query =
      n % 2 === 0
        ? gql(
            `query($r: [_Any!]!, $s: [_Any!]!) { ... { a: _entities(representations: $r) { ... on Order { status } } } ...F } fragment F on Query { b: _entities(representations: $s) { ... on Order { status } } }`,
            { r: reps(ids), s: reps(ids.map((id, i) => zeros(id, 1 + (i % 3)))) },
          )
        : gql(
            `query($r: [_Any!]!, $s: [_Any!]!) { ... on Query { a: _entities(representations: $r) { ... on Order { status } } } ...F } fragment F on Query { ... { b: _entities(representations: $s) { ... on Order { orderNumber } } } }`,
            { r: reps(ids.slice(0, half)), s: reps(ids.slice(half).map((id) => zeros(id, 2))) },
          );
    const answer = await send('entitiesAtBudget', query, ` variant ${n % 2}`);
    if (answer === undefined) continue;
    const refused = answer.status === 400 || answer.body?.data === undefined || answer.body?.data === null;
    if (refused) {
      atBudgetRefused += 1;
      if (atBudgetSamples.length < 5)
        atBudgetSamples.push(`variant ${n % 2}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
    // The `_entities` entries per alias; orders that missed their deadline are null.
    countOrders(answer.body, atBudgetOrders);
  }
}

let bigNext = 24_000_000;
const bigOrders = { answered: 0, failed: 0 };
async function bigOrdersClient(): Promise<void> {
  while (running()) {
    const ids = range(maxIds, bigNext);
    bigNext += maxIds;
    const answer = await send('bigOrders', gql(`query($o: [ID!]!) { orders(orderNumbers: $o) { orderNumber status } }`, { o: ids }));
    countOrders(answer?.body, bigOrders);
  }
}

const DEEP = `{ __schema { types { fields { type { ${'ofType { '.repeat(14)}name${' }'.repeat(14)} } } } } }`;
const MALFORMED: ReadonlyArray<readonly [string, Send]> = [
  ['syntax error', gql(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}" { status } }`)],
  ['unterminated string', gql(`{ order(orderNumber: "1000001) { status } }`)],
  ['mutation', gql(`mutation { order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`)],
  ['subscription', gql(`subscription { order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`)],
  ['unknown field', gql(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { nope } }`)],
  ['not an order number', gql(`{ order(orderNumber: "not-a-number") { status } }`)],
  ['70-digit order number', gql(`{ order(orderNumber: "${'9'.repeat(70)}") { status } }`)],
  ['bad JSON', { body: '{"query": "{ order(' }],
  ['query not a string', { body: JSON.stringify({ query: 42 }) }],
  ['no query', { body: '{}' }],
  ['JSON null', { body: 'null' }],
  ['batch', { body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) }],
  ['variables of the wrong type', gql(`query($o: ID!) { order(orderNumber: $o) { status } }`, { o: { x: 1 } })],
  [
    'variables not an object',
    { body: JSON.stringify({ query: 'query($o: ID!) { order(orderNumber: $o) { status } }', variables: [1, 2] }) },
  ],
  [
    'unsafe integer id',
    { body: '{"query":"query($c: ID!) { orderByCertificateId(certificateId: $c) { status } }","variables":{"c":9007199254740993}}' },
  ],
  ['too deep', gql(DEEP)],
  ['too many aliases', gql(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`)],
  ['too many tokens', gql(`{ ${'__typename '.repeat(3_100)} }`)],
  ['too many directives', gql(`{ __typename ${'@include(if: true) '.repeat(60)} }`)],
  ['two operations, no name', gql('query A { __typename } query B { __typename }')],
  ['unknown operation name', { body: JSON.stringify({ query: '{ __typename }', operationName: 'Missing' }) }],
  ['fragment cycle', gql('fragment F on Query { ...F } { ...F }')],
  ['text/plain', { contentType: 'text/plain', body: JSON.stringify({ query: '{ __typename }' }) }],
  ['GET mutation', { method: 'GET', search: `?query=${encodeURIComponent('mutation { __typename }')}` }],
  ['binary garbage', { body: '\u0000\u0001\u00ff garbage' }],
];
async function malformedClient(): Promise<void> {
  let n = 0;
  while (running()) {
    const [label, what] = MALFORMED[n % MALFORMED.length] as readonly [string, Send];
    n += 1;
    await send('malformed', what, ` (${label})`);
    await sleep(2);
  }
}

// Slow clients over raw sockets (see test/resilience/http-limits.test.ts).
const HEAD = `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n`;
const SLOW_KINDS = ['slowHeaders', 'dripBody', 'chunkedOverLimit', 'declaredOverLimit'] as const;
type SlowKind = (typeof SLOW_KINDS)[number];
const EXPECTED_STATUS: Readonly<Record<SlowKind, number>> = {
  slowHeaders: 408,
  dripBody: 408,
  chunkedOverLimit: 413,
  declaredOverLimit: 413,
};
const SLOW_CAP_MS = 30_000;
let slowNotCutOff = 0;
const slowHoldMs = new Map<SlowKind, number[]>();

async function slowConversation(kind: SlowKind): Promise<void> {
  const stats = statsOf(kind);
  const started = performance.now();
  let text = '';
  let socketError: string | undefined;
  const socket: Socket = connect(port, '127.0.0.1');
  socket.on('data', (chunk: Buffer) => {
    if (text.length < 4096) text += chunk.toString('latin1');
  });
  // The server may reset a connection it closes while we still write.
  socket.on('error', (error: NodeJS.ErrnoException) => {
    socketError ??= error.code ?? error.message;
  });
  const closed = new Promise<void>((done) => socket.once('close', () => done()));
  let cutOff = true;
  const cap = setTimeout(() => {
    cutOff = false;
    socket.destroy();
  }, SLOW_CAP_MS);
  const write = (data: string) => {
    if (!socket.destroyed && socket.writable) return socket.write(data);
    return true;
  };
  let drip: NodeJS.Timeout | undefined;
  let stopped = false;
  void closed.then(() => {
    stopped = true;
  });
  socket.once('connect', () => {
    switch (kind) {
      case 'slowHeaders': {
        const head = `${HEAD}X-Padding: ${'a'.repeat(4096)}\r\n\r\n{}`;
        let i = 0;
        drip = setInterval(() => write(head[i++ % head.length] as string), 100);
        return;
      }
      case 'dripBody':
        write(`${HEAD}Content-Length: 1000\r\n\r\n{"query":`);
        drip = setInterval(() => write(' '), 50);
        return;
      case 'declaredOverLimit':
        write(`${HEAD}Content-Length: 10000000\r\n\r\n{"query":`);
        return;
      case 'chunkedOverLimit': {
        write(`${HEAD}Transfer-Encoding: chunked\r\n\r\n`);
        const chunk = `${(64 * 1024).toString(16)}\r\n${' '.repeat(64 * 1024)}\r\n`;
        void (async () => {
          let sent = 0;
          // As an attacker would: until the server hangs up (it must, long before 64 MiB).
          while (!stopped && sent < 64 * 1024 * 1024) {
            if (!write(chunk)) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
            sent += chunk.length;
          }
        })();
        return;
      }
    }
  });
  await closed;
  clearTimeout(cap);
  if (drip !== undefined) clearInterval(drip);
  const held = performance.now() - started;
  stats.requests += 1;
  stats.latencies.push(held);
  const holds = slowHoldMs.get(kind) ?? [];
  holds.push(held);
  slowHoldMs.set(kind, holds);
  if (!cutOff) {
    slowNotCutOff += 1;
    bump(stats.transport, `not cut off within ${SLOW_CAP_MS / 1000} s`);
    return;
  }
  const status = /^HTTP\/1\.[01] ([0-9]{3})/.exec(text)?.[1];
  if (status === undefined) {
    bump(stats.transport, socketError === undefined ? 'closed without an answer' : `${socketError} without an answer`);
    return;
  }
  bump(stats.http, `${status[0]}xx`);
  bump(stats.statuses, status);
  if (Number(status) >= 500) {
    http5xx += 1;
    sample(`${kind}: HTTP ${status}: ${text.slice(0, 200)}`);
  }
}
async function slowClient(offset: number): Promise<void> {
  let n = offset;
  while (running()) {
    await slowConversation(SLOW_KINDS[n % SLOW_KINDS.length] as SlowKind);
    n += 1;
  }
}

// ---------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------
const rssSamples: number[] = [];
const heapSamples: number[] = [];
const progress = setInterval(() => {
  const rss = MiB(process.memoryUsage().rss);
  rssSamples.push(rss);
  heapSamples.push(MiB(process.memoryUsage().heapUsed));
  process.stderr.write(
    `soak: ${requests} mixed requests, ${seenCalls} upstream calls, rss ${rss} MiB, heap ${heapSamples.at(-1)} MiB, ${Math.round((deadline - performance.now()) / 1000)} s left\n`,
  );
}, 10_000);

const loops: Array<Promise<void>> = [
  ...Array.from({ length: clients }, mixedClient),
  ...Array.from({ length: wellBehavedClients }, wellBehavedClient),
];
if (hostile) {
  loops.push(
    poisonClient(),
    poisonClient(),
    entitiesOverBudgetClient(),
    entitiesAtBudgetClient(),
    bigOrdersClient(),
    bigOrdersClient(),
    malformedClient(),
    slowClient(0),
    slowClient(1),
    slowClient(2),
  );
}
await Promise.all(loops);
const loadSeconds = (performance.now() - startedAt) / 1000;
clearInterval(faults);
clearInterval(progress);
simulator.clearFaults();
const after = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: `{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }` }),
});
const finalOk = ((await after.json()) as { data?: { order?: { status?: string } } }).data?.order?.status === 'Issued';

// Poison orders, their faults cleared, are served again (nothing negative is kept); the breaker may need a moment.
let poisonServedAfterClear: boolean | 'not run' = 'not run';
if (hostile) {
  const query = `{ orders(orderNumbers: ${JSON.stringify(POISON.map((p) => zeros(p.orderNumber, 1)))}) { status } }`;
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as GraphQLBody;
    poisonServedAfterClear = body.errors === undefined && Array.isArray(body.data?.['orders']);
    if (poisonServedAfterClear) break;
    await sleep(500);
  }
}

// The subgraph's own count of upstream calls, beside what the simulator saw.
const metricsJson = await subgraph.metrics.registry.getMetricsAsJSON();
const subgraphUpstreamCalls = (metricsJson.find((metric) => metric.name === 'sectigo_upstream_calls_total')?.values ?? []).reduce(
  (sum, value) => sum + value.value,
  0,
);
await subgraph.close();
await simulator.close();
eventLoopDelay.disable();

// Collect garbage before the final reading, so retained memory shows, not garbage.
const gcForced = collectGarbage();

const percentile = (sorted: readonly number[], p: number) =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0);
const latencySummary = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: Math.round(sorted.at(-1) ?? 0) };
};
latencies.sort((a, b) => a - b);
const pct = (p: number) => percentile(latencies, p);
const sortedObject = (map: ReadonlyMap<string, number>) => Object.fromEntries([...map].sort(([, a], [, b]) => b - a));

// Upstream calls per 1-second bucket (aligned to the start), and the most in any sliding second.
const buckets = new Array<number>(Math.max(1, Math.ceil(Math.max(...callTimes, loadSeconds * 1000) / 1000))).fill(0);
for (const at of callTimes) buckets[Math.floor(at / 1000)] = (buckets[Math.floor(at / 1000)] ?? 0) + 1;
let slidingMax = 0;
for (let start = 0, end = 0; end < callTimes.length; end += 1) {
  while ((callTimes[end] ?? 0) - (callTimes[start] ?? 0) >= 1000) start += 1;
  slidingMax = Math.max(slidingMax, end - start + 1);
}
const bucketMax = Math.max(...buckets);
const loadBuckets = buckets.slice(0, Math.max(1, Math.floor(loadSeconds)));
const bucketMean = Math.round((loadBuckets.reduce((a, b) => a + b, 0) / loadBuckets.length) * 10) / 10;

const outcomes = Object.fromEntries(
  [...kinds].map(([kind, s]) => [
    kind,
    {
      requests: s.requests,
      ok: s.ok,
      ...(s.codes.size > 0 ? { codes: sortedObject(s.codes) } : {}),
      ...(s.http.size > 0 ? { http: sortedObject(s.http) } : {}),
      ...(s.statuses.size > 0 ? { statuses: sortedObject(s.statuses) } : {}),
      ...(s.transport.size > 0 ? { transport: sortedObject(s.transport) } : {}),
      latencyMs: (({ p50, p99, max }) => ({ p50, p99, max }))(latencySummary(s.latencies)),
    },
  ]),
);
const transportFailures = (kind: string) => [...(kinds.get(kind)?.transport.values() ?? [])].reduce((a, b) => a + b, 0);
const slowUnexpected = SLOW_KINDS.map((kind) => {
  const stats = kinds.get(kind);
  const expected = stats?.statuses.get(String(EXPECTED_STATUS[kind])) ?? 0;
  return stats === undefined ? 0 : stats.requests - expected;
}).reduce((a, b) => a + b, 0);

const checks = {
  noHttp5xx: http5xx === 0,
  noInternalServerError: internalServerErrors === 0 && !codes.has('INTERNAL_SERVER_ERROR'),
  upstreamRateWithinLimit: rateLimit === 0 || bucketMax <= rateLimit + 1,
  noTransportFailureForMixedOrWellBehaved:
    !codes.has('HTTP_FAILURE') && transportFailures('wellBehavedWarm') === 0 && transportFailures('wellBehavedCold') === 0,
  overBudgetAlwaysRefused: overBudgetNotRefused === 0,
  overBudgetNeverCalledUpstream: refusedIdCalls.length === 0,
  atBudgetAlwaysAllowed: atBudgetRefused === 0,
  slowClientsCutOff: slowNotCutOff === 0,
  nextRequestAfterFaultsSucceeded: finalOk,
};
const passed = Object.values(checks).every(Boolean);
const memory = process.memoryUsage();
const summary = {
  seconds,
  clients,
  requests,
  requestsPerSecond: Math.round(requests / seconds),
  latencyMs: { p50: pct(0.5), p99: pct(0.99), max: Math.round(latencies.at(-1) ?? 0) },
  byCode: sortedObject(codes),
  responsesWithStaleData: stale,
  hostileMix: hostile,
  wellBehavedClients,
  wellBehavedLatencyMs: {
    all: latencySummary([...(kinds.get('wellBehavedWarm')?.latencies ?? []), ...(kinds.get('wellBehavedCold')?.latencies ?? [])]),
    warm: latencySummary(kinds.get('wellBehavedWarm')?.latencies ?? []),
    cold: latencySummary(kinds.get('wellBehavedCold')?.latencies ?? []),
  },
  outcomes,
  upstream: {
    rateLimitPerSecond: rateLimit,
    callsSeenAtSimulator: callTimes.length,
    callsCountedBySubgraph: subgraphUpstreamCalls,
    perSecondMax: bucketMax,
    perSecondMean: bucketMean,
    slidingSecondMax: slidingMax,
    perSecond: buckets.join(' '),
    faultsInjected,
  },
  ...(hostile
    ? {
        hostile: {
          poison: {
            requests: poisonRequests,
            upstreamCalls: Object.fromEntries(poisonCalls),
            servedAfterFaultsCleared: poisonServedAfterClear,
          },
          entitiesOverBudget: {
            notRefused: overBudgetNotRefused,
            upstreamCallsForTheirOrders: refusedIdCalls.length,
            samples: overBudgetSamples,
          },
          entitiesAtBudget: { refused: atBudgetRefused, orders: atBudgetOrders, samples: atBudgetSamples },
          bigOrders: { orders: bigOrders },
          slowClientHoldMs: Object.fromEntries([...slowHoldMs].map(([kind, holds]) => [kind, latencySummary(holds)])),
          slowClientsWithoutTheExpectedStatus: slowUnexpected,
        },
      }
    : {}),
  http5xx,
  internalServerErrors,
  serverErrorSamples,
  eventLoopDelayMs: {
    p50: Math.round(eventLoopDelay.percentile(50) / 1e6),
    p99: Math.round(eventLoopDelay.percentile(99) / 1e6),
    max: Math.round(eventLoopDelay.max / 1e6),
  },
  heapUsedAtStartAfterGcMiB: heapUsedAtStartMiB,
  afterGcMiB: {
    gc: gcForced ? 'forced' : 'unavailable: heapUsed includes garbage',
    rss: MiB(memory.rss),
    heapUsed: MiB(memory.heapUsed),
    external: MiB(memory.external),
    arrayBuffers: MiB(memory.arrayBuffers),
  },
  rssSamplesMiB: rssSamples,
  heapSamplesMiB: heapSamples,
  nextRequestAfterFaultsSucceeded: finalOk,
  checks,
  passed,
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
if (!passed)
  process.stderr.write(
    `soak: FAILED: ${Object.entries(checks)
      .filter(([, ok]) => !ok)
      .map(([name]) => name)
      .join(', ')}\n`,
  );
finished = true;
process.exitCode = passed ? 0 : 1;
