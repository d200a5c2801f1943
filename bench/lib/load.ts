/**
 * One closed-loop load run with autocannon's programmatic API: `connections`
 * clients, each sending its next request as soon as the last one answered,
 * for `durationSeconds`. Latency percentiles come from every response's own
 * time (float ms), not autocannon's integer histogram.
 */
import autocannon from 'autocannon';
import { quantile, round } from './stats.js';

export interface LoadOptions {
  readonly title: string;
  /** The server's origin, e.g. http://127.0.0.1:1234. */
  readonly url: string;
  /** Default /graphql. */
  readonly path?: string;
  /** Default application/json. */
  readonly contentType?: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** A fixed body, or one built per request (e.g. a new order number each time). */
  readonly body: string | (() => string);
  /** Progress lines (stderr) once a second. */
  readonly progress?: (line: string) => void;
}

export interface LoadResult {
  /** Responses seen (any status). */
  readonly requests: number;
  readonly durationSeconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

/** A run's figures and its raw response times, so that runs can be combined. */
export interface LoadRun extends LoadResult {
  readonly samples: Float64Array;
  /** Seconds autocannon measured over. */
  readonly measuredSeconds: number;
}

/** Several runs of the same kind as one: requests and errors add up, percentiles over every response. */
export function combine(runs: readonly LoadRun[]): LoadResult {
  const total = runs.reduce((n, run) => n + run.samples.length, 0);
  const samples = new Float64Array(total);
  let offset = 0;
  for (const run of runs) {
    samples.set(run.samples, offset);
    offset += run.samples.length;
  }
  const requests = runs.reduce((n, run) => n + run.requests, 0);
  const measured = runs.reduce((n, run) => n + run.measuredSeconds, 0);
  return {
    requests,
    durationSeconds: round(
      runs.reduce((n, run) => n + run.durationSeconds, 0),
      2,
    ),
    requestsPerSecond: round(requests / Math.max(measured, 0.001), 0),
    p50Ms: round(quantile(samples, 0.5)),
    p90Ms: round(quantile(samples, 0.9)),
    p99Ms: round(quantile(samples, 0.99)),
    maxMs: round(quantile(samples, 1)),
    non2xx: runs.reduce((n, run) => n + run.non2xx, 0),
    errors: runs.reduce((n, run) => n + run.errors, 0),
    timeouts: runs.reduce((n, run) => n + run.timeouts, 0),
  };
}

const MAX_SAMPLES = 500_000;

export function runLoad(options: LoadOptions): Promise<LoadRun> {
  const headers = { 'content-type': options.contentType ?? 'application/json' };
  const path = options.path ?? '/graphql';
  const latencies = new Float64Array(MAX_SAMPLES);
  let count = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const body = options.body;
    const instance = autocannon(
      {
        url: `${options.url}${path}`,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: 10,
        method: 'POST',
        headers,
        ...(typeof body === 'string'
          ? { body }
          : { requests: [{ method: 'POST', path, headers, setupRequest: (request) => ({ ...request, body: body() }) }] }),
      },
      (error: unknown, result) => {
        if (error !== null && error !== undefined) {
          reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
          return;
        }
        const elapsed = (performance.now() - started) / 1000;
        const samples = latencies.slice(0, Math.min(count, MAX_SAMPLES));
        resolve({
          samples,
          measuredSeconds: result.duration,
          requests: count,
          durationSeconds: round(elapsed, 2),
          requestsPerSecond: round(count / Math.max(result.duration, 0.001), 0),
          p50Ms: round(quantile(samples, 0.5)),
          p90Ms: round(quantile(samples, 0.9)),
          p99Ms: round(quantile(samples, 0.99)),
          maxMs: round(quantile(samples, 1)),
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (count < MAX_SAMPLES) latencies[count] = responseTime;
      count += 1;
    });
    let seconds = 0;
    let last = 0;
    instance.on('tick', () => {
      seconds += 1;
      if (seconds > options.durationSeconds) return;
      options.progress?.(`  ${options.title}: ${seconds}/${options.durationSeconds} s, ${count - last} req/s`);
      last = count;
    });
  });
}
