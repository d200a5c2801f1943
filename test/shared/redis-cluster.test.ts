/**
 * Everything REDIS_URL does, on a real three-master Redis Cluster started
 * here: one upstream call for a cold order asked of two replicas at once,
 * shared answers, the shared rate budget; a dead master degrades to memory
 * plus upstream, and the cluster is used again once it heals.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_ORDERS, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { callSummary, startHarness, TEST_LOGIN, TEST_PASSWORD, type Harness } from '../support/harness.js';
import { hasRedisCluster, startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';

const STATUS = (id: string) => `{ order(orderNumber: "${id}") { orderNumber status } }`;
const present = hasRedisCluster();
if (!present && process.env['CI'] === 'true')
  throw new Error('redis-server and redis-cli must be installed in CI (.ci/run installs redis-server and redis-tools)');

describe.skipIf(!present)(
  `shared tier on a Redis Cluster${present ? '' : ' (skipped: redis-server or redis-cli is not installed; CI installs them)'}`,
  () => {
    let cluster: RedisCluster;
    let simulator: Simulator;
    const replicas: Harness[] = [];

    beforeAll(async () => {
      cluster = await startRedisCluster();
      simulator = await startSimulator({ loginName: TEST_LOGIN, loginPassword: TEST_PASSWORD });
    }, 30_000);
    afterAll(async () => {
      await simulator?.close();
      await cluster?.stop();
    });
    beforeEach(() => {
      simulator.resetCalls();
      simulator.setLatency(0);
    });
    afterEach(async () => {
      await Promise.all(replicas.splice(0).map((r) => r.close()));
    });

    async function replica(env: Record<string, string> = {}): Promise<Harness> {
      const h = await startHarness({
        sharedSimulator: simulator,
        env: { REDIS_CLUSTER_NODES: cluster.nodes, CACHE_TTL_MS: '60000', REDIS_COMMAND_TIMEOUT_MS: '200', ...env },
      });
      replicas.push(h);
      await vi.waitFor(
        async () => expect(await (await fetch(`${h.url}/health/ready`)).json()).toMatchObject({ sharedCache: 'connected' }),
        {
          timeout: 10_000,
          interval: 50,
        },
      );
      return h;
    }

    it('makes one upstream call when two replicas ask for the same cold order at once, and shares answers', async () => {
      const [a, b] = [await replica(), await replica()];
      simulator.setLatency(150);
      const cold = '21000001';
      const [fromA, fromB] = await Promise.all([a.query(STATUS(cold)), b.query(STATUS(cold))]);
      expect(fromA.body.data).toEqual({ order: { orderNumber: cold, status: expect.any(String) } });
      expect(fromB.body.data).toEqual(fromA.body.data);
      expect(callSummary(simulator)).toEqual([`${cold} q0 N`]);

      await a.query(STATUS(DEMO_ORDERS.dvIssued));
      const shared = await b.query(STATUS(DEMO_ORDERS.dvIssued));
      expect(shared.body.data).toEqual({ order: { orderNumber: DEMO_ORDERS.dvIssued, status: 'Issued' } });
      expect(callSummary(simulator)).toEqual([`${cold} q0 N`, `${DEMO_ORDERS.dvIssued} q0 N`].sort());
      const ready = (await (await fetch(`${b.url}/health/ready`)).json()) as Record<string, unknown>;
      expect(ready['upstreamRateLimiter']).toMatchObject({ mode: 'shared', replicas: 2 });
    });

    it('keeps answering within the deadline with one master dead, and uses the cluster again once it heals', async () => {
      const [a, b] = [await replica(), await replica()];
      const victim = cluster.ports[0] ?? 0;
      await cluster.kill(victim);
      const started = performance.now();
      const ids = Array.from({ length: 12 }, (_, i) => String(21_100_000 + i));
      for (const id of ids) {
        const result = await (Number(id) % 2 === 0 ? a : b).query(STATUS(id));
        expect(result.body.errors).toBeUndefined();
      }
      // Well inside UPSTREAM_DEADLINE_MS (25 s): a dead node costs at most a command timeout per operation.
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(simulator.calls).toHaveLength(12);

      await cluster.revive(victim);
      await cluster.waitHealthy();
      // Healed: an answer one replica fetches is served to the other from the cluster again.
      await vi.waitFor(
        async () => {
          simulator.resetCalls();
          const id = String(21_200_000 + Math.floor(Math.random() * 1_000_000));
          await a.query(STATUS(id));
          await b.query(STATUS(id));
          expect(simulator.calls).toHaveLength(1);
        },
        { timeout: 15_000, interval: 200 },
      );
    }, 40_000);
  },
);
