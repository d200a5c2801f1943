/**
 * Upstream calls per second under the same flood, for 1 and 2 replicas,
 * with and without a shared Redis: the figure behind "one budget for the
 * account". Each replica is a full subgraph (in this process) with the
 * default UPSTREAM_RATE_LIMIT of 20; every replica is flooded with cold
 * `orders` requests by 8 clients for FLOOD_SECONDS (default 5).
 *
 *   npm run flood        (needs redis-server on PATH for the Redis rows)
 */
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logging.js';
import { configuredUpstream, createSubgraph, type Subgraph } from '../src/server.js';
import { startSimulator } from '../src/simulator/index.js';
import { hasRedisServer, startRedisServer } from '../test/support/redis-server.js';

const seconds = Number(process.env['FLOOD_SECONDS'] ?? '5');
const LOGIN = 'flood';
const PASSWORD = 'flood-password';

async function run(replicas: number, redisUrl: string | undefined, firstOrder: number): Promise<{ perSecond: number; maxSecond: number }> {
  const simulator = await startSimulator({ loginName: LOGIN, loginPassword: PASSWORD, latencyMs: 20, maxRecordedCalls: 0 });
  const subgraphs: Subgraph[] = [];
  const urls: string[] = [];
  for (let i = 0; i < replicas; i += 1) {
    const config = loadConfig({
      NODE_ENV: 'production',
      SECTIGO_API_URL: simulator.url,
      SECTIGO_LOGIN_NAME: LOGIN,
      SECTIGO_LOGIN_PASSWORD: PASSWORD,
      UPSTREAM_MAX_CONCURRENCY: '16',
      UPSTREAM_MAX_CONNECTIONS: '16',
      ...(redisUrl === undefined
        ? {}
        : {
            REDIS_URL: redisUrl,
            REDIS_KEY_PREFIX: `flood-${firstOrder}`,
            REDIS_COMMAND_TIMEOUT_MS: process.env['FLOOD_REDIS_TIMEOUT_MS'] ?? '100',
          }),
    });
    const subgraph = await createSubgraph({
      config,
      upstream: configuredUpstream(config),
      logger: createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() })),
    });
    const address = await subgraph.listen(0, '127.0.0.1');
    subgraphs.push(subgraph);
    urls.push(`http://127.0.0.1:${address.port}/graphql`);
  }
  // Let the replicas find Redis and each other.
  await new Promise((resolve) => setTimeout(resolve, redisUrl === undefined ? 100 : 2_500));
  let next = firstOrder;
  const buckets = new Map<number, number>();
  let seen = 0;
  const started = performance.now();
  const until = started + seconds * 1_000;
  // Count calls as they are recorded, bucketed by second.
  const counter = (async () => {
    for (;;) {
      await simulator.waitForCalls(seen + 1);
      seen += 1;
      const bucket = Math.floor((performance.now() - started) / 1_000);
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
    }
  })().catch(() => undefined);
  const client = async (url: string) => {
    while (performance.now() < until) {
      const ids = Array.from({ length: 20 }, () => String((next += 1)));
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ orders(orderNumbers: ${JSON.stringify(ids)}) { status } }` }),
        signal: AbortSignal.timeout(Math.ceil(Math.max(1, until - performance.now())) + 100),
      }).catch(() => undefined);
    }
  };
  await Promise.all(urls.flatMap((url) => Array.from({ length: 8 }, () => client(url))));
  const complete = [...buckets.entries()].filter(([bucket]) => bucket < seconds).map(([, n]) => n);
  await Promise.all(subgraphs.map((s) => s.close()));
  await simulator.close();
  await counter;
  const total = complete.reduce((a, b) => a + b, 0);
  return { perSecond: Math.round((total / seconds) * 10) / 10, maxSecond: Math.max(0, ...complete) };
}

const rows: string[] = ['| replicas | Redis | upstream calls/s (mean) | max in one second |', '|---:|---|---:|---:|'];
let base = 25_000_000;
for (const replicas of [1, 2]) {
  const result = await run(replicas, undefined, (base += 1_000_000));
  rows.push(`| ${replicas} | no | ${result.perSecond} | ${result.maxSecond} |`);
}
if (hasRedisServer()) {
  const redis = await startRedisServer();
  try {
    for (const replicas of [1, 2]) {
      const result = await run(replicas, redis.url, (base += 1_000_000));
      rows.push(`| ${replicas} | yes | ${result.perSecond} | ${result.maxSecond} |`);
    }
  } finally {
    await redis.stop();
  }
} else {
  rows.push('| – | yes | (redis-server not installed) | |');
}
process.stdout.write(`UPSTREAM_RATE_LIMIT=20, ${seconds} s flood, 8 clients per replica, 20 cold orders per request\n${rows.join('\n')}\n`);
process.exit(0);
