/**
 * A real redis-server for tests, on an OS-chosen port, with no persistence.
 * CI installs the Debian package; elsewhere the tests that need it are
 * skipped when the binary is missing (and fail in CI, where it must exist).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A port the OS just gave out and took back: free, barring a race. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  /** Starts it again on the same port (after stop). */
  restart(): Promise<void>;
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${String(code)}): ${output.slice(-500)}`)));
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** A describe title that says why it was skipped, when it is. */
export function redisTitle(title: string): string {
  return hasRedisServer() ? title : `${title} (skipped: redis-server is not installed; CI installs it)`;
}

export async function startRedisServer(): Promise<RedisServer> {
  if (!hasRedisServer()) throw new Error('redis-server is not installed on PATH: .ci/run installs the Debian package redis-server');
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port);
  const stop = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    async restart() {
      await stop();
      child = await launch(port);
    },
  };
}
