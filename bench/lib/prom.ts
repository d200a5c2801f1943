/** Reads figures out of the subgraph's Prometheus text (`GET /metrics`). */

/**
 * The sum of every series of `name` whose labels include all of `labels`
 * (0 when there is none). Only plain `name{labels} value` lines are read.
 */
export function metricSum(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    let labelText = '';
    let valueText: string;
    if (rest.startsWith('{')) {
      const end = rest.indexOf('}');
      if (end < 0) continue;
      labelText = rest.slice(1, end);
      valueText = rest.slice(end + 1);
    } else if (rest.startsWith(' ')) {
      valueText = rest;
    } else {
      continue; // another metric whose name starts with this one
    }
    const series = parseLabels(labelText);
    if (!Object.entries(labels).every(([key, value]) => series.get(key) === value)) continue;
    const value = Number(valueText.trim().split(/\s+/)[0]);
    if (Number.isFinite(value)) total += value;
  }
  return total;
}

function parseLabels(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const pattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const match of text.matchAll(pattern)) out.set(match[1] as string, (match[2] as string).replace(/\\(.)/g, '$1'));
  return out;
}

export async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${baseUrl}/metrics answered ${response.status}`);
  return response.text();
}

/** The figures the bench reads from /metrics. */
export interface SubgraphFigures {
  readonly upstreamCalls: number;
  readonly upstreamBytes: number;
  readonly cacheBytes: number;
  readonly cacheEntries: number;
  readonly evictions: number;
  readonly loadsCache: number;
  readonly loadsCoalesced: number;
  readonly loadsUpstream: number;
  readonly operationErrors: number;
  /** Only when the subgraph has default metrics on (0 otherwise). */
  readonly residentBytes: number;
  readonly heapUsedBytes: number;
}

export function figuresOf(text: string): SubgraphFigures {
  return {
    upstreamCalls: metricSum(text, 'sectigo_upstream_calls_total'),
    upstreamBytes: metricSum(text, 'sectigo_upstream_response_bytes_total'),
    cacheBytes: metricSum(text, 'order_cache_bytes'),
    cacheEntries: metricSum(text, 'order_cache_entries'),
    evictions: metricSum(text, 'order_cache_evictions_total'),
    loadsCache: metricSum(text, 'order_loads_total', { source: 'cache' }),
    loadsCoalesced: metricSum(text, 'order_loads_total', { source: 'coalesced' }),
    loadsUpstream: metricSum(text, 'order_loads_total', { source: 'upstream' }),
    operationErrors: metricSum(text, 'graphql_operations_total', { outcome: 'error' }),
    residentBytes: metricSum(text, 'process_resident_memory_bytes'),
    heapUsedBytes: metricSum(text, 'nodejs_heap_size_used_bytes'),
  };
}
