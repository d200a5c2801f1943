/**
 * The end-of-run table's rows, one function per workload. Row ids are stable:
 * they match rows of baseline.json and of later runs.
 */
import type { Row } from './report.js';
import { round } from './stats.js';
import type { MemoryResult } from '../workloads/memory.js';
import type { ThroughputResult } from '../workloads/throughput.js';
import type { CoalescingResult, UpstreamCostResult } from '../workloads/upstream-cost.js';

export interface Results {
  upstreamCost?: UpstreamCostResult;
  coalescing?: CoalescingResult;
  throughput?: ThroughputResult;
  memory?: MemoryResult;
}

export interface RunFacts {
  readonly mode: 'full' | 'quick';
  readonly budgetSeconds: number;
  readonly latencyMs: number;
  readonly wallSeconds: number;
}

export function rowsFor(results: Results, run: RunFacts): Row[] {
  return [
    ...(results.upstreamCost === undefined ? [] : costRows(results.upstreamCost)),
    ...(results.coalescing === undefined ? [] : coalescingRows(results.coalescing)),
    ...(results.throughput === undefined ? [] : throughputRows(results.throughput, run.latencyMs)),
    ...(results.memory === undefined ? [] : memoryRows(results.memory)),
    {
      id: 'wall',
      figure: `bench wall time (${run.mode})`,
      value: `${round(run.wallSeconds, 1)} s`,
      target: `< ${run.budgetSeconds} s`,
      status: verdict(run.wallSeconds < run.budgetSeconds),
      numeric: round(run.wallSeconds, 1),
    },
  ];
}

function verdict(pass: boolean): 'pass' | 'FAIL' {
  return pass ? 'pass' : 'FAIL';
}

function costRows(cost: UpstreamCostResult): Row[] {
  const ratio = cost.naive.calls / Math.max(1, cost.cold.calls);
  const twoPass = (2 * cost.naive.calls) / Math.max(1, cost.cold.calls + cost.warm.calls);
  const clean = cost.cold.graphqlErrors + cost.warm.graphqlErrors + cost.naive.graphqlErrors === 0 && cost.dataMismatches === 0;
  return [
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
  ];
}

function coalescingRows(co: CoalescingResult): Row[] {
  return [
    {
      id: 'coalescing.calls',
      figure: `${co.concurrentRequests} concurrent requests, 1 cold order: upstream calls`,
      value: `${co.upstreamCalls} (naive: ${co.naiveUpstreamCalls})`,
      target: '1',
      status: verdict(co.upstreamCalls === 1 && co.failedRequests === 0),
      numeric: co.upstreamCalls,
    },
  ];
}

function throughputRows(tp: ThroughputResult, latencyMs: number): Row[] {
  const rows: Row[] = [];
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
  const slices = tp.sliceRatios.warmToLimit.length;
  const cpu = (f: { serverCpuMsPerRequest: number }): number => f.serverCpuMsPerRequest;
  const ratio = (a: number, b: number): number => round(a / Math.max(b, 1e-9), 2);
  const clean =
    [tp.limit, tp.ceiling, tp.warm, tp.cold, tp.naive].every((f) => f.non2xx === 0 && f.errors === 0) &&
    tp.warm.graphqlErrors === 0 &&
    tp.cold.graphqlErrors === 0;
  rows.push(
    ...run('throughput.limit', `limit (plain graphql-js on node:http, in-memory), ${c} conn`, tp.limit),
    ...run('throughput.ceiling', `ceiling (bare Apollo, same HTTP integration, in-memory), ${c} conn`, tp.ceiling),
    ...run('throughput.warm', `this subgraph warm, ${c} conn`, tp.warm),
    {
      id: 'throughput.warmToLimit',
      figure: 'warm req/s / limit req/s (LOG_LEVEL=info)',
      value: `${tp.warmToLimit} (median of ${slices} paired slices; ceiling / limit ${tp.ceilingToLimit}, warm / ceiling ${tp.warmToCeiling})`,
      target: '>= 0.95',
      status: verdict(tp.warmToLimit >= 0.95),
      numeric: tp.warmToLimit,
    },
    ...(tp.warmQuietLog === null || tp.warmQuietLogToLimit === null
      ? []
      : [
          {
            id: 'throughput.warmQuietLog.rps',
            figure: `this subgraph warm, LOG_LEVEL=warn, ${c} conn: req/s`,
            value: `${tp.warmQuietLog.requestsPerSecond} (${tp.warmQuietLogToLimit} of limit, same slices)`,
            target: '',
            status: 'info' as const,
            numeric: tp.warmQuietLog.requestsPerSecond,
          },
        ]),
    {
      id: 'throughput.cpu',
      figure: 'server CPU ms/req: limit, ceiling, warm, cold, naive',
      value:
        [tp.limit, tp.ceiling, tp.warm, tp.cold, tp.naive].map(cpu).join(', ') +
        (tp.warmQuietLog === null ? '' : ` (warm, LOG_LEVEL=warn: ${cpu(tp.warmQuietLog)})`),
      target: '',
      status: 'info',
    },
    {
      id: 'throughput.cpuWarmToLimit',
      figure: 'warm server CPU/req / limit',
      value: `${ratio(cpu(tp.warm), cpu(tp.limit))}x`,
      target: '<= 1.5x',
      status: verdict(cpu(tp.warm) <= 1.5 * cpu(tp.limit)),
      numeric: ratio(cpu(tp.warm), cpu(tp.limit)),
    },
    {
      id: 'throughput.cpuWarmToCeiling',
      figure: 'warm server CPU/req / bare Apollo (ceiling)',
      value: `${ratio(cpu(tp.warm), cpu(tp.ceiling))}x`,
      target: '<= 1.1x',
      status: verdict(cpu(tp.warm) <= 1.1 * cpu(tp.ceiling)),
      numeric: ratio(cpu(tp.warm), cpu(tp.ceiling)),
    },
    {
      id: 'throughput.cpuColdOverWarm',
      figure: 'cold server CPU/req minus warm, ms',
      value: String(round(cpu(tp.cold) - cpu(tp.warm), 3)),
      target: '<= 0.15 ms',
      status: verdict(cpu(tp.cold) - cpu(tp.warm) <= 0.15),
      numeric: round(cpu(tp.cold) - cpu(tp.warm), 3),
    },
    ...run('throughput.cold', `this subgraph cold, ${c} conn`, tp.cold),
    ...run('throughput.simulatorAtLoad', `simulator asked directly, ${c} conn`, { ...tp.simulatorAtLoad, ...NO_SERVER }),
    {
      id: 'throughput.coldToSimulator',
      figure: `cold p50 / simulator's own p50, ${c} conn`,
      value: `${ratio(tp.cold.p50Ms, tp.simulatorAtLoad.p50Ms)} (${tp.cold.p50Ms} / ${tp.simulatorAtLoad.p50Ms} ms)`,
      target: '<= 1.05',
      status: verdict(tp.cold.p50Ms <= 1.05 * tp.simulatorAtLoad.p50Ms),
      numeric: ratio(tp.cold.p50Ms, tp.simulatorAtLoad.p50Ms),
    },
    ...run('throughput.naive', `naive baseline, ${c} conn`, tp.naive),
    {
      id: 'throughput.check',
      figure: 'load runs: no errors, same answers; cold calls/req',
      value: `${[tp.limit, tp.ceiling, tp.warm, tp.cold, tp.naive].reduce((n, f) => n + f.non2xx + f.errors, 0)} errors, cold ${tp.cold.upstreamCallsPerRequest}, naive ${tp.naive.upstreamCallsPerRequest}`,
      target: 'clean; cold 1, naive 2',
      status: verdict(clean && tp.sameAnswers && Math.abs(tp.cold.upstreamCallsPerRequest - 1) < 0.01),
    },
  );
  const seq = tp.sequential;
  if (seq !== null) {
    const over = round(seq.cold.p50Ms - (seq.simulator.p50Ms + seq.warm.p50Ms), 2);
    rows.push(
      {
        id: 'throughput.sequential.latency',
        figure: '1 conn p50 ms: simulator direct, warm hit, cold miss',
        value: `${seq.simulator.p50Ms}, ${seq.warm.p50Ms}, ${seq.cold.p50Ms}`,
        target: '',
        status: 'info',
      },
      {
        id: 'throughput.sequential.coldOver',
        figure: 'cold p50 over (simulator direct + warm hit), 1 conn, ms',
        value: String(over),
        target: '<= 0.5 ms',
        status: verdict(over <= 0.5),
        numeric: over,
      },
    );
  }
  void latencyMs;
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
  return rows;
}

/** Server-side figures a load run against a server we do not meter has none of. */
const NO_SERVER = { serverRequests: 0, serverCpuMsPerRequest: 0, upstreamCallsPerRequest: 0, graphqlErrors: -1 };

function memoryRows(mem: MemoryResult): Row[] {
  const last = mem.samples[mem.samples.length - 1];
  return [
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
  ];
}
