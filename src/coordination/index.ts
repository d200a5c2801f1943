/**
 * What replicas of one account share through Redis (REDIS_URL or
 * REDIS_CLUSTER_NODES): the cache tier, the rate budget and the -16
 * back-off, over one connection. Without Redis each part is absent and every
 * replica is on its own; with it, every part falls back to local behaviour
 * while Redis is unreachable.
 */
import type { Config } from '../config.js';
import { createSharedTier, type SharedTier } from '../loading/shared-tier.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import type { SharedAuthBackoff } from '../sectigo/resilience.js';
import { connectRedis } from './redis.js';
import { createSharedAuthBackoff } from './shared-auth-backoff.js';
import { createSharedRateBudget, type SharedRateBudget, type SharedRateState } from './shared-rate.js';

export interface Coordination {
  readonly sharedTier: SharedTier | undefined;
  readonly sharedRate: SharedRateBudget | undefined;
  readonly sharedAuthBackoff: SharedAuthBackoff | undefined;
  /** How upstream starts are counted now: in Redis, or locally (with no Redis, the whole limit). */
  rateState(): SharedRateState;
  connection(): 'off' | 'connected' | 'disconnected';
  close(): Promise<void>;
}

export interface CoordinationOptions {
  readonly config: Config;
  /** From `accountKey()`: every shared key is the account's. */
  readonly accountKey: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function createCoordination({ config, accountKey, logger, metrics }: CoordinationOptions): Coordination {
  const localRate = (): SharedRateState => ({
    mode: 'local',
    limit: config.upstreamRateLimit,
    localShare: config.upstreamRateLimit,
    replicas: 1,
  });
  if (config.redis === undefined) {
    return {
      sharedTier: undefined,
      sharedRate: undefined,
      sharedAuthBackoff: undefined,
      rateState: localRate,
      connection: () => 'off',
      close: async () => {},
    };
  }
  const { target, commandTimeoutMs, keyPrefix, lockMs } = config.redis;
  const fallingBack = (what: string) => (operation: string, error: unknown) => {
    metrics.sharedTierError(operation);
    logger.debug({ event: 'redis_error', operation, err: error }, `${what}: falling back`);
  };
  const redis = connectRedis({
    target,
    commandTimeoutMs,
    onError: fallingBack('redis'),
    events: {
      connection(state) {
        if (state === 'ready') logger.info({ event: 'redis_connection', state }, 'redis connected');
        else logger.warn({ event: 'redis_connection', state }, 'redis lost; serving from memory and upstream, local rate share');
      },
    },
  });
  const sharedRate =
    config.upstreamRateLimit <= 0
      ? undefined
      : createSharedRateBudget({ redis, keyPrefix, accountKey, ratePerSecond: config.upstreamRateLimit });
  // The shared cache tier only makes sense with a cache: both follow CACHE_TTL_MS.
  const sharedTier =
    config.cacheTtlMs <= 0
      ? undefined
      : createSharedTier({ redis, keyPrefix, ttlMs: config.cacheTtlMs, lockMs, events: { error: fallingBack('shared cache tier') } });
  return {
    sharedTier,
    sharedRate,
    sharedAuthBackoff: createSharedAuthBackoff({ redis, keyPrefix, accountKey, backoffMs: config.upstreamAuthBackoffMs }),
    rateState: () => sharedRate?.state() ?? localRate(),
    connection: () => (redis.connected() ? 'connected' : 'disconnected'),
    async close() {
      await sharedTier?.close();
      sharedRate?.close();
      await redis.close();
    },
  };
}
