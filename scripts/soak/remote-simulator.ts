/**
 * The soak's simulator runs in a worker thread, as a remote Sectigo would:
 * on its own event loop, so the arrival times it records are not delayed by
 * the subgraph's and the clients' work. It reports every call it records,
 * timestamped (epoch ms) when recorded. This module is both sides: imported
 * in the worker (workerData.role) it runs the simulator; in the main thread
 * `startRemoteSimulator` starts that worker and talks to it.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startSimulator, type Fault, type RecordedCall } from '../../src/simulator/index.js';
import type { FaultMatch } from '../../src/simulator/types.js';

export const credentials = { loginName: 'soak', loginPassword: 'soak-password-never-logged' };
const ROLE = 'soak-simulator';

type ToSimulator =
  | { readonly type: 'inject'; readonly fault: Fault; readonly times: number; readonly match: FaultMatch }
  | { readonly type: 'clear' }
  | { readonly type: 'close' };
type FromSimulator =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'calls'; readonly at: number; readonly orderNumbers: ReadonlyArray<string | undefined> }
  | { readonly type: 'closed' };

export interface RemoteSimulator {
  readonly url: string;
  injectFault(fault: Fault, times?: number, match?: FaultMatch): void;
  clearFaults(): void;
  /** Called for every batch of calls the simulator records, with when (epoch ms). */
  onCalls(listener: (at: number, orderNumbers: ReadonlyArray<string | undefined>) => void): void;
  close(): Promise<void>;
}

/** `die` is called if the worker fails or exits before close(). */
export async function startRemoteSimulator(die: (what: string, error: unknown) => void): Promise<RemoteSimulator> {
  const worker = new Worker(
    `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`,
    { eval: true, workerData: { role: ROLE } },
  );
  let closing = false;
  worker.on('error', (error) => die('the simulator worker failed', error));
  worker.on('exit', (code) => {
    if (!closing) die('the simulator worker exited', new Error(`exit code ${code}`));
  });
  const listeners: Array<(at: number, orderNumbers: ReadonlyArray<string | undefined>) => void> = [];
  let closed: () => void = () => {};
  const closedSignal = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const url = await new Promise<string>((resolve) => {
    worker.on('message', (message: FromSimulator) => {
      switch (message.type) {
        case 'ready':
          resolve(message.url);
          return;
        case 'calls':
          for (const listener of listeners) listener(message.at, message.orderNumbers);
          return;
        case 'closed':
          closed();
          return;
      }
    });
  });
  const send = (message: ToSimulator) => worker.postMessage(message);
  return {
    url,
    injectFault: (fault, times = 1, match = {}) => send({ type: 'inject', fault, times, match }),
    clearFaults: () => send({ type: 'clear' }),
    onCalls: (listener) => listeners.push(listener),
    async close() {
      closing = true;
      send({ type: 'close' });
      await closedSignal;
    },
  };
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE && parentPort !== null) {
  const port = parentPort;
  const post = (message: FromSimulator) => port.postMessage(message);
  const simulator = await startSimulator({ ...credentials, latencyMs: 20, maxRecordedCalls: 1000 });
  port.on('message', (message: ToSimulator) => {
    switch (message.type) {
      case 'inject':
        simulator.injectFault(message.fault, message.times, message.match);
        return;
      case 'clear':
        simulator.clearFaults();
        return;
      case 'close':
        void simulator.close().then(() => {
          post({ type: 'closed' });
          process.exit(0); // ends this worker only
        });
        return;
    }
  });
  post({ type: 'ready', url: simulator.url });
  // waitForCalls counts past the recorded-calls bound, and `calls` entries
  // are frozen objects: the new ones are those after the last one seen.
  let seen = 0;
  let last: RecordedCall | undefined;
  for (;;) {
    try {
      await simulator.waitForCalls(seen + 1);
    } catch {
      break; // closed
    }
    const at = performance.timeOrigin + performance.now();
    const snapshot = simulator.calls;
    const fresh = snapshot.slice(last === undefined ? 0 : snapshot.lastIndexOf(last) + 1);
    if (fresh.length === 0) continue;
    last = fresh.at(-1);
    seen += fresh.length;
    post({ type: 'calls', at, orderNumbers: fresh.map((call) => call.orderNumber) });
  }
}
