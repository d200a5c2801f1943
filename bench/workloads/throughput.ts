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
  /** Also measure with one connection (sequential): the simulator, a warm hit and a cold miss. */
  readonly sequential: boolean;
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
  /** Plain graphql-js on node:http, in-memory order (bench/limit.ts). */
  readonly limit: RunFigures;
  /** Bare Apollo Server on the subgraph's HTTP integration, in-memory order (bench/ceiling.ts). */
  readonly ceiling: RunFigures;
  readonly warm: RunFigures;
  /** This subgraph warm with LOG_LEVEL=warn, in the same slices (null when not run). */
  readonly warmQuietLog: RunFigures | null;
  /** Per slice round: one server's req/s over another's. */
  readonly sliceRatios: {
    readonly warmToLimit: readonly number[];
    readonly warmToCeiling: readonly number[];
    readonly ceilingToLimit: readonly number[];
    readonly warmQuietLogToLimit: readonly number[];
  };
  /** Medians of those (robust to bursts of other work). */
  readonly warmToLimit: number;
  readonly warmToCeiling: number;
  readonly ceilingToLimit: number;
  readonly warmQuietLogToLimit: number | null;
  /** Every request a new order, at `connections`. */
  readonly cold: RunFigures;
  /** The simulator asked directly at `connections`: the floor under cold at that load. */
  readonly simulatorAtLoad: LoadResult;
  /** One connection: the simulator alone, a warm hit and a cold miss, for the latency a miss adds. */
  readonly sequential: { readonly simulator: LoadResult; readonly warm: RunFigures; readonly cold: RunFigures } | null;
  readonly naive: RunFigures;
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

interface SliceServer {
  readonly title: string;
  readonly serve: ServeHandle;
  readonly withMetrics: boolean;
}

interface SliceResult {
  readonly figures: RunFigures[];
  /** ratio(k, base)[i]: server k's req/s over server base's in slice i. */
  ratios(k: number, base: number): number[];
}

/**
 * Several servers answering the same warm request, measured in alternating
 * slices (a, b, c, a, b, c, ...): a burst of other work on the machine hits
 * every server alike, and each ratio is taken within one round of slices.
 */
async function warmSlices(servers: readonly SliceServer[], options: ThroughputOptions): Promise<SliceResult> {
  const warmBody = body(WARM_ORDER);
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
  return {
    figures,
    ratios: (k, base) =>
      (runs[k] ?? []).map((run, i) => round(run.requestsPerSecond / Math.max(1, runs[base]?.[i]?.requestsPerSecond ?? 0), 3)),
  };
}

export async function throughput(options: ThroughputOptions): Promise<ThroughputResult> {
  progress(`throughput: starting the simulator (${options.latencyMs} ms latency)`);
  return withServe({ kind: 'simulator', latencyMs: options.latencyMs }, (simulator) => throughputAgainst(simulator.url, options));
}

/** The simulator asked directly (form POST, a new order each time): the floor under any cold figure at that load. */
async function simulatorDirect(upstreamUrl: string, connections: number, seconds: number, firstId: number): Promise<LoadResult> {
  const endpoint = new URL(upstreamUrl);
  const next = coldIds(firstId);
  const form = (): string =>
    new URLSearchParams({
      loginName: BENCH_LOGIN.BENCH_LOGIN_NAME,
      loginPassword: BENCH_LOGIN.BENCH_LOGIN_PASSWORD,
      orderNumber: next(),
      queryType: '0',
      showValidityPeriod: 'N',
    }).toString();
  const probe = await fetch(upstreamUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form(),
  });
  const answer = await probe.text();
  if (!answer.startsWith('errorCode=0')) throw new Error(`the simulator refused the bench's own request: ${answer.slice(0, 120)}`);
  const direct = { url: endpoint.origin, path: endpoint.pathname, contentType: 'application/x-www-form-urlencoded', connections };
  progress(`throughput: the simulator alone, ${connections} connections for ${seconds} s`);
  await runLoad({ ...direct, title: 'simulator (warm-up)', durationSeconds: 1, body: form });
  const result = combine([await runLoad({ ...direct, title: 'simulator', durationSeconds: seconds, body: form })]);
  progress(
    `  simulator alone, ${connections} connections: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms at ${result.requestsPerSecond} req/s`,
  );
  return result;
}

async function throughputAgainst(upstreamUrl: string, options: ThroughputOptions): Promise<ThroughputResult> {
  const capped = { UPSTREAM_MAX_CONNECTIONS: '64', UPSTREAM_MAX_CONCURRENCY: '64' };
  const answers: string[] = [];
  const shortSeconds = Math.max(3, options.durationSeconds / 2);

  const simulatorAtLoad = await simulatorDirect(upstreamUrl, options.connections, shortSeconds, 26_000_000);
  const simulatorSequential = options.sequential ? await simulatorDirect(upstreamUrl, 1, shortSeconds, 27_000_000) : null;

  progress('throughput: starting the limit (plain graphql-js on node:http), the ceiling (bare Apollo Server) and this subgraph');
  const order = { BENCH_ORDER: WARM_ORDER };
  const measuredWarm = await withServe({ kind: 'limit', upstreamUrl, env: order }, (limitServe) =>
    withServe({ kind: 'ceiling', upstreamUrl, env: order }, (ceilingServe) =>
      withServe({ kind: 'subgraph', upstreamUrl, env: capped }, async (ours) => {
        answers.push(await answerOf(limitServe, WARM_ORDER));
        answers.push(await answerOf(ceilingServe, WARM_ORDER));
        answers.push(await answerOf(ours, WARM_ORDER)); // also primes the cache
        const servers: SliceServer[] = [
          { title: 'limit', serve: limitServe, withMetrics: false },
          { title: 'ceiling', serve: ceilingServe, withMetrics: false },
          { title: 'this subgraph warm', serve: ours, withMetrics: true },
        ];
        const slices = options.logLevelAb
          ? await withServe({ kind: 'subgraph', upstreamUrl, env: { ...capped, LOG_LEVEL: 'warn' } }, async (quietServe) => {
              answers.push(await answerOf(quietServe, WARM_ORDER));
              return warmSlices(
                [...servers, { title: 'this subgraph warm, LOG_LEVEL=warn', serve: quietServe, withMetrics: true }],
                options,
              );
            })
          : await warmSlices(servers, options);
        const next = coldIds(22_000_000);
        const cold = await measured('this subgraph cold', ours, options, () => body(next()), true);
        const sequential = options.sequential
          ? {
              warm: await measured('this subgraph warm, 1 connection', ours, options, body(WARM_ORDER), true, {
                connections: 1,
                seconds: shortSeconds,
              }),
              cold: await measured('this subgraph cold, 1 connection', ours, options, () => body(next()), true, {
                connections: 1,
                seconds: shortSeconds,
              }),
            }
          : null;
        return { slices, cold, sequential };
      }),
    ),
  );
  const { slices, cold, sequential } = measuredWarm;
  const [limit, ceiling, warm, quiet] = slices.figures as [RunFigures, RunFigures, RunFigures, RunFigures | undefined];

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
      sequential: options.sequential,
      profileSeconds: options.profileSeconds,
      profileCold: options.profileCold,
      logLevelAb: options.logLevelAb,
    },
    query: THROUGHPUT_QUERY,
    limit,
    ceiling,
    warm,
    warmQuietLog: quiet ?? null,
    sliceRatios: {
      warmToLimit: slices.ratios(2, 0),
      warmToCeiling: slices.ratios(2, 1),
      ceilingToLimit: slices.ratios(1, 0),
      warmQuietLogToLimit: quiet === undefined ? [] : slices.ratios(3, 0),
    },
    warmToLimit: round(median(slices.ratios(2, 0)), 3),
    warmToCeiling: round(median(slices.ratios(2, 1)), 3),
    ceilingToLimit: round(median(slices.ratios(1, 0)), 3),
    warmQuietLogToLimit: quiet === undefined ? null : round(median(slices.ratios(3, 0)), 3),
    cold,
    simulatorAtLoad,
    sequential: sequential === null || simulatorSequential === null ? null : { simulator: simulatorSequential, ...sequential },
    naive,
    profile,
    profileCold,
    sameAnswers: answers.every((answer) => answer === answers[0]),
  };
}
