/**
 * Starts bench/serve.ts as a child process (`node --import tsx`), waits for
 * it to listen, and closes it. Every child started is tracked so that a
 * crash of the bench can still end them (by their own pid, nothing else).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildStats, FromChild, ToChild } from './protocol.js';

const SERVE = fileURLToPath(new URL('../serve.ts', import.meta.url));
const live = new Set<ChildProcess>();

/** The account every bench simulator and server uses (the simulator is local; nothing here is a secret). */
export const BENCH_LOGIN = { BENCH_LOGIN_NAME: 'bench-reseller', BENCH_LOGIN_PASSWORD: `bench-${process.pid}-password` };

export interface ServeOptions {
  readonly kind: 'subgraph' | 'naive' | 'ceiling' | 'limit' | 'simulator';
  /** A simulator child's URL; without it the child starts its own simulator with `latencyMs`. */
  readonly upstreamUrl?: string;
  readonly latencyMs?: number;
  /** The subgraph's configuration (src/config.ts variables) on top of NODE_ENV=production, LOG_LEVEL=info; BENCH_ORDER for the ceiling. */
  readonly env?: Readonly<Record<string, string>>;
  /** Write a V8 CPU profile into this directory when the child exits. */
  readonly cpuProfileDir?: string;
  /** Allow `gc()` (for heap readings after a full collection). */
  readonly exposeGc?: boolean;
}

export interface ServeHandle {
  readonly pid: number;
  /** The server's base URL (for a simulator: its endpoint URL). */
  readonly url: string;
  stats(): Promise<ChildStats>;
  /** Stats right after a full garbage collection (needs `exposeGc`). */
  statsAfterGc(): Promise<ChildStats>;
  setLatency(ms: number): Promise<void>;
  /** The child's monotonic clock (µs), to cut a --cpu-prof down to a window. */
  mark(): Promise<number>;
  /** Asks the child to close its servers and exit; waits for the exit (kills it after 20 s). */
  close(): Promise<void>;
}

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const execArgv = ['--import', 'tsx'];
  if (options.exposeGc === true) execArgv.push('--expose-gc');
  if (options.cpuProfileDir !== undefined)
    execArgv.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir, '--cpu-prof-interval', '500');
  const child = fork(SERVE, [], {
    execArgv,
    env: {
      ...process.env,
      // Apollo Server reads it too (the ceiling and the naive baseline run as in production).
      NODE_ENV: 'production',
      // The subgraph's configuration, exactly: serve.ts hands loadConfig this and nothing inherited
      // (a REDIS_URL or ROUTER_SECRET in the caller's shell must not change what is measured).
      BENCH_CONFIG: JSON.stringify({
        NODE_ENV: 'production',
        // The default level, as deployed; BENCH_LOG_LEVEL changes it for an experiment.
        LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'info',
        // The bench measures the subgraph's own work against a local simulator;
        // the account's rate budget (20/s by default) would only measure itself.
        UPSTREAM_RATE_LIMIT: '0',
        ...options.env,
      }),
      ...BENCH_LOGIN,
      BENCH_KIND: options.kind,
      BENCH_LATENCY_MS: String(options.latencyMs ?? 50),
      ...(options.upstreamUrl === undefined ? {} : { BENCH_UPSTREAM_URL: options.upstreamUrl }),
    },
    // stdout carries the subgraph's JSON log lines: written, then dropped.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  live.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );

  const waiters: Array<{ type: FromChild['type']; resolve: (message: FromChild) => void; reject: (error: Error) => void }> = [];
  const fail = (error: Error): void => {
    for (const waiter of waiters.splice(0)) waiter.reject(error);
  };
  child.on('message', (message: FromChild) => {
    if (message.type === 'error') {
      fail(new Error(`bench/serve.ts (${options.kind}) failed: ${message.message}`));
      return;
    }
    const index = waiters.findIndex((waiter) => waiter.type === message.type);
    if (index >= 0) waiters.splice(index, 1)[0]?.resolve(message);
  });
  void exited.then((code) => fail(new Error(`bench/serve.ts (${options.kind}) exited with code ${String(code)}`)));

  const next = (type: FromChild['type'], timeoutMs: number): Promise<FromChild> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench/serve.ts (${options.kind}): no '${type}' within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({
        type,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  const ask = (message: ToChild): void => {
    child.send(message);
  };

  let ready: FromChild;
  try {
    ready = await next('ready', 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  if (ready.type !== 'ready') throw new Error('unreachable');
  const pid = child.pid ?? -1;

  let closed: Promise<void> | undefined;
  return {
    pid,
    url: ready.url,
    async stats() {
      const reply = next('stats', 10_000);
      ask({ type: 'stats' });
      const message = await reply;
      if (message.type !== 'stats') throw new Error('unreachable');
      return message.stats;
    },
    async statsAfterGc() {
      const reply = next('stats', 30_000);
      ask({ type: 'gc' });
      const message = await reply;
      if (message.type !== 'stats') throw new Error('unreachable');
      return message.stats;
    },
    async mark() {
      const reply = next('mark', 10_000);
      ask({ type: 'mark' });
      const message = await reply;
      if (message.type !== 'mark') throw new Error('unreachable');
      return message.micros;
    },
    async setLatency(ms) {
      const reply = next('ack', 10_000);
      ask({ type: 'setLatency', ms });
      await reply;
    },
    close() {
      closed ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        ask({ type: 'close' });
        const code = await exited;
        clearTimeout(timer);
        if (code !== 0) throw new Error(`bench/serve.ts (${options.kind}) exited with code ${String(code)} on close`);
      })();
      return closed;
    },
  };
}

/** For a crash of the bench: ends the children it started (and only those). */
export function killAllServes(): void {
  for (const child of live) child.kill('SIGKILL');
}
