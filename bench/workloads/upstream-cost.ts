/**
 * Workloads 1 (upstream cost of a realistic mix) and 4 (coalescing), in
 * this process: one simulator with 50 ms latency, this subgraph and the
 * naive baseline in front of it, on OS-chosen loopback ports. Timing is not
 * the point here, only what reaches the upstream, so sharing the process
 * with the client is fine. Operations run one at a time, so the simulator's
 * recorded calls between two operations are that operation's calls.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { configuredUpstream, createSubgraph, type Subgraph } from '../../src/server.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { postGraphQL } from '../lib/graphql.js';
import { progress } from '../lib/log.js';
import { buildMix, distinctPerOperation, lowerBounds, summarise, type MixOperation, type MixOptions, type MixSummary } from '../lib/mix.js';
import { figuresOf, scrape } from '../lib/prom.js';
import { round } from '../lib/stats.js';
import { createNaiveSubgraph, type NaiveSubgraph } from '../naive-subgraph.js';

const LOGIN = 'bench-reseller';
const PASSWORD = 'bench-password-not-a-secret';

export interface Stack {
  readonly simulator: Simulator;
  readonly subgraph: Subgraph;
  readonly oursUrl: string;
  readonly naive: NaiveSubgraph;
  readonly naiveUrl: string;
  close(): Promise<void>;
}

export async function startStack(latencyMs: number): Promise<Stack> {
  const simulator = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD, latencyMs, maxRecordedCalls: 1_000_000 });
  const config = loadConfig({
    NODE_ENV: 'production',
    SECTIGO_API_URL: simulator.url,
    SECTIGO_LOGIN_NAME: LOGIN,
    SECTIGO_LOGIN_PASSWORD: PASSWORD,
    // Long enough that nothing expires between the cold and the warm pass, however slow the machine.
    CACHE_TTL_MS: '600000',
    // The cap only changes how long a pass takes, not how many calls it makes.
    UPSTREAM_MAX_CONNECTIONS: '64',
    UPSTREAM_MAX_CONCURRENCY: '64',
    LOG_LEVEL: 'silent',
  });
  const subgraph = await createSubgraph({
    config,
    upstream: configuredUpstream(config),
    logger: createLogger('silent'),
  });
  const oursAddress = await subgraph.listen(0, '127.0.0.1');
  const naive = await createNaiveSubgraph({ upstreamUrl: simulator.url, loginName: LOGIN, loginPassword: PASSWORD });
  const naiveAddress: AddressInfo = await naive.listen(0, '127.0.0.1');
  return {
    simulator,
    subgraph,
    oursUrl: `http://127.0.0.1:${oursAddress.port}`,
    naive,
    naiveUrl: `http://127.0.0.1:${naiveAddress.port}`,
    async close() {
      await subgraph.close();
      await naive.close();
      await simulator.close();
    },
  };
}

export interface PassResult {
  readonly operations: number;
  readonly calls: number;
  readonly bytes: number;
  readonly callsPerOperation: number;
  readonly bytesPerOperation: number;
  /** Each operation's calls, in mix order (empty when operations overlapped). */
  readonly perOperationCalls: readonly number[];
  readonly graphqlErrors: number;
  readonly elapsedMs: number;
}

export interface UpstreamCostResult {
  readonly mixOptions: MixOptions;
  readonly mix: MixSummary;
  /** Least calls over the cold pass: one per distinct order not already cached at a covering level. */
  readonly lowerBound: number;
  /** Calls if every operation stood alone (distinct orders per operation, no cache across them). */
  readonly distinctPerOperation: number;
  readonly cold: PassResult;
  readonly warm: PassResult;
  readonly naive: PassResult;
  /** Operations whose cold calls differ from their lower bound. */
  readonly coldMismatches: ReadonlyArray<{
    readonly index: number;
    readonly kind: string;
    readonly expected: number;
    readonly actual: number;
  }>;
  /** Operations whose data differ between this subgraph and the naive one (same upstream, same mapping). */
  readonly dataMismatches: number;
  /** Naive calls as its own fetch wrapper counted them (must equal the simulator's record, `naive.calls`). */
  readonly naiveCallsWrapper: number;
}

/**
 * Runs the mix once. With `concurrency` 1 the operations go one at a time and
 * each one's upstream calls are recorded; with more, only the total is (the
 * naive baseline keeps no state between operations, so their order and
 * overlap change nothing it does).
 */
async function runPass(
  label: string,
  url: string,
  mix: readonly MixOperation[],
  simulator: Simulator,
  readBytes: () => Promise<number>,
  concurrency: number,
  data?: string[],
): Promise<PassResult> {
  simulator.resetCalls();
  const bytesBefore = await readBytes();
  const perOperation: number[] = [];
  let errors = 0;
  const started = performance.now();
  let lastReport = started;
  let done = 0;
  const runOne = async (index: number): Promise<void> => {
    const operation = mix[index] as MixOperation;
    const before = simulator.calls.length;
    const reply = await postGraphQL(url, operation.query, operation.variables);
    if (concurrency === 1) perOperation.push(simulator.calls.length - before);
    if (reply.status !== 200 || reply.errors.length > 0 || reply.data === null) {
      errors += 1;
      if (errors <= 3)
        progress(
          `  ${label}: operation ${index} (${operation.kind}) answered ${reply.status}: ${JSON.stringify(reply.errors).slice(0, 300)}`,
        );
    }
    if (data !== undefined) data[index] = JSON.stringify(reply.data);
    done += 1;
    if (performance.now() - lastReport > 3000) {
      lastReport = performance.now();
      progress(`  ${label}: ${done}/${mix.length} operations`);
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, mix.length) }, async () => {
      while (next < mix.length) await runOne(next++);
    }),
  );
  const elapsedMs = performance.now() - started;
  const calls = simulator.calls.length;
  const bytes = (await readBytes()) - bytesBefore;
  return {
    operations: mix.length,
    calls,
    bytes,
    callsPerOperation: round(calls / mix.length),
    bytesPerOperation: round(bytes / mix.length, 0),
    perOperationCalls: perOperation,
    graphqlErrors: errors,
    elapsedMs: round(elapsedMs, 0),
  };
}

export async function upstreamCost(stack: Stack, mixOptions: MixOptions): Promise<UpstreamCostResult> {
  const mix = buildMix(mixOptions);
  const bounds = lowerBounds(mix);
  const summary = summarise(mix);
  const lowerBound = bounds.reduce((a, b) => a + b, 0);
  progress(
    `upstream cost: ${mix.length} operations, ${summary.orderReferences} order references, ${summary.distinctOrders} distinct orders; ` +
      `lower bound ${lowerBound} upstream calls cold`,
  );
  const oursBytes = async () => figuresOf(await scrape(stack.oursUrl)).upstreamBytes;
  const naiveBytes = async () => stack.naive.stats.bytes;

  const oursData: string[] = [];
  progress('upstream cost: this subgraph, cold cache');
  const cold = await runPass('cold', stack.oursUrl, mix, stack.simulator, oursBytes, 1, oursData);
  progress(`  cold: ${cold.calls} calls (${cold.callsPerOperation}/op), ${cold.bytes} bytes, ${cold.elapsedMs} ms`);
  progress('upstream cost: this subgraph, warm cache (same mix again)');
  const warm = await runPass('warm', stack.oursUrl, mix, stack.simulator, oursBytes, 1);
  progress(`  warm: ${warm.calls} calls (${warm.callsPerOperation}/op), ${warm.bytes} bytes, ${warm.elapsedMs} ms`);
  progress('upstream cost: naive baseline (8 operations at a time: it keeps no state between them)');
  const naiveData: string[] = [];
  const naiveCallsBefore = stack.naive.stats.calls;
  const naive = await runPass('naive', stack.naiveUrl, mix, stack.simulator, naiveBytes, 8, naiveData);
  const naiveCallsWrapper = stack.naive.stats.calls - naiveCallsBefore;
  progress(`  naive: ${naive.calls} calls (${naive.callsPerOperation}/op), ${naive.bytes} bytes, ${naive.elapsedMs} ms`);

  const coldMismatches = mix.flatMap((operation, index) => {
    const expected = bounds[index] as number;
    const actual = cold.perOperationCalls[index] as number;
    return expected === actual ? [] : [{ index, kind: operation.kind, expected, actual }];
  });
  const dataMismatches = oursData.filter((text, index) => text !== naiveData[index]).length;
  return {
    mixOptions,
    mix: summary,
    lowerBound,
    distinctPerOperation: distinctPerOperation(mix).reduce((a, b) => a + b, 0),
    cold,
    warm,
    naive,
    coldMismatches,
    dataMismatches,
    naiveCallsWrapper,
  };
}

export interface CoalescingResult {
  readonly concurrentRequests: number;
  readonly orderNumber: string;
  readonly upstreamCalls: number;
  readonly loads: { readonly upstream: number; readonly coalesced: number; readonly cache: number };
  readonly failedRequests: number;
  readonly naiveUpstreamCalls: number;
}

const COALESCE_QUERY = 'query OrderBadge($n: ID!) { order(orderNumber: $n) { orderNumber status } }';

async function burst(url: string, orderNumber: string, count: number): Promise<number> {
  const replies = await Promise.all(Array.from({ length: count }, () => postGraphQL(url, COALESCE_QUERY, { n: orderNumber })));
  return replies.filter((reply) => reply.status !== 200 || reply.errors.length > 0).length;
}

/** Workload 4: `count` concurrent requests for one order nobody asked for before. */
export async function coalescing(stack: Stack, count: number, orderNumber: string): Promise<CoalescingResult> {
  progress(`coalescing: ${count} concurrent requests for cold order ${orderNumber}`);
  const before = figuresOf(await scrape(stack.oursUrl));
  stack.simulator.resetCalls();
  const failedOurs = await burst(stack.oursUrl, orderNumber, count);
  const upstreamCalls = stack.simulator.calls.length;
  const after = figuresOf(await scrape(stack.oursUrl));
  stack.simulator.resetCalls();
  // The naive baseline on a different cold order (it has no cache anyway).
  const failedNaive = await burst(stack.naiveUrl, String(Number(orderNumber) + 1), count);
  const naiveUpstreamCalls = stack.simulator.calls.length;
  progress(`  this subgraph: ${upstreamCalls} upstream call(s); naive: ${naiveUpstreamCalls}`);
  return {
    concurrentRequests: count,
    orderNumber,
    upstreamCalls,
    loads: {
      upstream: after.loadsUpstream - before.loadsUpstream,
      coalesced: after.loadsCoalesced - before.loadsCoalesced,
      cache: after.loadsCache - before.loadsCache,
    },
    failedRequests: failedOurs + failedNaive,
    naiveUpstreamCalls,
  };
}
