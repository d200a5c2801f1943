/**
 * The account's rate budget across replicas: UPSTREAM_RATE_LIMIT starts per
 * second for every replica of one account together, counted in Redis by
 * rate-limiter-flexible (fixed one-second windows, keyed by the account
 * hash in a hash tag: one key, one slot).
 *
 * Redis unreachable: each replica falls back to its *share* of the limit,
 * counted locally: limit / the number of replicas it last saw alive (each
 * replica keeps a heartbeat in a sorted set while Redis is up). The whole
 * limit per replica would multiply the account's rate by the replica count
 * exactly when nothing coordinates them; the share keeps the sum at the
 * limit. A replica that never saw Redis counts itself alone.
 */
import { randomBytes } from 'node:crypto';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createSlidingWindow, type RateBudget } from '../sectigo/gate.js';
import type { RedisConnection } from './redis.js';

export interface SharedRateOptions {
  readonly redis: RedisConnection;
  readonly keyPrefix: string;
  readonly accountKey: string;
  readonly ratePerSecond: number;
  /** How often a replica says it is alive; it counts as gone after 3 of these. */
  readonly heartbeatMs?: number;
  readonly now?: () => number;
}

export interface SharedRateState {
  /** Where the last start was counted. */
  readonly mode: 'shared' | 'local';
  readonly limit: number;
  /** This replica's local limit while Redis is unreachable. */
  readonly localShare: number;
  /** Replicas of this account seen alive at the last heartbeat (this one included). */
  readonly replicas: number;
}

export interface SharedRateBudget extends RateBudget {
  state(): SharedRateState;
  close(): void;
}

export function createSharedRateBudget(options: SharedRateOptions): SharedRateBudget {
  const { redis, ratePerSecond: limit } = options;
  const heartbeatMs = options.heartbeatMs ?? 2_000;
  const key = `{${options.accountKey}}`;
  const replicasKey = `${options.keyPrefix}:v2:{${options.accountKey}}|replicas`;
  const id = randomBytes(9).toString('base64url');
  const limiter = new RateLimiterRedis({
    storeClient: redis.client,
    keyPrefix: `${options.keyPrefix}:v2:rate`,
    points: limit,
    duration: 1,
  });
  const local = createSlidingWindow(options.now ?? (() => performance.now()));
  let replicas = 1;
  let mode: SharedRateState['mode'] = 'shared';
  const share = () => Math.max(1, Math.floor(limit / replicas));

  async function heartbeat(): Promise<void> {
    const at = Date.now();
    const seen = await redis.safely(
      'heartbeat',
      (client) =>
        client
          .multi()
          .zadd(replicasKey, at, id)
          .zremrangebyscore(replicasKey, '-inf', at - 3 * heartbeatMs)
          .zcard(replicasKey)
          .pexpire(replicasKey, 3 * heartbeatMs)
          .exec(),
      null,
    );
    const count = seen?.[2]?.[1];
    if (typeof count === 'number' && count > 0) replicas = count;
  }
  // Say so as soon as Redis is there, then on every beat.
  redis.client.on('ready', () => void heartbeat());
  void heartbeat();
  const timer = setInterval(() => void heartbeat(), heartbeatMs);
  timer.unref();

  return {
    async take() {
      const wait = await redis.safely(
        'rate',
        () =>
          limiter.consume(key, 1).then(
            () => 0,
            // Over the budget: wait for the next window (nothing was taken). Anything else is a Redis failure.
            (reason: unknown) =>
              reason instanceof RateLimiterRes
                ? Math.max(1, reason.msBeforeNext)
                : Promise.reject(reason instanceof Error ? reason : new Error('rate limiter failed', { cause: reason })),
          ),
        undefined,
      );
      if (wait !== undefined) {
        mode = 'shared';
        return wait;
      }
      mode = 'local';
      return local.take(share());
    },
    state: () => ({ mode, limit, localShare: share(), replicas }),
    close() {
      clearInterval(timer);
      void redis.safely('heartbeat-end', (client) => client.zrem(replicasKey, id), 0);
    },
  };
}
