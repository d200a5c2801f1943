/**
 * Workload 2: throughput and latency under a closed loop of concurrent
 * clients, and the CPU profile of the warm path. Each server under test runs
 * in its own child process (bench/serve.ts), the simulator in another (as
 * Sectigo would be: its work is not the subgraph's), autocannon here. Every measured run follows an unmeasured warm-up of the same
 * kind (JIT, sockets, pools), and a cold run never repeats an order number.
 *
 * The warm run and the ceiling are compared as a ratio, so they are measured
 * in alternating slices (ceiling, warm, ceiling, warm, ...) with both servers
 * up: a burst of other work on the machine then hits both alike.
 */
import { mkdirSync } from 'node:fs';
import { BENCH_LOGIN, startServe, type ServeHandle, type ServeOptions } from '../lib/child.js';
import { postGraphQL } from '../lib/graphql.js';
import { progress } from '../lib/log.js';
import { combine, runLoad, type LoadResult, type LoadRun } from '../lib/load.js';
import { findProfile, summariseProfile, type ProfileSummary } from '../lib/profile.js';
import { figuresOf, scrape } from '../lib/prom.js';
import { median, round } from '../lib/stats.js';

export const THROUGHPUT_QUERY =
  'query OrderBadge($n: ID!) { order(orderNumber: $n) { orderNumber status certificates { type status domains } } }';
/** The order of the warm and ceiling runs. */
export const WARM_ORDER = '20000001';

export interface ThroughputOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  /** Slices the ceiling and warm runs are cut into (alternating). */
  readonly slices: number;
  readonly latencyMs: number;
  /** Connections of the second, lightly loaded cold run (0 skips it). */
  readonly lightConnections: number;
  /** Length of each profiled run. */
  readonly profileSeconds: number;
  /** Where --cpu-prof writes; undefined skips the profile runs. */
  readonly profileDir: string | undefined;
  /** Also profile the cold path. */
  readonly profileCold: boolean;
  /**
   * Also run this subgraph with LOG_LEVEL=warn in the warm slices (a third
   * server, same slices): what its per-operation info log line costs.
   */
  readonly logLevelAb: boolean;
}

export interface ServerFigures {
  /** Requests the server received during the run (autocannon counts only those it saw answered). */
  readonly serverRequests: number;
  /** Server-process CPU per request (user + system, simulator included), in ms. */
  readonly serverCpuMsPerRequest: number;
  /** Upstream calls per request received. */
  readonly upstreamCallsPerRequest: number;
  /** GraphQL operations that answered with errors (this subgraph only; -1 when unknown). */
  readonly graphqlErrors: number;
}

export type RunFigures = LoadResult & ServerFigures;

export interface ThroughputResult {
  readonly options: Omit<ThroughputOptions, 'profileDir'>;
  readonly query: string;
  readonly ceiling: RunFigures;
  readonly warm: RunFigures;
  readonly cold: RunFigures;
  /** Cold again with few connections: the latency the path adds when the process is not saturated. */
  readonly coldLight: RunFigures | null;
  /** The simulator asked directly (form POST, new order each time) with as few connections: the floor under any cold figure. */
  readonly simulatorFloor: LoadResult | null;
  readonly naive: RunFigures;
  /** Warm req/s over ceiling req/s: the median over the paired slices (robust to bursts of other work). */
  readonly warmToCeiling: number;
  /** The same over the whole runs. */
  readonly warmToCeilingAggregate: number;
  /** Each slice's warm req/s over the ceiling slice right before it. */
  readonly sliceRatios: readonly number[];
  /** This subgraph warm with LOG_LEVEL=warn, in the same slices (null when not run). */
  readonly warmQuietLog: RunFigures | null;
  /** Its req/s over the ceiling's, median of the paired slices. */
  readonly warmQuietLogToCeiling: number | null;
  readonly profile: ProfileSummary | null;
  readonly profileCold: ProfileSummary | null;
  /** Every server answered the warm request with the same body. */
  readonly sameAnswers: boolean;
}

const body = (orderNumber: string): string => JSON.stringify({ query: THROUGHPUT_QUERY, variables: { n: orderNumber } });

/** A cold order number that no run has used: each call takes the next one. */
function coldIds(first: number): () => string {
  let next = first;
  return () => String(next++);
}

/** Requests still in flight when a load run stopped finish first, so that they count on one side only. */
function settle(latencyMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2 * latencyMs + 150));
}

/** Server-side counters around a stretch of load on one server. */
class ServerMeter {
  private before: Awaited<ReturnType<ServeHandle['stats']>> | undefined;
  private errorsBefore = 0;

  constructor(
    private readonly serve: ServeHandle,
    private readonly withMetrics: boolean,
    private readonly latencyMs: number,
  ) {}

  async start(): Promise<void> {
    await settle(this.latencyMs);
    this.before = await this.serve.stats();
    this.errorsBefore = this.withMetrics ? figuresOf(await scrape(this.serve.url)).operationErrors : 0;
  }

  async stop(): Promise<ServerFigures> {
    await settle(this.latencyMs);
    const before = this.before;
    if (before === undefined) throw new Error('ServerMeter.stop() before start()');
    const after = await this.serve.stats();
    const errorsAfter = this.withMetrics ? figuresOf(await scrape(this.serve.url)).operationErrors : 0;
    const requests = Math.max(1, after.graphqlRequests - before.graphqlRequests);
    return {
      serverRequests: requests,
      serverCpuMsPerRequest: round((after.cpuMicros - before.cpuMicros) / 1000 / requests, 3),
      upstreamCallsPerRequest: round((after.upstreamCalls - before.upstreamCalls) / requests, 3),
      graphqlErrors: this.withMetrics ? errorsAfter - this.errorsBefore : -1,
    };
  }
}

function report(title: string, figures: RunFigures): void {
  progress(
    `  ${title}: ${figures.requestsPerSecond} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, ` +
      `${figures.upstreamCallsPerRequest} upstream calls/req, ${figures.serverCpuMsPerRequest} ms server CPU/req` +
      (figures.non2xx + figures.errors > 0 ? `, ${figures.non2xx} non-2xx, ${figures.errors} errors` : ''),
  );
}

function load(
  title: string,
  serve: ServeHandle,
  options: ThroughputOptions,
  seconds: number,
  requestBody: string | (() => string),
  quiet = false,
): Promise<LoadRun> {
  return runLoad({
    title,
    url: serve.url,
    connections: options.connections,
    durationSeconds: seconds,
    body: requestBody,
    ...(quiet ? {} : { progress }),
  });
}

/** One server, one kind of request: warm-up, then one measured run. */
async function measured(
  title: string,
  serve: ServeHandle,
  options: ThroughputOptions,
  requestBody: string | (() => string),
  withMetrics: boolean,
  run: { readonly connections?: number; readonly seconds?: number } = {},
): Promise<RunFigures> {
  const connections = run.connections ?? options.connections;
  const seconds = run.seconds ?? options.durationSeconds;
  const sized = { ...options, connections };
  progress(`throughput: ${title}: warm-up ${options.warmupSeconds} s`);
  await load(`${title} (warm-up)`, serve, sized, options.warmupSeconds, requestBody, true);
  progress(`throughput: ${title}: ${connections} connections for ${seconds} s`);
  const meter = new ServerMeter(serve, withMetrics, options.latencyMs);
  await meter.start();
  const result = await load(title, serve, sized, seconds, requestBody);
  const figures: RunFigures = { ...combine([result]), ...(await meter.stop()) };
  report(title, figures);
  return figures;
}

async function answerOf(serve: ServeHandle, orderNumber: string): Promise<string> {
  const reply = await postGraphQL(serve.url, THROUGHPUT_QUERY, { n: orderNumber });
  if (reply.status !== 200 || reply.errors.length > 0) {
    throw new Error(`${serve.url} answered ${reply.status} ${JSON.stringify(reply.errors).slice(0, 300)} to the throughput query`);
  }
  return JSON.stringify(reply.data);
}

async function withServe<T>(options: ServeOptions, run: (serve: ServeHandle) => Promise<T>): Promise<T> {
  const serve = await startServe(options);
  try {
    return await run(serve);
  } finally {
    await serve.close();
  }
}

/** The ceiling and this subgraph's warm path (and optionally a variant of it), in alternating slices. */
async function warmAgainstCeiling(
  ceiling: ServeHandle,
  ours: ServeHandle,
  quiet: ServeHandle | undefined,
  options: ThroughputOptions,
): Promise<{ ceiling: RunFigures; warm: RunFigures; sliceRatios: number[]; quiet: RunFigures | null; quietRatios: number[] }> {
  const warmBody = body(WARM_ORDER);
  const servers: Array<{ title: string; serve: ServeHandle; withMetrics: boolean }> = [
    { title: 'ceiling', serve: ceiling, withMetrics: false },
    { title: 'this subgraph warm', serve: ours, withMetrics: true },
    ...(quiet === undefined ? [] : [{ title: 'this subgraph warm, LOG_LEVEL=warn', serve: quiet, withMetrics: true }]),
  ];
  progress(`throughput: warm-up ${options.warmupSeconds} s each: ${servers.map((s) => s.title).join(', ')}`);
  for (const server of servers) await load(`${server.title} (warm-up)`, server.serve, options, options.warmupSeconds, warmBody, true);
  const slice = options.durationSeconds / options.slices;
  progress(
    `throughput: ${servers.map((s) => s.title).join(' / ')}: ${options.connections} connections, ${options.slices} alternating slices of ${slice} s each`,
  );
  const meters = servers.map((server) => new ServerMeter(server.serve, server.withMetrics, options.latencyMs));
  for (const meter of meters) await meter.start();
  const runs: LoadRun[][] = servers.map(() => []);
  for (let i = 0; i < options.slices; i++) {
    const line: string[] = [];
    for (const [k, server] of servers.entries()) {
      const run = await load(server.title, server.serve, options, slice, warmBody, true);
      runs[k]?.push(run);
      line.push(`${server.title} ${run.requestsPerSecond}`);
    }
    progress(`  slice ${i + 1}/${options.slices} (req/s): ${line.join(', ')}`);
  }
  const figures: RunFigures[] = [];
  for (const [k, server] of servers.entries()) {
    const result: RunFigures = { ...combine(runs[k] ?? []), ...(await (meters[k] as ServerMeter).stop()) };
    report(server.title, result);
    figures.push(result);
  }
  const ratios = (k: number): number[] =>
    (runs[k] ?? []).map((run, i) => round(run.requestsPerSecond / Math.max(1, runs[0]?.[i]?.requestsPerSecond ?? 0), 3));
  return {
    ceiling: figures[0] as RunFigures,
    warm: figures[1] as RunFigures,
    sliceRatios: ratios(1),
    quiet: figures[2] ?? null,
    quietRatios: quiet === undefined ? [] : ratios(2),
  };
}

export async function throughput(options: ThroughputOptions): Promise<ThroughputResult> {
  progress(`throughput: starting the simulator (${options.latencyMs} ms latency)`);
  return withServe({ kind: 'simulator', latencyMs: options.latencyMs }, (simulator) => throughputAgainst(simulator.url, options));
}

async function throughputAgainst(upstreamUrl: string, options: ThroughputOptions): Promise<ThroughputResult> {
  const capped = { UPSTREAM_MAX_CONNECTIONS: '64', UPSTREAM_MAX_CONCURRENCY: '64' };
  const answers: string[] = [];

  let simulatorFloor: LoadResult | null = null;
  if (options.lightConnections > 0) {
    const endpoint = new URL(upstreamUrl);
    const next = coldIds(26_000_000);
    const form = (): string =>
      new URLSearchParams({
        loginName: BENCH_LOGIN.BENCH_LOGIN_NAME,
        loginPassword: BENCH_LOGIN.BENCH_LOGIN_PASSWORD,
        orderNumber: next(),
        queryType: '0',
        showValidityPeriod: 'N',
      }).toString();
    const seconds = Math.max(3, options.durationSeconds / 2);
    progress(`throughput: the simulator alone (its latency floor), ${options.lightConnections} connections for ${seconds} s`);
    const probe = await fetch(upstreamUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form(),
    });
    const answer = await probe.text();
    if (!answer.startsWith('errorCode=0')) throw new Error(`the simulator refused the bench's own request: ${answer.slice(0, 120)}`);
    const direct = {
      url: endpoint.origin,
      path: endpoint.pathname,
      contentType: 'application/x-www-form-urlencoded',
      connections: options.lightConnections,
    };
    await runLoad({ ...direct, title: 'simulator (warm-up)', durationSeconds: 1, body: form });
    simulatorFloor = combine([await runLoad({ ...direct, title: 'simulator', durationSeconds: seconds, body: form })]);
    progress(
      `  simulator alone: p50 ${simulatorFloor.p50Ms} ms, p99 ${simulatorFloor.p99Ms} ms at ${simulatorFloor.requestsPerSecond} req/s`,
    );
  }

  progress('throughput: starting the ceiling (bare Apollo Server, in-memory order) and this subgraph');
  const { ceiling, warm, cold, coldLight, sliceRatios, quiet, quietRatios } = await withServe(
    { kind: 'ceiling', upstreamUrl, env: { BENCH_ORDER: WARM_ORDER } },
    (ceilingServe) =>
      withServe({ kind: 'subgraph', upstreamUrl, env: capped }, async (ours) => {
        answers.push(await answerOf(ceilingServe, WARM_ORDER));
        answers.push(await answerOf(ours, WARM_ORDER)); // also primes the cache
        const pair = options.logLevelAb
          ? await withServe({ kind: 'subgraph', upstreamUrl, env: { ...capped, LOG_LEVEL: 'warn' } }, async (quietServe) => {
              answers.push(await answerOf(quietServe, WARM_ORDER));
              return warmAgainstCeiling(ceilingServe, ours, quietServe, options);
            })
          : await warmAgainstCeiling(ceilingServe, ours, undefined, options);
        const next = coldIds(22_000_000);
        const coldFigures = await measured('this subgraph cold', ours, options, () => body(next()), true);
        const light =
          options.lightConnections > 0
            ? await measured(`this subgraph cold, ${options.lightConnections} connections`, ours, options, () => body(next()), true, {
                connections: options.lightConnections,
                seconds: Math.max(3, options.durationSeconds / 2),
              })
            : null;
        return { ...pair, cold: coldFigures, coldLight: light };
      }),
  );

  progress('throughput: naive baseline');
  const naive = await withServe({ kind: 'naive', upstreamUrl }, async (serve) => {
    answers.push(await answerOf(serve, WARM_ORDER));
    const next = coldIds(23_000_000);
    return measured('naive', serve, options, () => body(next()), false);
  });

  const profileRun = async (name: string, requestBody: string | (() => string)): Promise<ProfileSummary | null> => {
    if (options.profileDir === undefined) return null;
    const dir = `${options.profileDir}${name}/`;
    mkdirSync(dir, { recursive: true });
    progress(`profile: this subgraph ${name}, under --cpu-prof (into ${dir})`);
    const { pid, window } = await withServe({ kind: 'subgraph', upstreamUrl, env: capped, cpuProfileDir: dir }, async (serve) => {
      await answerOf(serve, WARM_ORDER);
      progress(`throughput: profiled ${name}: warm-up ${options.warmupSeconds} s`);
      await load(`profiled ${name} (warm-up)`, serve, options, options.warmupSeconds, requestBody, true);
      await settle(options.latencyMs);
      progress(`throughput: profiled ${name}: ${options.connections} connections for ${options.profileSeconds} s`);
      const fromMicros = await serve.mark();
      const run = await load(`profiled ${name}`, serve, options, options.profileSeconds, requestBody);
      const toMicros = await serve.mark();
      progress(`  profiled ${name}: ${run.requestsPerSecond} req/s, p50 ${run.p50Ms} ms (profiler on: not a figure)`);
      return { pid: serve.pid, window: { fromMicros, toMicros } };
    });
    const summary = summariseProfile(findProfile(dir, pid), window);
    const top = summary.topFunctions[0];
    progress(`  profile ${name}: ${summary.busyMs} ms busy, top self time ${top === undefined ? '-' : `${top.name} (${top.percent}%)`}`);
    return summary;
  };
  const profile = await profileRun('warm', body(WARM_ORDER));
  const nextProfiled = coldIds(24_500_000);
  const profileCold = options.profileCold ? await profileRun('cold', () => body(nextProfiled())) : null;

  return {
    options: {
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      slices: options.slices,
      latencyMs: options.latencyMs,
      lightConnections: options.lightConnections,
      profileSeconds: options.profileSeconds,
      profileCold: options.profileCold,
      logLevelAb: options.logLevelAb,
    },
    query: THROUGHPUT_QUERY,
    ceiling,
    warm,
    cold,
    coldLight,
    simulatorFloor,
    naive,
    warmToCeiling: round(median(sliceRatios), 3),
    warmToCeilingAggregate: round(warm.requestsPerSecond / Math.max(1, ceiling.requestsPerSecond), 3),
    sliceRatios,
    warmQuietLog: quiet,
    warmQuietLogToCeiling: quiet === null ? null : round(median(quietRatios), 3),
    profile,
    profileCold,
    sameAnswers: answers.every((answer) => answer === answers[0]),
  };
}
