/**
 * A subgraph on an OS-chosen port in front of a simulator on another, both
 * over real HTTP, with a manual clock for the cache and captured log lines.
 */
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { configuredUpstream, createSubgraph, type Subgraph } from '../../src/server.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { TEST_PASSWORD, recordForSecretScan } from './secrets.js';

export const TEST_LOGIN = 'reseller-test';
export { TEST_PASSWORD };

export interface GraphQLResponse<TData = Record<string, unknown>> {
  readonly status: number;
  readonly body: {
    readonly data?: TData | null;
    readonly errors?: ReadonlyArray<{
      readonly message: string;
      readonly path?: ReadonlyArray<string | number>;
      readonly extensions?: Record<string, unknown>;
    }>;
  };
  readonly text: string;
  /** The response headers (cache-control, content-type, ...). */
  readonly headers: Headers;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface Harness {
  readonly url: string;
  readonly simulator: Simulator;
  readonly subgraph: Subgraph;
  /** Every log line the subgraph wrote. */
  readonly logs: string[];
  advanceClock(ms: number): void;
  query<TData = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<TData>>;
  /** POSTs any JSON body (or a raw string) to /graphql, as a hostile client would. */
  post<TData = Record<string, unknown>>(body: unknown, headers?: Record<string, string>): Promise<GraphQLResponse<TData>>;
  /** GETs any path of the subgraph (`/health`, `/metrics`, `/graphql?query=...`). */
  get(path: string, headers?: Record<string, string>): Promise<HttpResponse>;
  /** One line of /metrics matching `line`, if any. */
  metric(line: RegExp): Promise<string | undefined>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly env?: Record<string, string>;
  readonly simulator?: Partial<SimulatorOptions>;
  /** Use a password the simulator does not accept. */
  readonly wrongPassword?: boolean;
  /** Talk to this (already running) simulator instead of starting one; it is not closed with the harness. */
  readonly sharedSimulator?: Simulator;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const simulator =
    options.sharedSimulator ?? (await startSimulator({ loginName: TEST_LOGIN, loginPassword: TEST_PASSWORD, ...options.simulator }));
  const config = loadConfig({
    NODE_ENV: 'test',
    SECTIGO_API_URL: simulator.url,
    SECTIGO_LOGIN_NAME: TEST_LOGIN,
    SECTIGO_LOGIN_PASSWORD: options.wrongPassword === true ? 'not-the-password' : TEST_PASSWORD,
    LOG_LEVEL: 'debug',
    // Faults in most tests are one-shot: without retries, back-off or a
    // breaker each shows its own error. test/resilience turns them on.
    UPSTREAM_RETRIES: '0',
    UPSTREAM_AUTH_BACKOFF_MS: '0',
    UPSTREAM_BREAKER_FAILURES: '1000',
    ...options.env,
  });
  if (config.upstream.kind !== 'sectigo') throw new Error('harness: expected a sectigo upstream');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const lines = chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '');
      logs.push(...lines);
      for (const line of lines) recordForSecretScan(line);
      callback();
    },
  });
  let clock = 1_000_000;
  const subgraph = await createSubgraph({
    config,
    upstream: configuredUpstream(config),
    logger: createLogger(config.logLevel, sink),
    now: () => clock,
  });
  const address = await subgraph.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}`;

  const harness: Harness = {
    url,
    simulator,
    subgraph,
    logs,
    advanceClock(ms) {
      clock += ms;
    },
    query<TData>(query: string, variables?: Record<string, unknown>) {
      return harness.post<TData>({ query, variables });
    },
    async post<TData>(body: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      recordForSecretScan(text);
      return { status: response.status, body: JSON.parse(text) as GraphQLResponse<TData>['body'], text, headers: response.headers };
    },
    async get(path, headers = {}) {
      const response = await fetch(`${url}${path}`, { headers });
      const text = await response.text();
      recordForSecretScan(text);
      return { status: response.status, headers: response.headers, text };
    },
    async metric(line) {
      return (await harness.get('/metrics')).text.split('\n').find((l) => line.test(l));
    },
    async close() {
      await subgraph.close();
      if (options.sharedSimulator === undefined) await simulator.close();
    },
  };
  return harness;
}

/** The upstream calls as (order or certificate id, queryType, showValidityPeriod) triples, sorted. */
export function callSummary(simulator: Simulator): string[] {
  return simulator.calls
    .map((call) => `${call.orderNumber ?? `cert:${call.certificateId ?? '?'}`} q${call.queryType ?? '?'} ${call.showValidityPeriod ?? '?'}`)
    .sort();
}
