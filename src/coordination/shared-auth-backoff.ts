/**
 * The -16 back-off shared by every replica of one account. Sectigo's -16
 * may mean the source IP is blocked: after one replica hears it, the others
 * must not find out on their own by calling again.
 *
 * One key per account (`<prefix>:v2:{<account>}|auth`) holds the incident:
 * when it started, until when calls are refused, and how many incidents in
 * a row (the doubling, up to 16x, is shared too). A -16 during a back-off
 * already in force is the same incident. The record outlives its back-off by
 * 16 back-offs so that a repeat soon after still doubles.
 */
import type { AuthBackoffRecord, SharedAuthBackoff } from '../sectigo/resilience.js';
import type { RedisConnection } from './redis.js';

export interface SharedAuthBackoffOptions {
  readonly redis: RedisConnection;
  readonly keyPrefix: string;
  readonly accountKey: string;
  readonly backoffMs: number;
}

function parse(raw: string | null): AuthBackoffRecord | undefined {
  if (raw === null) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<AuthBackoffRecord>;
    return typeof value.since === 'number' && typeof value.until === 'number' && typeof value.incidents === 'number'
      ? { since: value.since, until: value.until, incidents: value.incidents }
      : undefined;
  } catch {
    return undefined;
  }
}

export function createSharedAuthBackoff(options: SharedAuthBackoffOptions): SharedAuthBackoff {
  const { redis, backoffMs } = options;
  const key = `${options.keyPrefix}:v2:{${options.accountKey}}|auth`;
  const read = () => redis.safely('auth-get', (client) => client.get(key), null).then(parse);

  return {
    async current() {
      const record = await read();
      return record !== undefined && Date.now() < record.until ? record : undefined;
    },
    async report() {
      const now = Date.now();
      const previous = await read();
      if (previous !== undefined && now < previous.until) return previous;
      const incidents = (previous?.incidents ?? 0) + 1;
      const record = { since: now, until: now + backoffMs * 2 ** Math.min(incidents - 1, 4), incidents };
      await redis.safely('auth-set', (client) => client.set(key, JSON.stringify(record), 'PX', record.until - now + 16 * backoffMs), null);
      return record;
    },
  };
}
