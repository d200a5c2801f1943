/**
 * Soak test (not in CI): minutes of mixed load with injected upstream faults
 * and, beside it, a hostile mix; then outcomes per client kind, the upstream
 * call rate seen at the simulator, latency and memory. docs/soak.md says
 * what runs, what is printed and what fails the run.
 *
 *   npm run soak                          # 120 s: 16 mixed + 4 well-behaved clients + the hostile mix
 *   SOAK_SECONDS=600 SOAK_CLIENTS=32 npm run soak
 *   SOAK_HOSTILE=0 npm run soak           # no hostile mix: the mixed load and faults only (a baseline)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logging.js';
import { configuredUpstream, createSubgraph } from '../src/server.js';
import { DEMO_ORDERS, type Fault } from '../src/simulator/index.js';
import { atBudgetQuery, countOrders, overBudgetQuery, poisonQuery, range, zeros } from './soak/hostile-queries.js';
import { MALFORMED } from './soak/malformed.js';
import { bump, kinds, latencySummary, outcomesOf, percentile, perSecond, sortedObject, statsOf } from './soak/outcomes.js';
import { EXPECTED_STATUS, SLOW_CAP_MS, SLOW_KINDS, converse, type SlowKind } from './soak/slow-clients.js';
import { credentials, startRemoteSimulator } from './soak/remote-simulator.js';
import { gql, transportCode, type Answer, type GraphQLBody, type Send } from './soak/requests.js';

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

// The simulator, in a worker thread (soak/remote-simulator.ts).
const simulator = await startRemoteSimulator(die);

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
simulator.onCalls((at, orderNumbers) => {
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
let http5xx = 0;
let internalServerErrors = 0;
const serverErrorSamples: string[] = [];
const sample = (what: string) => {
  if (serverErrorSamples.length < 10) serverErrorSamples.push(what.slice(0, 600));
};

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
    const query = poisonQuery(n, pick(POISON).orderNumber, pick([0, 0, 1, 2, 6]));
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
async function entitiesOverBudgetClient(): Promise<void> {
  let n = 0;
  while (running()) {
    n += 1;
    const answer = await send('entitiesOverBudget', overBudgetQuery(n, maxIds, refusedIds), ` variant ${n % 5}`);
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
async function entitiesAtBudgetClient(): Promise<void> {
  let n = 0;
  while (running()) {
    n += 1;
    // Synthetic 23000000..23009999, a block at a time: mostly cold.
    const ids = range(maxIds, 23_000_000 + ((atBudgetNext += maxIds) % 10_000));
    const query = atBudgetQuery(n, ids);
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

async function malformedClient(): Promise<void> {
  let n = 0;
  while (running()) {
    const [label, what] = MALFORMED[n % MALFORMED.length] as readonly [string, Send];
    n += 1;
    await send('malformed', what, ` (${label})`);
    await sleep(2);
  }
}

// Slow clients over raw sockets (soak/slow-clients.ts).
let slowNotCutOff = 0;
const slowHoldMs = new Map<SlowKind, number[]>();
async function slowConversation(kind: SlowKind): Promise<void> {
  const stats = statsOf(kind);
  const { heldMs: held, cutOff, status, socketError, text } = await converse(port, kind);
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

latencies.sort((a, b) => a - b);
const pct = (p: number) => percentile(latencies, p);

const { buckets, bucketMax, bucketMean, slidingMax } = perSecond(callTimes, loadSeconds);
const outcomes = outcomesOf(kinds);
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
