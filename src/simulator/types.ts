/**
 * The simulator's public shapes. Seed data uses upstream field names without
 * the `X_` / `X_Y_` index prefixes; indexes are assigned when an answer is built.
 */

export interface SimOrder {
  readonly orderNumber: string;
  /** Certificate ids (up to 16 digits) that resolve to this order via `certificateID`. */
  readonly certificateIds?: readonly string[];
  /** Order-level fields: orderDateTime, orderStatus, orderStatusReason, suggestedOrgDetails, ... */
  readonly fields: Readonly<Record<string, string>>;
  /** Certificate-level fields: serialNumber, objectType, FQDN, certificateStatus, ... */
  readonly certificates: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Sent as further indexes (2, 3, ...) only when queryType=2. */
  readonly replacements?: readonly SimOrder[];
}

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  /** The URL search part as received (`?a=b`, or '' when there is none); secrets redacted. */
  readonly query: string;
  /** Body parameters as received (names as sent); secrets replaced by '[redacted]'. */
  readonly params: Readonly<Record<string, string>>;
  readonly orderNumber: string | undefined;
  readonly certificateId: string | undefined;
  readonly queryType: string | undefined;
  readonly showValidityPeriod: string | undefined;
  readonly responseFormat: string | undefined;
  /** True if a credential name (loginName, loginPassword, any case) appeared in the URL query. */
  readonly passwordInQuery: boolean;
  /** The errorCode answered, or null when a fault (or a wrong path) prevented an API answer. */
  readonly errorCode: number | null;
}

export type Fault =
  /** Accept the request and never answer (until close). */
  | { readonly kind: 'hang' }
  /** Answer normally after `ms` (instead of the configured latency). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** An HTTP error page, e.g. a proxy's 502 HTML page. */
  | { readonly kind: 'http'; readonly status: number; readonly body?: string; readonly contentType?: string }
  /** An arbitrary body (garbage, invalid UTF-8, no errorCode...), sent with a Content-Length. */
  | { readonly kind: 'body'; readonly body: string | Uint8Array; readonly contentType?: string; readonly status?: number }
  /** A documented-template error answer in the requested response format. */
  | { readonly kind: 'errorCode'; readonly code: number; readonly message?: string }
  /** Headers and part of a valid answer, then the socket is destroyed. */
  | { readonly kind: 'reset' }
  /** A valid answer sent a few bytes at a time. */
  | { readonly kind: 'slowDrip'; readonly chunkDelayMs: number }
  /** A 200 body of `bytes` bytes, chunked (no Content-Length), shaped like an answer. */
  | { readonly kind: 'huge'; readonly bytes: number }
  /** A valid answer about another order than the one asked for (a mixed-up proxy or cache upstream). */
  | { readonly kind: 'otherOrder'; readonly orderNumber: string };

/** Which calls a fault applies to; by default every call. */
export interface FaultMatch {
  /** Only calls whose orderNumber argument is this (compared as integers: 01 is 1). */
  readonly orderNumber?: string;
}

export interface SimulatorOptions {
  readonly loginName: string;
  readonly loginPassword: string;
  /** Added before every normal answer; default 0. */
  readonly latencyMs?: number;
  /** Default: the seed orders. Synthetic orders 20000000..29999999 exist either way. */
  readonly orders?: readonly SimOrder[];
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: the OS chooses. */
  readonly port?: number;
  /** `calls` keeps at most this many (the most recent); default 10 000. */
  readonly maxRecordedCalls?: number;
}

export interface Simulator {
  /** http://127.0.0.1:PORT/products/!GetDetailedOrderStatus */
  readonly url: string;
  /** Calls to the endpoint and elsewhere, oldest first (a snapshot). */
  readonly calls: readonly RecordedCall[];
  /** The most requests that were open (received, not yet answered or dropped) at once since the last resetCalls(). */
  readonly maxConcurrentCalls: number;
  /** Forgets the recorded calls and the concurrency high-water mark. */
  resetCalls(): void;
  /**
   * Resolves once `count` calls have been recorded since the last resetCalls()
   * (a call is recorded when its request has been read, before it is answered).
   * Rejects if the simulator closes first.
   */
  waitForCalls(count: number): Promise<void>;
  setLatency(ms: number): void;
  /**
   * Queued; each upstream call consumes the first fault that matches it, first
   * in first out. `times` defaults to 1; Infinity is allowed.
   */
  injectFault(fault: Fault, times?: number, match?: FaultMatch): void;
  clearFaults(): void;
  /** Closes the server and every socket, hung requests included. */
  close(): Promise<void>;
}
