/** Messages between bench/run.ts and a bench/serve.ts child, over the IPC channel. */

export type ToChild =
  | { readonly type: 'setLatency'; readonly ms: number }
  | { readonly type: 'stats' }
  | { readonly type: 'mark' }
  /** Full garbage collection, then a `stats` reply (the child must run with --expose-gc). */
  | { readonly type: 'gc' }
  | { readonly type: 'close' };

export interface ChildStats {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** User + system CPU time of the child since it started listening. */
  readonly cpuMicros: number;
  /** Requests to /graphql received so far (including any a load generator gave up on). */
  readonly graphqlRequests: number;
  /** Upstream calls and response bytes so far (subgraph: from its metrics; naive: its fetch wrapper). */
  readonly upstreamCalls: number;
  readonly upstreamBytes: number;
}

export type FromChild =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'ack' }
  | { readonly type: 'stats'; readonly stats: ChildStats }
  /** The child's monotonic clock in microseconds (the clock of V8's CPU profile timestamps). */
  | { readonly type: 'mark'; readonly micros: number }
  | { readonly type: 'closed' }
  | { readonly type: 'error'; readonly message: string };
