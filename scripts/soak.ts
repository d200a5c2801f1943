/**
 * Soak test (not in CI): mixed load with injected upstream faults for a few
 * minutes, then errors by code, latency and memory.
 *
 *   npm run soak                    # 120 s, 16 concurrent clients
 *   SOAK_SECONDS=600 SOAK_CLIENTS=32 npm run soak
 *
 * Everything runs on loopback: the simulator, the subgraph (in this process,
 * production-like settings with retries, breaker and stale-if-error on) and
 * the clients. The loop is bounded by time and stops by itself.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logging.js';
import { configuredUpstream, createSubgraph } from '../src/server.js';
import { DEMO_ORDERS, startSimulator, type Fault } from '../src/simulator/index.js';

const seconds = Number(process.env['SOAK_SECONDS'] ?? '120');
const clients = Number(process.env['SOAK_CLIENTS'] ?? '16');
const credentials = { loginName: 'soak', loginPassword: 'soak-password-never-logged' };

const simulator = await startSimulator({ ...credentials, latencyMs: 20, maxRecordedCalls: 1000 });
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
  LOG_LEVEL: 'silent',
});
const subgraph = await createSubgraph({ config, upstream: configuredUpstream(config), logger: createLogger('silent') });
const { port } = await subgraph.listen(0, '127.0.0.1');
const url = `http://127.0.0.1:${port}/graphql`;

const FAULTS: Fault[] = process.env['SOAK_NO_HUGE'] === '1' ? [{ kind: 'hang' }, { kind: 'reset' }, { kind: 'errorCode', code: -14 }] : [
  { kind: 'hang' },
  { kind: 'slowDrip', chunkDelayMs: 200 },
  { kind: 'reset' },
  { kind: 'http', status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' },
  { kind: 'errorCode', code: -14 },
  { kind: 'huge', bytes: 2 * 1024 * 1024 },
  { kind: 'body', body: new Uint8Array([0xff, 0xfe, 0x00]) },
];
const demo = Object.values(DEMO_ORDERS);
let seq = 0;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
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
const deadline = performance.now() + seconds * 1000;
let ticks = 0;
const faults = setInterval(() => {
  for (let i = 0; i < 3; i += 1) simulator.injectFault(pick(FAULTS));
  // A -16 now and then: the subgraph must back off, not hammer.
  ticks += 1;
  if (ticks % 40 === 0) simulator.injectFault({ kind: 'errorCode', code: -16 });
}, 250);
const MiB = (bytes: number) => Math.round(bytes / 2 ** 20);
const rssSamples: number[] = [];
const heapSamples: number[] = [];
const progress = setInterval(() => {
  const rss = MiB(process.memoryUsage().rss);
  rssSamples.push(rss);
  heapSamples.push(MiB(process.memoryUsage().heapUsed));
  process.stderr.write(`soak: ${requests} requests, rss ${rss} MiB, ${Math.round((deadline - performance.now()) / 1000)} s left\n`);
}, 10_000);

async function client(): Promise<void> {
  while (performance.now() < deadline) {
    const started = performance.now();
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: nextQuery() }) });
      const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }>; extensions?: { staleOrders?: unknown[] } };
      if (body.extensions?.staleOrders !== undefined) stale += 1;
      const list = body.errors ?? [];
      if (list.length === 0) codes.set('ok', (codes.get('ok') ?? 0) + 1);
      for (const error of list) {
        const code = error.extensions?.code ?? 'none';
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    } catch {
      codes.set('HTTP_FAILURE', (codes.get('HTTP_FAILURE') ?? 0) + 1);
    }
    latencies.push(performance.now() - started);
    requests += 1;
  }
}

await Promise.all(Array.from({ length: clients }, client));
clearInterval(faults);
clearInterval(progress);
simulator.clearFaults();
const after = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }` }) });
const finalOk = ((await after.json()) as { data?: { order?: { status?: string } } }).data?.order?.status === 'Issued';
await subgraph.close();
await simulator.close();

// Collect garbage before the final reading, so retained memory shows, not garbage.
setFlagsFromString('--expose-gc');
(runInNewContext('gc') as () => void)();
latencies.sort((a, b) => a - b);
const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0);
const summary = {
  seconds,
  clients,
  requests,
  requestsPerSecond: Math.round(requests / seconds),
  latencyMs: { p50: pct(0.5), p99: pct(0.99), max: Math.round(latencies.at(-1) ?? 0) },
  byCode: Object.fromEntries([...codes].sort(([, a], [, b]) => b - a)),
  responsesWithStaleData: stale,
  afterGcMiB: {
    rss: MiB(process.memoryUsage().rss),
    heapUsed: MiB(process.memoryUsage().heapUsed),
    external: MiB(process.memoryUsage().external),
    arrayBuffers: MiB(process.memoryUsage().arrayBuffers),
  },
  rssSamplesMiB: rssSamples,
  heapSamplesMiB: heapSamples,
  nextRequestAfterFaultsSucceeded: finalOk,
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
process.exitCode = finalOk && !codes.has('HTTP_FAILURE') && !codes.has('INTERNAL_SERVER_ERROR') ? 0 : 1;
