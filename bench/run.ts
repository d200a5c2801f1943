/**
 * `npm run bench` (full, < 5 min on 2 cores) and `npm run bench:quick`
 * (< 1 min): what this subgraph exists for, measured on loopback against the
 * built-in simulator with 50 ms injected upstream latency.
 *
 *   1. upstream cost of a realistic operation mix: this subgraph cold, warm,
 *      and a naive baseline (bench/naive-subgraph.ts)
 *   2. throughput and latency (autocannon): ceiling, warm, cold, naive; and a
 *      CPU profile of the warm path
 *   3. memory under a stream of distinct orders with the cache bounded
 *   4. coalescing of concurrent requests for one cold order
 *
 * Progress goes to stderr, the table to stdout, everything to
 * bench/results/latest.json (`--save-baseline` also copies it to
 * baseline.json). Targets are ratios within the same run. The exit code is 0
 * whenever the bench ran to the end, missed targets included; it is non-zero
 * only when the bench itself failed.
 *
 * Options: --quick, --save-baseline, --no-profile, --only=cost,throughput,memory,coalescing
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { killAllServes } from './lib/child.js';
import { elapsedSeconds, progress } from './lib/log.js';
import type { MixOptions } from './lib/mix.js';
import { formatTable, type Row } from './lib/report.js';
import { round } from './lib/stats.js';
import { memory, type MemoryOptions, type MemoryResult } from './workloads/memory.js';
import { throughput, type ThroughputOptions, type ThroughputResult } from './workloads/throughput.js';
import { coalescing, startStack, upstreamCost, type CoalescingResult, type Stack, type UpstreamCostResult } from './workloads/upstream-cost.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const LATENCY_MS = 50;

type Workload = 'cost' | 'throughput' | 'memory' | 'coalescing';
const WORKLOADS: readonly Workload[] = ['cost', 'coalescing', 'throughput', 'memory'];

interface Settings {
  readonly mode: 'full' | 'quick';
  readonly budgetSeconds: number;
  readonly latencyMs: number;
  readonly mix: MixOptions;
  readonly coalescingRequests: number;
  readonly throughput: Omit<ThroughputOptions, 'profileDir'>;
  /** Profile runs on (off with --no-profile). */
  readonly profile: boolean;
  readonly memory: MemoryOptions;
}

function settingsFor(quick: boolean, profile: boolean): Settings {
  // The same mix in both modes: its counts do not depend on timing, so quick and full agree on them.
  const mix: MixOptions = { operations: 120, workingSet: 400, zipf: 1, seed: 6, firstOrder: 21_000_000 };
  return {
    mode: quick ? 'quick' : 'full',
    budgetSeconds: quick ? 60 : 300,
    latencyMs: LATENCY_MS,
    mix,
    coalescingRequests: 200,
    throughput: {
      connections: 50,
      durationSeconds: quick ? 2 : 10,
      warmupSeconds: quick ? 1 : 3,
      slices: quick ? 2 : 10,
      latencyMs: LATENCY_MS,
      lightConnections: quick ? 0 : 10,
      profileSeconds: quick ? 2 : 8,
      profileCold: !quick,
      logLevelAb: !quick,
    },
    profile,
    memory: {
      orders: quick ? 20_000 : 200_000,
      batchSize: 100,
      concurrency: 4,
      samples: 20,
      cacheMaxBytes: 8 * 1024 * 1024,
      firstOrder: 24_000_000,
    },
  };
}

function parseArgs(argv: readonly string[]): { quick: boolean; saveBaseline: boolean; profile: boolean; only: readonly Workload[] } {
  let quick = false;
  let saveBaseline = false;
  let profile = true;
  let only: readonly Workload[] = WORKLOADS;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg === '--save-baseline') saveBaseline = true;
    else if (arg === '--no-profile') profile = false;
    else if (arg.startsWith('--only=')) {
      const names = arg.slice('--only='.length).split(',');
      for (const name of names) if (!(WORKLOADS as readonly string[]).includes(name)) throw new Error(`--only takes ${WORKLOADS.join(',')}, got ${name}`);
      only = WORKLOADS.filter((w) => names.includes(w));
    } else throw new Error(`unknown option ${arg} (options: --quick, --save-baseline, --no-profile, --only=${WORKLOADS.join(',')})`);
  }
  return { quick, saveBaseline, profile, only };
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'schema'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty === '' ? head : `${head}+uncommitted-src`;
  } catch {
    return 'unknown';
  }
}

function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  const autocannonVersion = (JSON.parse(readFileSync(new URL('../node_modules/autocannon/package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return {
    node: process.version,
    cores: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    autocannon: autocannonVersion,
    commit: gitCommit(),
    loadAverageAtStart: round(os.loadavg()[0] ?? 0, 2),
  };
}

interface Results {
  upstreamCost?: UpstreamCostResult;
  coalescing?: CoalescingResult;
  throughput?: ThroughputResult;
  memory?: MemoryResult;
}

function verdict(pass: boolean): 'pass' | 'FAIL' {
  return pass ? 'pass' : 'FAIL';
}

function rowsFor(settings: Settings, results: Results, wallSeconds: number): Row[] {
  const rows: Row[] = [];
  const cost = results.upstreamCost;
  if (cost !== undefined) {
    const ratio = cost.naive.calls / Math.max(1, cost.cold.calls);
    const twoPass = (2 * cost.naive.calls) / Math.max(1, cost.cold.calls + cost.warm.calls);
    const clean = cost.cold.graphqlErrors + cost.warm.graphqlErrors + cost.naive.graphqlErrors === 0 && cost.dataMismatches === 0;
    rows.push(
      {
        id: 'cost.cold.calls',
        figure: 'mix, this subgraph cold: upstream calls',
        value: `${cost.cold.calls} (${cost.cold.callsPerOperation}/op)`,
        target: `= lower bound ${cost.lowerBound}, per op`,
        status: verdict(cost.cold.calls === cost.lowerBound && cost.coldMismatches.length === 0),
        numeric: cost.cold.calls,
      },
      {
        id: 'cost.warm.calls',
        figure: 'mix, this subgraph warm: upstream calls',
        value: `${cost.warm.calls} (${cost.warm.callsPerOperation}/op)`,
        target: '',
        status: 'info',
        numeric: cost.warm.calls,
      },
      {
        id: 'cost.naive.calls',
        figure: 'mix, naive baseline: upstream calls',
        value: `${cost.naive.calls} (${cost.naive.callsPerOperation}/op)`,
        target: '',
        status: 'info',
        numeric: cost.naive.calls,
      },
      {
        id: 'cost.ratio',
        figure: 'mix: naive calls / this subgraph cold calls',
        value: `${round(ratio, 1)}x`,
        target: '>= 10x',
        status: verdict(ratio >= 10),
        numeric: round(ratio, 2),
      },
      {
        id: 'cost.ratio.twoPass',
        figure: 'mix twice: naive / this subgraph (cold + warm)',
        value: `${round(twoPass, 1)}x`,
        target: '',
        status: 'info',
        numeric: round(twoPass, 2),
      },
      {
        id: 'cost.ratio.withinOp',
        figure: 'mix: naive / distinct orders per op (no cross-op cache)',
        value: `${round(cost.naive.calls / Math.max(1, cost.distinctPerOperation), 1)}x`,
        target: '',
        status: 'info',
        numeric: round(cost.naive.calls / Math.max(1, cost.distinctPerOperation), 2),
      },
      {
        id: 'cost.cold.bytes',
        figure: 'mix, this subgraph cold: upstream bytes/op',
        value: String(cost.cold.bytesPerOperation),
        target: '',
        status: 'info',
        numeric: cost.cold.bytesPerOperation,
      },
      {
        id: 'cost.warm.bytes',
        figure: 'mix, this subgraph warm: upstream bytes/op',
        value: String(cost.warm.bytesPerOperation),
        target: '',
        status: 'info',
        numeric: cost.warm.bytesPerOperation,
      },
      {
        id: 'cost.naive.bytes',
        figure: 'mix, naive baseline: upstream bytes/op',
        value: `${cost.naive.bytesPerOperation} (${round(cost.naive.bytes / Math.max(1, cost.cold.bytes), 1)}x cold)`,
        target: '',
        status: 'info',
        numeric: cost.naive.bytesPerOperation,
      },
      {
        id: 'cost.check',
        figure: 'mix: no errors, same data as naive, counts agree',
        value: `${cost.cold.graphqlErrors + cost.warm.graphqlErrors + cost.naive.graphqlErrors} errors, ${cost.dataMismatches} data diffs`,
        target: 'all clean',
        status: verdict(clean && cost.naiveCallsWrapper === cost.naive.calls),
      },
    );
  }
  const co = results.coalescing;
  if (co !== undefined) {
    rows.push({
      id: 'coalescing.calls',
      figure: `${co.concurrentRequests} concurrent requests, 1 cold order: upstream calls`,
      value: `${co.upstreamCalls} (naive: ${co.naiveUpstreamCalls})`,
      target: '1',
      status: verdict(co.upstreamCalls === 1 && co.failedRequests === 0),
      numeric: co.upstreamCalls,
    });
  }
  const tp = results.throughput;
  if (tp !== undefined) {
    const run = (id: string, name: string, figures: ThroughputResult['warm']): Row[] => [
      {
        id: `${id}.rps`,
        figure: `${name}: req/s`,
        value: String(figures.requestsPerSecond),
        target: '',
        status: 'info',
        numeric: figures.requestsPerSecond,
      },
      {
        id: `${id}.latency`,
        figure: `${name}: p50 / p99 ms`,
        value: `${figures.p50Ms} / ${figures.p99Ms}`,
        target: '',
        status: 'info',
        numeric: figures.p50Ms,
      },
    ];
    const c = tp.options.connections;
    const ceilingRows = run('throughput.ceiling', `ceiling (bare Apollo, in-memory), ${c} conn`, tp.ceiling);
    const warmRows = run('throughput.warm', `this subgraph warm, ${c} conn`, tp.warm);
    const coldRows = run('throughput.cold', `this subgraph cold, ${c} conn`, tp.cold);
    const naiveRows = run('throughput.naive', `naive baseline, ${c} conn`, tp.naive);
    const warmRps = warmRows[0] as Row;
    const coldLatency = coldRows[1] as Row;
    const budget = settings.latencyMs + 3;
    const clean = [tp.ceiling, tp.warm, tp.cold, tp.naive].every((f) => f.non2xx === 0 && f.errors === 0) && tp.warm.graphqlErrors === 0 && tp.cold.graphqlErrors === 0;
    rows.push(
      ...ceilingRows,
      {
        ...warmRps,
        value: `${tp.warm.requestsPerSecond} (${round(100 * tp.warmToCeiling, 1)}% of ceiling, median of ${tp.sliceRatios.length} paired slices)`,
        target: '>= 70% of ceiling',
        status: verdict(tp.warmToCeiling >= 0.7),
      },
      warmRows[1] as Row,
      ...(tp.warmQuietLog === null || tp.warmQuietLogToCeiling === null
        ? []
        : [
            {
              id: 'throughput.warmQuietLog.rps',
              figure: `this subgraph warm, LOG_LEVEL=warn, ${c} conn: req/s`,
              value: `${tp.warmQuietLog.requestsPerSecond} (${round(100 * tp.warmQuietLogToCeiling, 1)}% of ceiling, same slices)`,
              target: '',
              status: 'info' as const,
              numeric: tp.warmQuietLog.requestsPerSecond,
            },
          ]),
      coldRows[0] as Row,
      { ...coldLatency, target: `p50 <= ${budget} ms`, status: verdict(tp.cold.p50Ms <= budget) },
      ...naiveRows,
      {
        id: 'throughput.cpu',
        figure: 'server CPU ms/req: ceiling, warm, cold, naive',
        value:
          [tp.ceiling, tp.warm, tp.cold, tp.naive].map((f) => f.serverCpuMsPerRequest).join(', ') +
          (tp.warmQuietLog === null ? '' : ` (warm, LOG_LEVEL=warn: ${tp.warmQuietLog.serverCpuMsPerRequest})`),
        target: '',
        status: 'info',
      },
      {
        id: 'throughput.check',
        figure: 'load runs: no errors, same answers; cold calls/req',
        value: `${[tp.ceiling, tp.warm, tp.cold, tp.naive].reduce((n, f) => n + f.non2xx + f.errors, 0)} errors, cold ${tp.cold.upstreamCallsPerRequest}, naive ${tp.naive.upstreamCallsPerRequest}`,
        target: 'clean; cold 1, naive 2',
        status: verdict(clean && tp.sameAnswers && Math.abs(tp.cold.upstreamCallsPerRequest - 1) < 0.01),
      },
    );
    if (tp.simulatorFloor !== null) {
      rows.push({
        id: 'throughput.simulatorFloor',
        figure: `simulator alone, ${tp.options.lightConnections} conn: p50 / p99 ms`,
        value: `${tp.simulatorFloor.p50Ms} / ${tp.simulatorFloor.p99Ms}`,
        target: '',
        status: 'info',
        numeric: tp.simulatorFloor.p50Ms,
      });
    }
    if (tp.coldLight !== null) {
      rows.push({
        id: 'throughput.coldLight.latency',
        figure: `this subgraph cold, ${tp.options.lightConnections} conn: p50 / p99 ms`,
        value: `${tp.coldLight.p50Ms} / ${tp.coldLight.p99Ms} (${tp.coldLight.requestsPerSecond} req/s)`,
        target: '',
        status: 'info',
        numeric: tp.coldLight.p50Ms,
      });
    }
    for (const [id, name, profile] of [
      ['profile.warm', 'warm', tp.profile],
      ['profile.cold', 'cold', tp.profileCold],
    ] as const) {
      if (profile === null) continue;
      const top = profile.topFunctions.slice(0, 3).map((f) => `${f.name} ${f.percent}%`);
      rows.push({
        id: `${id}.top`,
        figure: `${name} profile: top 3 self time (of busy)`,
        value: top.join(', '),
        target: '',
        status: 'info',
      });
    }
  }
  const mem = results.memory;
  if (mem !== undefined) {
    const last = mem.samples[mem.samples.length - 1];
    rows.push(
      {
        id: 'memory.rss',
        figure: `${mem.options.orders} distinct orders: RSS growth, last quarter`,
        value: `${round(100 * mem.lastQuarterGrowth, 1)}% (end ${last?.rssMiB ?? 0} MiB)`,
        target: '< 10% of 1st-quarter RSS',
        status: verdict(mem.lastQuarterGrowth < 0.1),
        numeric: round(100 * mem.lastQuarterGrowth, 2),
      },
      {
        id: 'memory.cache',
        figure: 'memory: max cache bytes',
        value: String(mem.maxCacheBytes),
        target: `<= ${mem.options.cacheMaxBytes}`,
        status: verdict(mem.maxCacheBytes <= mem.options.cacheMaxBytes),
        numeric: mem.maxCacheBytes,
      },
      {
        id: 'memory.heapPerCacheByte',
        figure: 'memory: heap held after GC / cache estimate',
        value: `${mem.heapPerCacheByte}x (${round(mem.heapGrowthAfterGcBytes / 1048576, 1)} MiB for ${mem.maxCacheBytes} estimated bytes)`,
        target: '',
        status: 'info',
        numeric: mem.heapPerCacheByte,
      },
      {
        id: 'memory.rate',
        figure: 'memory: orders/s through the subgraph (0 ms upstream)',
        value: String(mem.ordersPerSecond),
        target: '',
        status: 'info',
        numeric: mem.ordersPerSecond,
      },
      {
        id: 'memory.check',
        figure: 'memory: failed batches, null entries, upstream calls',
        value: `${mem.failedBatches}, ${mem.nullEntries}, ${mem.upstreamCalls}`,
        target: `0, 0, ${mem.options.orders}`,
        status: verdict(mem.failedBatches === 0 && mem.nullEntries === 0 && mem.upstreamCalls === mem.options.orders),
      },
    );
  }
  rows.push({
    id: 'wall',
    figure: `bench wall time (${settings.mode})`,
    value: `${round(wallSeconds, 1)} s`,
    target: `< ${settings.budgetSeconds} s`,
    status: verdict(wallSeconds < settings.budgetSeconds),
    numeric: round(wallSeconds, 1),
  });
  return rows;
}

/** The memory curve and the profiles' top functions, after the table. */
function details(results: Results): string {
  const out: string[] = [];
  const mem = results.memory;
  if (mem !== undefined) {
    out.push('', `Memory curve (${mem.options.orders} distinct orders, cache bound ${mem.options.cacheMaxBytes} bytes): orders -> RSS MiB / heap used MiB / cache bytes`);
    out.push(...mem.samples.map((s) => `  ${String(s.orders).padStart(7)}  ${String(s.rssMiB).padStart(6)} / ${String(s.heapUsedMiB).padStart(6)} / ${s.cacheBytes}`));
  }
  for (const [name, profile] of [
    ['warm', results.throughput?.profile],
    ['cold', results.throughput?.profileCold],
  ] as const) {
    if (profile === null || profile === undefined) continue;
    out.push('', `Profile, ${name} path (${profile.busyMs} ms busy in the measured window, ${profile.idlePercent}% idle): top self time, % of busy`);
    out.push(...profile.topFunctions.map((f) => `  ${String(f.percent).padStart(5)}%  ${f.name}  ${f.location}`));
    out.push(`  by area: ${profile.areas.slice(0, 8).map((a) => `${a.area} ${a.percent}%`).join(', ')}`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

function loadBaseline(): { mode: string; commit: string; rows: Row[] } | undefined {
  const file = `${RESULTS}baseline.json`;
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { mode: string; machine: { commit: string }; rows: Row[] };
    return { mode: parsed.mode, commit: parsed.machine.commit, rows: parsed.rows };
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const settings = settingsFor(args.quick, args.profile);
  // A hard stop, far above the budget: the bench must end by itself whatever happens.
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: still running after ${4 * settings.budgetSeconds} s; giving up\n`);
    killAllServes();
    process.exit(2);
  }, 4 * settings.budgetSeconds * 1000);
  watchdog.unref();

  const info = machine();
  progress(`bench (${settings.mode}) on node ${info['node']}, ${info['cores']} cores (${info['cpuModel']}), commit ${info['commit']}`);
  const load = Number(info['loadAverageAtStart']);
  if (load > 0.5 * os.availableParallelism()) {
    progress(`warning: load average ${load} on ${os.availableParallelism()} cores before the bench started: other work is running, figures will be noisy`);
  }
  const startedAt = new Date().toISOString();
  const results: Results = {};

  if (args.only.includes('cost') || args.only.includes('coalescing')) {
    let stack: Stack | undefined;
    try {
      stack = await startStack(settings.latencyMs);
      if (args.only.includes('cost')) results.upstreamCost = await upstreamCost(stack, settings.mix);
      if (args.only.includes('coalescing')) results.coalescing = await coalescing(stack, settings.coalescingRequests, '25000000');
    } finally {
      await stack?.close();
    }
  }
  if (args.only.includes('throughput')) {
    const profileDir = `${RESULTS}profiles/`;
    rmSync(profileDir, { recursive: true, force: true });
    results.throughput = await throughput({ ...settings.throughput, profileDir: settings.profile ? profileDir : undefined });
  }
  if (args.only.includes('memory')) results.memory = await memory(settings.memory);

  const wallSeconds = elapsedSeconds();
  const rows = rowsFor(settings, results, wallSeconds);
  const baseline = loadBaseline();
  const command = `npm run ${args.quick ? 'bench:quick' : 'bench'}`;
  const report = {
    schema: 1,
    mode: settings.mode,
    command,
    startedAt,
    finishedAt: new Date().toISOString(),
    wallSeconds: round(wallSeconds, 1),
    machine: { ...info, loadAverageAtEnd: round(os.loadavg()[0] ?? 0, 2) },
    settings,
    rows,
    results,
  };
  mkdirSync(RESULTS, { recursive: true });
  const latest = `${RESULTS}latest.json`;
  writeFileSync(latest, `${JSON.stringify(report, null, 2)}\n`);
  progress(`wrote ${latest}`);
  if (args.saveBaseline) {
    copyFileSync(latest, `${RESULTS}baseline.json`);
    progress(`copied it to ${RESULTS}baseline.json`);
  }

  const header =
    `Sectigo order-status subgraph bench (${settings.mode}): node ${info['node']}, ${info['cores']} cores, ` +
    `${settings.latencyMs} ms injected upstream latency, commit ${info['commit']}`;
  process.stdout.write(`\n${header}\n\n${formatTable(rows, baseline)}\n`);
  process.stdout.write(details(results));
  const failed = rows.filter((row) => row.status === 'FAIL');
  process.stdout.write(
    failed.length === 0
      ? '\nAll targets met.\n'
      : `\n${failed.length} target(s) missed: ${failed.map((row) => row.id).join(', ')} (not an error: the bench ran to the end).\n`,
  );
  clearTimeout(watchdog);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    killAllServes();
    process.exit(1);
  },
);
