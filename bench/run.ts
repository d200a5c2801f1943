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
import { rowsFor, type Results } from './lib/rows.js';
import { round } from './lib/stats.js';
import { memory, type MemoryOptions } from './workloads/memory.js';
import { throughput, type ThroughputOptions } from './workloads/throughput.js';
import { coalescing, startStack, upstreamCost, type Stack } from './workloads/upstream-cost.js';

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
      sequential: true,
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
      for (const name of names)
        if (!(WORKLOADS as readonly string[]).includes(name)) throw new Error(`--only takes ${WORKLOADS.join(',')}, got ${name}`);
      only = WORKLOADS.filter((w) => names.includes(w));
    } else throw new Error(`unknown option ${arg} (options: --quick, --save-baseline, --no-profile, --only=${WORKLOADS.join(',')})`);
  }
  return { quick, saveBaseline, profile, only };
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'schema'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return dirty === '' ? head : `${head}+uncommitted-src`;
  } catch {
    return 'unknown';
  }
}

function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  const autocannonVersion = (
    JSON.parse(readFileSync(new URL('../node_modules/autocannon/package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
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

/** The memory curve and the profiles' top functions, after the table. */
function details(results: Results): string {
  const out: string[] = [];
  const mem = results.memory;
  if (mem !== undefined) {
    out.push(
      '',
      `Memory curve (${mem.options.orders} distinct orders, cache bound ${mem.options.cacheMaxBytes} bytes): orders -> RSS MiB / heap used MiB / cache bytes`,
    );
    out.push(
      ...mem.samples.map(
        (s) =>
          `  ${String(s.orders).padStart(7)}  ${String(s.rssMiB).padStart(6)} / ${String(s.heapUsedMiB).padStart(6)} / ${s.cacheBytes}`,
      ),
    );
  }
  for (const [name, profile] of [
    ['warm', results.throughput?.profile],
    ['cold', results.throughput?.profileCold],
  ] as const) {
    if (profile === null || profile === undefined) continue;
    out.push(
      '',
      `Profile, ${name} path (${profile.busyMs} ms busy in the measured window, ${profile.idlePercent}% idle): top self time, % of busy`,
    );
    out.push(...profile.topFunctions.map((f) => `  ${String(f.percent).padStart(5)}%  ${f.name}  ${f.location}`));
    out.push(
      `  by area: ${profile.areas
        .slice(0, 8)
        .map((a) => `${a.area} ${a.percent}%`)
        .join(', ')}`,
    );
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
  const watchdog = setTimeout(
    () => {
      process.stderr.write(`bench: still running after ${4 * settings.budgetSeconds} s; giving up\n`);
      killAllServes();
      process.exit(2);
    },
    4 * settings.budgetSeconds * 1000,
  );
  watchdog.unref();

  const info = machine();
  progress(`bench (${settings.mode}) on node ${info['node']}, ${info['cores']} cores (${info['cpuModel']}), commit ${info['commit']}`);
  const load = Number(info['loadAverageAtStart']);
  if (load > 0.5 * os.availableParallelism()) {
    progress(
      `warning: load average ${load} on ${os.availableParallelism()} cores before the bench started: other work is running, figures will be noisy`,
    );
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
  const rows = rowsFor(results, { mode: settings.mode, budgetSeconds: settings.budgetSeconds, latencyMs: settings.latencyMs, wallSeconds });
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
