/**
 * Workload 3: memory under a stream of distinct orders. The subgraph runs in
 * a child process with its cache bounded, the simulator (0 ms latency) in another;
 * batches of `orders(orderNumbers: [100 ids])` go in a few at a time, every
 * order new. RSS and the cache's bytes are read from /metrics at fixed
 * points of the stream.
 */
import { startServe } from '../lib/child.js';
import { postGraphQL } from '../lib/graphql.js';
import { progress } from '../lib/log.js';
import { figuresOf, scrape } from '../lib/prom.js';
import { mib, round } from '../lib/stats.js';

export const MEMORY_QUERY =
  'query Stream($ns: [ID!]!) { orders(orderNumbers: $ns) { orderNumber status certificates { type status domains validity { notAfter } validation { dcv caa } } } }';

export interface MemoryOptions {
  readonly orders: number;
  readonly batchSize: number;
  /** Batches in flight at once. */
  readonly concurrency: number;
  readonly samples: number;
  readonly cacheMaxBytes: number;
  readonly firstOrder: number;
}

export interface MemorySample {
  readonly orders: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly cacheBytes: number;
  readonly cacheEntries: number;
  readonly evictions: number;
}

export interface MemoryResult {
  readonly options: MemoryOptions;
  readonly samples: readonly MemorySample[];
  readonly elapsedSeconds: number;
  readonly ordersPerSecond: number;
  /** RSS growth over the last quarter of the stream, as a share of RSS at the end of the first quarter. */
  readonly lastQuarterGrowth: number;
  readonly maxCacheBytes: number;
  /** Heap used after a full GC at the end minus the same before the stream: what the full cache really holds. */
  readonly heapGrowthAfterGcBytes: number;
  /** That over the cache's own estimate of its bytes (1 = the estimate is exact). */
  readonly heapPerCacheByte: number;
  readonly rssAfterGcMiB: number;
  readonly upstreamCalls: number;
  readonly failedBatches: number;
  readonly nullEntries: number;
}

export async function memory(options: MemoryOptions): Promise<MemoryResult> {
  const simulator = await startServe({ kind: 'simulator', latencyMs: 0 });
  try {
    return await memoryAgainst(simulator.url, options);
  } finally {
    await simulator.close();
  }
}

async function memoryAgainst(upstreamUrl: string, options: MemoryOptions): Promise<MemoryResult> {
  const serve = await startServe({
    kind: 'subgraph',
    upstreamUrl,
    exposeGc: true,
    env: {
      CACHE_MAX_BYTES: String(options.cacheMaxBytes),
      UPSTREAM_MAX_CONNECTIONS: '64',
      UPSTREAM_MAX_CONCURRENCY: '64',
    },
  });
  try {
    const samples: MemorySample[] = [];
    const sample = async (orders: number): Promise<void> => {
      const figures = figuresOf(await scrape(serve.url));
      samples.push({
        orders,
        rssMiB: mib(figures.residentBytes),
        heapUsedMiB: mib(figures.heapUsedBytes),
        cacheBytes: figures.cacheBytes,
        cacheEntries: figures.cacheEntries,
        evictions: figures.evictions,
      });
    };
    // One order through every layer first, so that the heap reading below holds the code, not the cache.
    await postGraphQL(serve.url, MEMORY_QUERY, { ns: [String(options.firstOrder - 1)] });
    const before = await serve.statsAfterGc();
    const heapBefore = before.heapUsedBytes;
    await sample(0);
    const batches = Math.ceil(options.orders / options.batchSize);
    const sampleEvery = Math.max(1, Math.floor(options.orders / options.samples));
    let nextSample = sampleEvery;
    let done = 0;
    let failedBatches = 0;
    let nullEntries = 0;
    const started = performance.now();
    progress(`memory: ${options.orders} distinct orders in batches of ${options.batchSize}, cache bound ${options.cacheMaxBytes} bytes`);
    for (let batch = 0; batch < batches; batch += options.concurrency) {
      const round_ = Array.from({ length: Math.min(options.concurrency, batches - batch) }, (_, i) => {
        const first = options.firstOrder + (batch + i) * options.batchSize;
        const size = Math.min(options.batchSize, options.orders - (batch + i) * options.batchSize);
        const ids = Array.from({ length: size }, (_unused, k) => String(first + k));
        return postGraphQL(serve.url, MEMORY_QUERY, { ns: ids }).then((reply) => {
          const list = (reply.data as { orders?: unknown[] } | null)?.orders;
          if (reply.status !== 200 || reply.errors.length > 0 || !Array.isArray(list) || list.length !== size) failedBatches += 1;
          if (Array.isArray(list)) nullEntries += list.filter((entry) => entry === null).length;
          return size;
        });
      });
      for (const size of await Promise.all(round_)) done += size;
      if (done >= nextSample || done >= options.orders) {
        await sample(done);
        const last = samples[samples.length - 1] as MemorySample;
        progress(
          `  memory: ${done} orders, RSS ${last.rssMiB} MiB, heap ${last.heapUsedMiB} MiB, cache ${last.cacheBytes} bytes / ${last.cacheEntries} entries`,
        );
        while (nextSample <= done) nextSample += sampleEvery;
      }
    }
    const elapsedSeconds = (performance.now() - started) / 1000;
    const stats = await serve.statsAfterGc();
    const final = figuresOf(await scrape(serve.url));

    // RSS at the end of the first quarter, at three quarters, and at the end.
    const at = (fraction: number): MemorySample => {
      const target = options.orders * fraction;
      return samples.find((s) => s.orders >= target) ?? (samples[samples.length - 1] as MemorySample);
    };
    const firstQuarter = at(0.25).rssMiB;
    const growth = (at(1).rssMiB - at(0.75).rssMiB) / Math.max(firstQuarter, 1e-9);
    return {
      options,
      samples,
      elapsedSeconds: round(elapsedSeconds, 1),
      ordersPerSecond: round(options.orders / elapsedSeconds, 0),
      lastQuarterGrowth: round(growth, 4),
      maxCacheBytes: Math.max(...samples.map((s) => s.cacheBytes)),
      heapGrowthAfterGcBytes: stats.heapUsedBytes - heapBefore,
      heapPerCacheByte: round((stats.heapUsedBytes - heapBefore) / Math.max(1, final.cacheBytes), 2),
      rssAfterGcMiB: mib(stats.rssBytes),
      upstreamCalls: stats.upstreamCalls - before.upstreamCalls,
      failedBatches,
      nullEntries,
    };
  } finally {
    await serve.close();
  }
}
