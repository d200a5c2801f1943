/** The soak's tallies per client kind, and the figures made from them at the end. */

export interface KindStats {
  requests: number;
  ok: number;
  readonly codes: Map<string, number>;
  readonly http: Map<string, number>;
  readonly statuses: Map<string, number>;
  readonly transport: Map<string, number>;
  readonly latencies: number[];
}
export const kinds = new Map<string, KindStats>();
export const statsOf = (kind: string): KindStats => {
  let stats = kinds.get(kind);
  if (stats === undefined) {
    stats = { requests: 0, ok: 0, codes: new Map(), http: new Map(), statuses: new Map(), transport: new Map(), latencies: [] };
    kinds.set(kind, stats);
  }
  return stats;
};
export const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

export const percentile = (sorted: readonly number[], p: number) =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0);
export const latencySummary = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: Math.round(sorted.at(-1) ?? 0) };
};
export const sortedObject = (map: ReadonlyMap<string, number>) => Object.fromEntries([...map].sort(([, a], [, b]) => b - a));

/** Upstream calls per 1-second bucket (aligned to the start), and the most in any sliding second. */
export function perSecond(callTimes: readonly number[], loadSeconds: number) {
  const buckets = new Array<number>(Math.max(1, Math.ceil(Math.max(...callTimes, loadSeconds * 1000) / 1000))).fill(0);
  for (const at of callTimes) buckets[Math.floor(at / 1000)] = (buckets[Math.floor(at / 1000)] ?? 0) + 1;
  let slidingMax = 0;
  for (let start = 0, end = 0; end < callTimes.length; end += 1) {
    while ((callTimes[end] ?? 0) - (callTimes[start] ?? 0) >= 1000) start += 1;
    slidingMax = Math.max(slidingMax, end - start + 1);
  }
  const bucketMax = Math.max(...buckets);
  const loadBuckets = buckets.slice(0, Math.max(1, Math.floor(loadSeconds)));
  const bucketMean = Math.round((loadBuckets.reduce((a, b) => a + b, 0) / loadBuckets.length) * 10) / 10;
  return { buckets, bucketMax, bucketMean, slidingMax };
}

/** Per kind: requests, ok, codes, HTTP classes, statuses, transport failures, latency. */
export function outcomesOf(all: ReadonlyMap<string, KindStats>) {
  return Object.fromEntries(
    [...all].map(([kind, s]) => [
      kind,
      {
        requests: s.requests,
        ok: s.ok,
        ...(s.codes.size > 0 ? { codes: sortedObject(s.codes) } : {}),
        ...(s.http.size > 0 ? { http: sortedObject(s.http) } : {}),
        ...(s.statuses.size > 0 ? { statuses: sortedObject(s.statuses) } : {}),
        ...(s.transport.size > 0 ? { transport: sortedObject(s.transport) } : {}),
        latencyMs: (({ p50, p99, max }) => ({ p50, p99, max }))(latencySummary(s.latencies)),
      },
    ]),
  );
}
