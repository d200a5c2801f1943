/**
 * The built service as a child process (`node <main.js>`), with exactly
 * the environment given and an empty working directory (so a developer's
 * `.env` cannot change what a test sees). Every stdout line is kept; tests
 * wait for log lines by predicate, never by time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type LogEntry = Record<string, unknown>;

export interface RunningMain {
  readonly child: ChildProcess;
  /** Every stdout line so far, raw. */
  readonly stdout: string[];
  readonly stderr: () => string;
  /** Resolves once the process has exited and its output is read. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first stdout JSON line (past or future) that matches; rejects if the process ends first. */
  waitForLog(predicate: (entry: LogEntry) => boolean): Promise<LogEntry>;
}

const running = new Set<RunningMain>();
let emptyCwd: string | undefined;

/** `node <main>` with exactly `env` (nothing inherited from the test runner), in an empty directory. */
export async function startMain(main: string, env: Record<string, string>): Promise<RunningMain> {
  emptyCwd ??= await mkdtemp(join(tmpdir(), 'main-process-'));
  const child = spawn(process.execPath, [main], { cwd: emptyCwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const waiters: Array<{ predicate: (entry: LogEntry) => boolean; resolve: (entry: LogEntry) => void; reject: (error: Error) => void }> =
    [];
  const parse = (line: string): LogEntry | undefined => {
    try {
      const value: unknown = JSON.parse(line);
      return typeof value === 'object' && value !== null ? (value as LogEntry) : undefined;
    } catch {
      return undefined;
    }
  };
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
    stdout.push(line);
    const entry = parse(line);
    if (entry === undefined) return;
    for (const waiter of [...waiters]) {
      if (waiter.predicate(entry)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(entry);
      }
    }
  });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      for (const waiter of waiters.splice(0)) {
        waiter.reject(new Error(`${main} exited (code ${code}, signal ${signal}) first; stderr: ${stderr}`));
      }
      resolve({ code, signal });
    });
  });
  const handle: RunningMain = {
    child,
    stdout,
    stderr: () => stderr,
    closed,
    waitForLog(predicate) {
      for (const line of stdout) {
        const entry = parse(line);
        if (entry !== undefined && predicate(entry)) return Promise.resolve(entry);
      }
      if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.reject(new Error(`${main} has exited; stderr: ${stderr}`));
      }
      return new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
  };
  running.add(handle);
  void closed.then(() => running.delete(handle));
  return handle;
}

export async function stopMain(main: RunningMain | undefined): Promise<void> {
  if (main === undefined || !running.has(main)) return;
  main.child.kill('SIGKILL');
  await main.closed;
}

/** Kills every child still running and removes the working directory: for afterAll. */
export async function stopAllMains(): Promise<void> {
  await Promise.all([...running].map((main) => stopMain(main)));
  if (emptyCwd !== undefined) await rm(emptyCwd, { recursive: true, force: true });
  emptyCwd = undefined;
}
