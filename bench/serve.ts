/**
 * A server under test, in its own process (`node --import tsx bench/serve.ts`,
 * started by bench/run.ts through `fork`), so that the load generator in the
 * parent does not share an event loop with it.
 *
 *   BENCH_KIND           subgraph | naive | ceiling | limit | simulator
 *   BENCH_UPSTREAM_URL   the simulator to use (another bench/serve.ts); when
 *                        unset, a simulator is started in this process
 *   BENCH_LATENCY_MS     that in-process simulator's latency (default 50)
 *   BENCH_LOGIN_NAME, BENCH_LOGIN_PASSWORD   the simulator account
 *   BENCH_CONFIG         JSON: the subgraph's whole configuration (src/config.ts
 *                        variables); nothing else of the environment reaches loadConfig
 *   BENCH_ORDER          ceiling and limit only, inside BENCH_CONFIG: the order it serves from memory
 *
 * Servers listen on 127.0.0.1 on OS-chosen ports. The parent talks over the
 * IPC channel: `ready` (URL) once listening; `stats` and `setLatency` on
 * request; `close` closes every server and exits 0 (which also writes a
 * --cpu-prof).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logging.js';
import { createSectigoClient } from '../src/sectigo/client.js';
import { STATUS_ONLY } from '../src/sectigo/detail.js';
import { byOrderNumber, isOrderNumber } from '../src/sectigo/ids.js';
import { Secret } from '../src/secret.js';
import { configuredUpstream, createSubgraph } from '../src/server.js';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import { createCeilingServer } from './ceiling.js';
import { createLimitServer } from './limit.js';
import type { ChildStats, FromChild, ToChild } from './lib/protocol.js';
import { createNaiveSubgraph } from './naive-subgraph.js';
import { figuresOf } from './lib/prom.js';

interface Running {
  readonly httpServer: Server;
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

function send(message: FromChild): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

async function main(): Promise<void> {
  const kind = process.env['BENCH_KIND'] ?? 'subgraph';
  const benchConfig = JSON.parse(process.env['BENCH_CONFIG'] ?? '{}') as Record<string, string>;
  const credentials = {
    loginName: process.env['BENCH_LOGIN_NAME'] ?? 'bench-reseller',
    loginPassword: process.env['BENCH_LOGIN_PASSWORD'] ?? 'bench-password',
  };
  const external = process.env['BENCH_UPSTREAM_URL'];
  // Nothing reads the recorded calls here: keep none (the figures come from the servers).
  const simulator: Simulator | undefined =
    external === undefined
      ? await startSimulator({ ...credentials, latencyMs: Number(process.env['BENCH_LATENCY_MS'] ?? '50'), maxRecordedCalls: 0 })
      : undefined;
  const upstreamUrl = external ?? (simulator as Simulator).url;

  let server: Running | undefined;
  let upstream: () => Promise<{ calls: number; bytes: number }>;
  switch (kind) {
    case 'subgraph': {
      const config = loadConfig({
        ...benchConfig,
        SECTIGO_API_URL: upstreamUrl,
        SECTIGO_LOGIN_NAME: credentials.loginName,
        SECTIGO_LOGIN_PASSWORD: credentials.loginPassword,
      });
      const subgraph = await createSubgraph({
        config,
        upstream: configuredUpstream(config),
        // stdout: the parent sends it to /dev/null; the cost of writing each line stays in.
        logger: createLogger(config.logLevel),
        defaultMetrics: true,
      });
      server = subgraph;
      upstream = async () => {
        const figures = figuresOf(await subgraph.metrics.registry.metrics());
        return { calls: figures.upstreamCalls, bytes: figures.upstreamBytes };
      };
      break;
    }
    case 'naive': {
      const naive = await createNaiveSubgraph({ upstreamUrl, ...credentials });
      server = naive;
      upstream = async () => ({ calls: naive.stats.calls, bytes: naive.stats.bytes });
      break;
    }
    case 'limit':
    case 'ceiling': {
      const orderNumber = benchConfig['BENCH_ORDER'] ?? '20000001';
      if (!isOrderNumber(orderNumber)) throw new Error(`BENCH_ORDER must be digits, got ${orderNumber}`);
      const client = createSectigoClient({
        url: new URL(upstreamUrl),
        credentials: { loginName: credentials.loginName, loginPassword: new Secret(credentials.loginPassword) },
        timeoutMs: 10_000,
        maxConnections: 1,
        maxResponseBytes: 1024 * 1024,
      });
      const answer = await client.fetchOrder(byOrderNumber(orderNumber), STATUS_ONLY);
      await client.close();
      server = kind === 'limit' ? createLimitServer(answer.status.order) : await createCeilingServer(answer.status.order);
      upstream = async () => ({ calls: 0, bytes: 0 });
      break;
    }
    case 'simulator':
      if (simulator === undefined) throw new Error('BENCH_KIND=simulator takes no BENCH_UPSTREAM_URL');
      upstream = async () => ({ calls: 0, bytes: 0 });
      break;
    default:
      throw new Error(`BENCH_KIND must be subgraph, naive, ceiling, limit or simulator, got ${kind}`);
  }

  let graphqlRequests = 0;
  server?.httpServer.prependListener('request', (req: { url?: string }) => {
    if (req.url?.startsWith('/graphql') === true) graphqlRequests += 1;
  });
  const url = server === undefined ? upstreamUrl : `http://127.0.0.1:${(await server.listen(0, '127.0.0.1')).port}`;
  const cpuAtStart = process.cpuUsage();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await server?.close();
      await simulator?.close();
    })();
    return closing;
  };

  process.on('message', (raw: ToChild) => {
    void (async () => {
      switch (raw.type) {
        case 'setLatency':
          if (simulator === undefined) throw new Error('setLatency: the simulator lives in another process');
          simulator.setLatency(raw.ms);
          await send({ type: 'ack' });
          break;
        case 'gc':
        case 'stats': {
          if (raw.type === 'gc') {
            const gc = (globalThis as { gc?: () => void }).gc;
            if (gc === undefined) throw new Error('gc: start the child with --expose-gc');
            gc();
            gc();
          }
          const memory = process.memoryUsage();
          const cpu = process.cpuUsage(cpuAtStart);
          const { calls, bytes } = await upstream();
          const stats: ChildStats = {
            rssBytes: memory.rss,
            heapUsedBytes: memory.heapUsed,
            cpuMicros: cpu.user + cpu.system,
            graphqlRequests,
            upstreamCalls: calls,
            upstreamBytes: bytes,
          };
          await send({ type: 'stats', stats });
          break;
        }
        case 'mark':
          await send({ type: 'mark', micros: Number(process.hrtime.bigint() / 1000n) });
          break;
        case 'close':
          await close();
          await send({ type: 'closed' });
          process.exit(0);
      }
    })().catch(async (error: unknown) => {
      await send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.exit(1);
    });
  });
  // The parent went away without saying close: do not outlive it.
  process.on('disconnect', () => {
    void close().finally(() => process.exit(0));
  });
  await send({ type: 'ready', url });
}

main().catch(async (error: unknown) => {
  process.stderr.write(`bench/serve.ts: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
