/**
 * The one Redis connection of a replica: a single server (REDIS_URL) or a
 * Redis Cluster (REDIS_CLUSTER_NODES, ioredis's Cluster client). The shared
 * cache tier, the account's rate budget and the shared -16 back-off all use
 * it; every key they write carries a hash tag, so the keys of one order (or
 * of one account) live in one slot and no command crosses slots.
 *
 * Redis is never on the critical path for longer than a command timeout:
 * commands fail fast while disconnected (no offline queue), callers fall
 * back to memory and the upstream, and ioredis reconnects in the background.
 * Losing one master of a cluster fails only the commands for its slots.
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisTarget } from '../config.js';

export type RedisClient = Redis | Cluster;

const REST_AFTER_FAILURE_MS = 1_000;

export interface RedisConnectionEvents {
  connection?(state: 'ready' | 'lost'): void;
}

export interface RedisConnection {
  readonly client: RedisClient;
  readonly kind: RedisTarget['kind'];
  /** The connection is up (for health and metrics). */
  connected(): boolean;
  /** Up, and no operation failed within the last second: worth asking. */
  available(): boolean;
  /**
   * Runs one operation, or gives up after the command timeout and returns
   * `fallback`. Our own timer as well as ioredis's: a MULTI queued behind a
   * stalled server is not covered by its per-command timeout. After a
   * failure, operations fall back at once for a second: one request makes
   * several Redis operations, and a stalled server or a dead cluster master
   * must cost it one timeout, not one per operation.
   */
  safely<T>(operation: string, run: (client: RedisClient) => Promise<T>, fallback: T): Promise<T>;
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  readonly target: RedisTarget;
  readonly commandTimeoutMs: number;
  readonly events?: RedisConnectionEvents;
  /** A failed or timed-out operation (the caller fell back). */
  readonly onError?: (operation: string, error: unknown) => void;
}

export function connectRedis(options: RedisConnectionOptions): RedisConnection {
  const { target, commandTimeoutMs } = options;
  const common: RedisOptions = {
    // Fail fast instead of queueing while disconnected: callers fall back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(commandTimeoutMs, 1_000),
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  };
  const client: RedisClient =
    target.kind === 'single'
      ? new Redis(target.url, common)
      : new Cluster(
          target.nodes.map(({ host, port }) => ({ host, port })),
          {
            enableOfflineQueue: false,
            scaleReads: 'master',
            clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
            slotsRefreshTimeout: Math.max(commandTimeoutMs, 1_000),
            redisOptions: {
              ...common,
              ...(target.username === undefined ? {} : { username: target.username }),
              ...(target.password === undefined ? {} : { password: target.password.reveal() }),
              ...(target.tls ? { tls: {} } : {}),
            },
          },
        );
  let ready = false;
  let resting = 0;
  const available = () => ready && performance.now() >= resting;
  client.on('ready', () => {
    ready = true;
    options.events?.connection?.('ready');
  });
  const lost = () => {
    if (ready) options.events?.connection?.('lost');
    ready = false;
  };
  client.on('close', lost);
  client.on('end', lost);
  // ioredis emits 'error' on every failed reconnect: counted where it matters (per operation).
  client.on('error', () => {});
  if (client instanceof Cluster) client.on('node error', () => {});

  return {
    client,
    kind: target.kind,
    connected: () => ready,
    available,
    async safely(operation, run, fallback) {
      if (!available()) return fallback;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`redis ${operation} took longer than ${commandTimeoutMs} ms`)), commandTimeoutMs);
      });
      const attempt = run(client);
      attempt.catch(() => {}); // a late failure after the timeout is not news
      try {
        return await Promise.race([attempt, timeout]);
      } catch (error) {
        resting = performance.now() + REST_AFTER_FAILURE_MS;
        options.onError?.(operation, error);
        return fallback;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      client.disconnect();
    },
  };
}
