/**
 * The HTTP client for !GetDetailedOrderStatus: one form-encoded POST per
 * order over a keep-alive undici pool. Credentials travel only in the body;
 * they never reach a URL, an error or an event.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { Pool, errors as undiciErrors } from 'undici';
import { ATTR, tracer } from '../tracing.js';
import type { Secret } from '../secret.js';
import type { UpstreamAnswer } from './answer.js';
import type { DetailLevel } from './detail.js';
import type { OrderStatus } from './domain.js';
import { mapOrderStatus } from './mapping.js';
import { SectigoError, errorForCode } from './errors.js';
import { parseOrderNumber, type OrderRef } from './ids.js';
import { decodeBytes, type ResponseFormat } from './wire.js';

export interface SectigoCredentials {
  readonly loginName: string;
  /** Revealed only into the POST body. */
  readonly loginPassword: Secret;
}

export interface SectigoClientOptions {
  readonly url: URL;
  readonly credentials: SectigoCredentials;
  /** One attempt never waits longer than this, connect to last byte. */
  readonly timeoutMs: number;
  /** Sockets to the upstream at most. */
  readonly maxConnections: number;
  /** A larger body is refused (and the socket dropped). */
  readonly maxResponseBytes: number;
  readonly responseFormat?: ResponseFormat;
  /** Called once per finished attempt, for logs and metrics. */
  readonly onCall?: (event: UpstreamCallEvent) => void;
}

/**
 * 'aborted': the caller's own signal ended the attempt before an answer, with a
 * reason that is not a SectigoError (the order deadline's is: its code is the outcome).
 * 'internal_error': the answer arrived but our own code failed on it.
 */
export type UpstreamOutcome = 'ok' | 'aborted' | 'internal_error' | SectigoError['code'];

export interface UpstreamCallEvent {
  readonly ref: OrderRef;
  readonly level: DetailLevel;
  readonly durationMs: number;
  readonly outcome: UpstreamOutcome;
  readonly bytes: number;
  readonly sectigoErrorCode: number | undefined;
  /** 0 for the first attempt at this order, 1 for the first retry, ... */
  readonly retry: number;
}

/** How one order fetch is made, beyond what is asked. */
export interface UpstreamCall {
  /** The order's one deadline (and the shutdown): ends waits, attempts and back-offs. */
  readonly signal?: AbortSignal;
  /** Who asks (one GraphQL request): the gate shares turns fairly between requesters. */
  readonly requester?: Requester;
  /** Which attempt this is: 0 the first, 1 the first retry (set by the retry policy). */
  readonly retry?: number;
}

/**
 * One GraphQL request, as the upstream side sees it: an identity for fair
 * turns, told about every attempt made on its behalf (its log line counts
 * them, failed ones included).
 */
export interface Requester {
  onUpstreamCall?(event: UpstreamCallEvent): void;
}

export interface SectigoClient {
  fetchOrder(ref: OrderRef, level: DetailLevel, call?: UpstreamCall): Promise<UpstreamAnswer>;
  close(): Promise<void>;
}

/** Plain http is only for a loopback upstream (the simulator, a local tunnel). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.[0-9]{1,3}){3}$/.test(host);
}

/** The transport rule, as one message naming what was received (or null when the URL is acceptable). */
export function upstreamUrlProblem(url: URL): string | null {
  if (url.username !== '' || url.password !== '') return 'must not carry credentials in the URL';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') {
    return isLoopbackHost(url.hostname) ? null : `uses plain http: for the non-loopback host ${url.hostname}; use https:`;
  }
  return `has the unsupported protocol ${url.protocol}`;
}

export function createSectigoClient(options: SectigoClientOptions): SectigoClient {
  const problem = upstreamUrlProblem(options.url);
  if (problem !== null) throw new Error(`Sectigo API URL ${problem}`);
  const format = options.responseFormat ?? 1;
  const path = `${options.url.pathname}${options.url.search}`;
  const spanName = `POST ${options.url.pathname}`;
  const pool = new Pool(options.url.origin, {
    connections: options.maxConnections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    connect: { timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });

  /** Sends the request and reads the body, bounded; transport failures come out as SectigoErrors. */
  async function exchange(ref: OrderRef, level: DetailLevel, signal: AbortSignal | undefined) {
    // One controller and one timer per attempt, ended by the attempt's own
    // timeout or the caller's signal: AbortSignal.timeout plus AbortSignal.any
    // cost two signals, a dependent-signal registry and a second timer on
    // every call (cold profile, BENCHMARKS.md).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    const onCallerAbort = () => controller.abort(signal?.reason);
    if (signal?.aborted === true) onCallerAbort();
    else signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const response = await pool.request({
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: format === 1 ? 'application/x-www-form-urlencoded' : 'application/json',
        },
        body: requestBody(options.credentials, ref, level, format),
        signal: controller.signal,
      });
      if (response.statusCode < 200 || response.statusCode > 299) {
        // The body of an error page is never used: drop it unread.
        discard(response.body);
        throw new SectigoError('SECTIGO_HTTP_STATUS', `Sectigo answered HTTP ${response.statusCode}`, {
          httpStatus: response.statusCode,
        });
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
        discard(response.body);
        throw tooLarge(options.maxResponseBytes);
      }
      let received = 0;
      const chunks: Buffer[] = [];
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > options.maxResponseBytes) {
          discard(response.body);
          throw tooLarge(options.maxResponseBytes);
        }
        chunks.push(chunk);
      }
      return { body: Buffer.concat(chunks, received), contentType: headerValue(response.headers['content-type']) };
    } catch (error) {
      throw transportError(error, timedOut, options.timeoutMs, signal);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  async function attempt(ref: OrderRef, level: DetailLevel, signal: AbortSignal | undefined): Promise<UpstreamAnswer> {
    const { body, contentType } = await exchange(ref, level, signal);
    // Outside exchange(): a failure from here on is about the answer (a SectigoError) or a bug of ours.
    const wire = decodeBytes(body, contentType);
    if (wire.errorCode !== 0) throw errorForCode(wire.errorCode, wire.errorMessage);
    const status = mapOrderStatus(wire, level);
    if (!answersRef(status, ref)) {
      // Never cache or serve an answer as an order it is not about.
      throw new SectigoError('SECTIGO_WRONG_ORDER', 'Sectigo answered about another order than the one asked for');
    }
    return { status, source: 'upstream', freshForMs: 0, bytes: body.length };
  }

  return {
    fetchOrder(ref, level, call) {
      const retry = call?.retry ?? 0;
      // One CLIENT span per attempt: the URL and what was asked, never the body (it carries the password).
      return tracer().startActiveSpan(
        spanName,
        { kind: SpanKind.CLIENT, attributes: attemptAttributes(options.url, level, retry) },
        async (span) => {
          const signal = call?.signal;
          const started = performance.now();
          let outcome: UpstreamOutcome = 'ok';
          let bytes = 0;
          let sectigoErrorCode: number | undefined;
          let httpStatus: number | undefined;
          try {
            const answer = await attempt(ref, level, signal);
            bytes = answer.bytes;
            httpStatus = 200;
            return answer;
          } catch (error) {
            if (error instanceof SectigoError) {
              outcome = error.code;
              sectigoErrorCode = error.sectigoErrorCode;
              // A Sectigo error code arrives in a 2xx answer; an HTTP error carries its own status.
              httpStatus = error.httpStatus ?? (sectigoErrorCode === undefined ? undefined : 200);
            } else {
              // transportError passes through only the caller's own abort; anything else is a bug of ours.
              outcome =
                error instanceof Error && (error.name === 'AbortError' || error instanceof undiciErrors.RequestAbortedError)
                  ? 'aborted'
                  : 'internal_error';
            }
            throw error;
          } finally {
            span.setAttribute(ATTR.outcome, outcome);
            if (sectigoErrorCode !== undefined) span.setAttribute(ATTR.sectigoErrorCode, sectigoErrorCode);
            if (httpStatus !== undefined) span.setAttribute('http.response.status_code', httpStatus);
            if (outcome !== 'ok') {
              span.setAttribute('error.type', outcome);
              span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
            }
            // Logged inside the span: the log line carries its span_id.
            const event = { ref, level, durationMs: performance.now() - started, outcome, bytes, sectigoErrorCode, retry };
            options.onCall?.(event);
            call?.requester?.onUpstreamCall?.(event);
            span.end();
          }
        },
      );
    },
    async close() {
      await pool.close();
    },
  };
}

/** What a span of one attempt says before it ends. The URL is checked to carry no credentials (upstreamUrlProblem). */
function attemptAttributes(url: URL, level: DetailLevel, retry: number) {
  return {
    'http.request.method': 'POST',
    'url.full': url.href,
    'server.address': url.hostname,
    'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    [ATTR.queryType]: level.queryType,
    [ATTR.showValidityPeriod]: level.showValidityPeriod,
    [ATTR.retry]: retry,
    ...(retry > 0 ? { 'http.request.resend_count': retry } : {}),
  };
}

/** Whether the answer's order (index 1) is the one asked for; an answer naming no order number cannot be checked. */
function answersRef(status: OrderStatus, ref: OrderRef): boolean {
  if (ref.kind !== 'orderNumber' || status.order.orderNumber === null) return true;
  return parseOrderNumber(status.order.orderNumber) === ref.orderNumber;
}

function requestBody(credentials: SectigoCredentials, ref: OrderRef, level: DetailLevel, format: ResponseFormat): string {
  const params = new URLSearchParams();
  params.set('loginName', credentials.loginName);
  params.set('loginPassword', credentials.loginPassword.reveal());
  switch (ref.kind) {
    case 'orderNumber':
      params.set('orderNumber', ref.orderNumber);
      break;
    case 'certificateId':
      params.set('certificateID', ref.certificateId);
      break;
  }
  params.set('queryType', String(level.queryType));
  params.set('showValidityPeriod', level.showValidityPeriod ? 'Y' : 'N');
  params.set('responseFormat', String(format));
  return params.toString();
}

/** Drops a body unread; undici reports the resulting abort as an 'error' event nobody needs. */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => {});
  body.destroy();
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function tooLarge(limit: number): SectigoError {
  return new SectigoError('SECTIGO_RESPONSE_TOO_LARGE', `Sectigo answered with a body larger than ${limit} bytes`);
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * A failure while talking to Sectigo as a SectigoError: our timeout, or any
 * transport failure (refused, reset, DNS, TLS, ...). Only the caller's own
 * abort passes through, as its reason when that is a SectigoError. Messages of socket errors can name addresses but
 * never the body we sent; they are kept only as `cause`, never shown.
 */
function transportError(error: unknown, timedOut: boolean, timeoutMs: number, callerSignal: AbortSignal | undefined): unknown {
  if (error instanceof SectigoError) return error;
  // The order's deadline or the shutdown (see loading/deadline.ts) says why in its reason.
  if (callerSignal?.aborted === true && callerSignal.reason instanceof SectigoError) return callerSignal.reason;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (timedOut || TIMEOUT_CODES.has(code)) {
    return new SectigoError('SECTIGO_TIMEOUT', `Sectigo did not answer within ${timeoutMs} ms`, { cause: error });
  }
  if (error instanceof undiciErrors.RequestAbortedError || (error instanceof Error && error.name === 'AbortError')) {
    // The caller gave up (its own signal): not an upstream failure.
    return error;
  }
  return new SectigoError('SECTIGO_CONNECTION_FAILED', 'The connection to Sectigo failed', { cause: error });
}
