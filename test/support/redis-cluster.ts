/**
 * A real three-master Redis Cluster for tests: three `redis-server
 * --cluster-enabled yes` processes on OS-chosen ports, joined with
 * `redis-cli --cluster create`, no persistence, in a temporary directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.js';

export function hasRedisCluster(): boolean {
  return (
    spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0 &&
    spawnSync('redis-cli', ['--version'], { stdio: 'ignore' }).status === 0
  );
}

export interface RedisCluster {
  /** `host:port,host:port,host:port`, as REDIS_CLUSTER_NODES takes it. */
  readonly nodes: string;
  readonly ports: readonly number[];
  /** Kills the master on this port (SIGKILL). */
  kill(port: number): Promise<void>;
  /** Starts it again with its cluster state, so the cluster heals. */
  revive(port: number): Promise<void>;
  /** Resolves once every live node reports cluster_state:ok. */
  waitHealthy(): Promise<void>;
  stop(): Promise<void>;
}

function launch(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, `nodes-${port}.conf`),
      '--cluster-node-timeout',
      '1000',
      '--dir',
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${String(code)}): ${output.slice(-500)}`)));
  });
}

function cli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`redis-cli ${args.join(' ')} failed: ${output.slice(-500)}`)),
    );
  });
}

export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const children = new Map<number, ChildProcess>();
  for (const port of ports) children.set(port, await launch(dir, port));
  await cli(['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);

  const waitHealthy = async () => {
    for (let i = 0; i < 200; i += 1) {
      const states = await Promise.all([...children.keys()].map((port) => cli(['-p', String(port), 'cluster', 'info']).catch(() => '')));
      if (states.every((state) => state.includes('cluster_state:ok'))) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the Redis Cluster did not become healthy within 10 s');
  };
  await waitHealthy();

  const kill = async (port: number) => {
    const child = children.get(port);
    children.delete(port);
    if (child === undefined || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  };
  return {
    nodes: ports.map((port) => `127.0.0.1:${port}`).join(','),
    ports,
    kill,
    async revive(port) {
      children.set(port, await launch(dir, port));
    },
    waitHealthy,
    async stop() {
      await Promise.all([...children.keys()].map((port) => kill(port)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
