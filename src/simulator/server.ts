/**
 * The simulator as a real HTTP server (node:http). It answers like the
 * documented endpoint (endpoint.ts), records every call without secrets, and
 * misbehaves on request: faults are queued and each call to the endpoint
 * consumes one, first in first out, before it is answered.
 *
 * It never logs. Timers, not busy waits, make it slow; close() ends hung and
 * dripping answers too.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { encodeWire, mediaTypeFor, type ResponseFormat, type WireResponse } from '../sectigo/wire.js';
import { argumentNamed, argumentValues, errorMessageFor, errorResponse, handleRequest, requestedFormat } from './endpoint.js';
import { createOrderBook } from './orders.js';
import { seedOrders } from './seed.js';
import type { Fault, FaultMatch, RecordedCall, Simulator, SimulatorOptions } from './types.js';

export const ENDPOINT_PATH = '/products/!GetDetailedOrderStatus';

/** A request body larger than this is not read (413): the real arguments fit in well under 1 KiB. */
const MAX_REQUEST_BYTES = 64 * 1024;
const DEFAULT_MAX_RECORDED_CALLS = 10_000;
const DRIP_CHUNK_BYTES = 8;
const HUGE_CHUNK_BYTES = 64 * 1024;
const REDACTED = '[redacted]';
const FORM = 'application/x-www-form-urlencoded';

interface QueuedFault {
  readonly fault: Fault;
  readonly match: FaultMatch;
  remaining: number;
}

interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly search: string;
  readonly contentType: string | undefined;
  readonly params: ReadonlyArray<readonly [string, string]>;
  readonly tooLarge: boolean;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  let latencyMs = checkedMs(options.latencyMs ?? 0, 'latencyMs');
  const maxRecordedCalls = options.maxRecordedCalls ?? DEFAULT_MAX_RECORDED_CALLS;
  if (!Number.isInteger(maxRecordedCalls) || maxRecordedCalls < 0) {
    throw new RangeError(`maxRecordedCalls must be a non-negative integer, got ${maxRecordedCalls}`);
  }
  const context = {
    loginName: options.loginName,
    loginPassword: options.loginPassword,
    orders: createOrderBook(options.orders ?? seedOrders),
  };
  const secret = options.loginPassword;
  const calls: RecordedCall[] = [];
  /** Counts past the maxRecordedCalls bound, for waitForCalls. */
  let recordedCount = 0;
  let waiters: Array<{ readonly count: number; readonly resolve: () => void; readonly reject: (error: Error) => void }> = [];
  let openCalls = 0;
  let maxConcurrentCalls = 0;
  const faults: QueuedFault[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let closing: Promise<void> | undefined;

  const later = (ms: number, run: () => void): void => {
    if (closing !== undefined) return;
    if (ms <= 0) {
      run();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  const takeFault = (request: ReceivedRequest): Fault | undefined => {
    const orderNumber = request.params.find(([name]) => name === 'orderNumber')?.[1];
    const index = faults.findIndex(
      ({ match }) => match.orderNumber === undefined || (orderNumber !== undefined && sameInteger(match.orderNumber, orderNumber)),
    );
    const queued = faults[index];
    if (queued === undefined) return undefined;
    queued.remaining -= 1;
    if (queued.remaining <= 0) faults.splice(index, 1);
    return queued.fault;
  };

  const record = (request: ReceivedRequest, errorCode: number | null): void => {
    if (maxRecordedCalls > 0) {
      if (calls.length >= maxRecordedCalls) calls.splice(0, calls.length - maxRecordedCalls + 1);
      calls.push(recordedCall(request, errorCode, secret));
    }
    recordedCount += 1;
    if (waiters.length === 0) return;
    const due = waiters.filter((waiter) => waiter.count <= recordedCount);
    waiters = waiters.filter((waiter) => waiter.count > recordedCount);
    for (const waiter of due) waiter.resolve();
  };

  const respond = (request: ReceivedRequest, res: ServerResponse): void => {
    if (request.path !== ENDPOINT_PATH) {
      record(request, null);
      sendPage(res, 404);
      return;
    }
    if (request.tooLarge) {
      record(request, null);
      sendPage(res, 413);
      return;
    }
    const fault = takeFault(request);
    const { format, response } =
      fault?.kind === 'errorCode'
        ? { format: formatOf(request), response: faultErrorResponse(fault, request) }
        : fault?.kind === 'otherOrder'
          ? handleRequest(asking(request, fault.orderNumber), context)
          : handleRequest(request, context);
    const answer = (): void => sendBody(res, 200, mediaTypeFor(format), encodeWire(response, format));

    if (fault === undefined) {
      record(request, response.errorCode);
      later(latencyMs, answer);
      return;
    }
    switch (fault.kind) {
      case 'hang':
        record(request, null);
        return;
      case 'delay':
        record(request, response.errorCode);
        later(fault.ms, answer);
        return;
      case 'http':
        record(request, null);
        if (fault.body === undefined) sendPage(res, fault.status);
        else sendBody(res, fault.status, fault.contentType ?? 'text/html; charset=utf-8', fault.body);
        return;
      case 'body':
        record(request, null);
        sendBody(res, fault.status ?? 200, fault.contentType ?? FORM, fault.body);
        return;
      case 'errorCode':
        record(request, fault.code);
        answer();
        return;
      case 'reset':
        record(request, null);
        sendTruncated(res, mediaTypeFor(format), encodeWire(response, format));
        return;
      case 'slowDrip':
        record(request, response.errorCode);
        drip(res, mediaTypeFor(format), encodeWire(response, format), fault.chunkDelayMs, later);
        return;
      case 'huge':
        record(request, null);
        sendHuge(res, fault.bytes);
        return;
      case 'otherOrder':
        record(request, response.errorCode);
        answer();
        return;
    }
  };

  const server = createServer((req, res) => {
    openCalls += 1;
    if (openCalls > maxConcurrentCalls) maxConcurrentCalls = openCalls;
    res.on('close', () => {
      openCalls -= 1;
    });
    req.on('error', () => res.destroy());
    res.on('error', () => res.destroy());
    receive(req, (request) => {
      if (closing === undefined) respond(request, res);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${ENDPOINT_PATH}`;

  return {
    url,
    get calls() {
      return calls.slice();
    },
    get maxConcurrentCalls() {
      return maxConcurrentCalls;
    },
    resetCalls() {
      calls.length = 0;
      recordedCount = 0;
      maxConcurrentCalls = openCalls;
    },
    waitForCalls(count) {
      if (recordedCount >= count) return Promise.resolve();
      if (closing !== undefined) return Promise.reject(new Error('The simulator is closed'));
      return new Promise<void>((resolve, reject) => {
        waiters.push({ count, resolve, reject });
      });
    },
    setLatency(ms) {
      latencyMs = checkedMs(ms, 'latency');
    },
    injectFault(fault, times = 1, match = {}) {
      checkFault(fault);
      if (!(times === Infinity || (Number.isInteger(times) && times > 0))) {
        throw new RangeError(`times must be a positive integer or Infinity, got ${times}`);
      }
      faults.push({ fault, match, remaining: times });
    },
    clearFaults() {
      faults.length = 0;
    },
    close() {
      if (closing !== undefined) return closing;
      closing = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const waiter of waiters) waiter.reject(new Error(`The simulator closed before ${waiter.count} calls were recorded`));
      waiters = [];
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      return closing;
    },
  };
}

/** Reads the whole body; parameters come only from a form-encoded (or untyped) body, never from the URL. */
function receive(req: IncomingMessage, done: (request: ReceivedRequest) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    const target = new URL(req.url ?? '/', 'http://simulator.invalid');
    const contentType = req.headers['content-type'];
    const tooLarge = size > MAX_REQUEST_BYTES;
    const params = !tooLarge && isFormBody(contentType) ? [...new URLSearchParams(Buffer.concat(chunks).toString('utf8'))] : [];
    done({
      method: req.method ?? '',
      path: decodedPath(target.pathname),
      search: target.search,
      contentType,
      params,
      tooLarge,
    });
  });
}

function isFormBody(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  return contentType.split(';')[0]?.trim().toLowerCase() === FORM;
}

function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function formatOf(request: ReceivedRequest): ResponseFormat {
  return request.method === 'POST' ? requestedFormat(request.params) : 1;
}

/** For -2/-3/-4 without a message, the template names the lookup argument the request used. */
function faultErrorResponse(fault: Extract<Fault, { kind: 'errorCode' }>, request: ReceivedRequest): WireResponse {
  if (fault.message !== undefined) return errorResponse(fault.code, fault.message);
  const values = argumentValues(request.params);
  const argument = values.has('orderNumber') || !values.has('certificateID') ? 'orderNumber' : 'certificateID';
  return errorResponse(fault.code, errorMessageFor(fault.code, argument));
}

function recordedCall(request: ReceivedRequest, errorCode: number | null, secret: string): RecordedCall {
  const values = argumentValues(request.params);
  const query = new URLSearchParams(request.search);
  let passwordInQuery = containsSecret(request.search, secret);
  for (const [name, value] of query) {
    const argument = argumentNamed(name);
    if (argument === 'loginName' || argument === 'loginPassword' || containsSecret(value, secret)) passwordInQuery = true;
  }
  return Object.freeze({
    method: request.method,
    path: containsSecret(request.path, secret) ? REDACTED : request.path,
    contentType: request.contentType,
    query: redactedQuery(request.search, query, secret),
    params: Object.freeze(Object.fromEntries(redactedParams(request.params, secret))),
    orderNumber: values.get('orderNumber'),
    certificateId: values.get('certificateID'),
    queryType: values.get('queryType'),
    showValidityPeriod: values.get('showValidityPeriod'),
    responseFormat: values.get('responseFormat'),
    passwordInQuery,
    errorCode,
  });
}

/** loginPassword's value is always hidden (a wrong password is a secret too), and so is anything holding the real one. */
function redactedParams(params: Iterable<readonly [string, string]>, secret: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [name, value] of params) {
    const key = containsSecret(name, secret) ? REDACTED : name;
    if (seen.has(key)) continue;
    seen.add(key);
    const hidden = argumentNamed(name) === 'loginPassword' || key === REDACTED || containsSecret(value, secret);
    out.push([key, hidden ? REDACTED : value]);
  }
  return out;
}

function redactedQuery(search: string, query: URLSearchParams, secret: string): string {
  const needsRedaction =
    containsSecret(search, secret) ||
    [...query].some(([name, value]) => argumentNamed(name) === 'loginPassword' || containsSecret(name, secret) || containsSecret(value, secret));
  if (!needsRedaction) return search;
  const out = new URLSearchParams();
  for (const [name, value] of query) {
    const hidden = argumentNamed(name) === 'loginPassword' || containsSecret(name, secret) || containsSecret(value, secret);
    out.append(containsSecret(name, secret) ? REDACTED : name, hidden ? REDACTED : value);
  }
  return `?${out.toString()}`;
}

function containsSecret(text: string, secret: string): boolean {
  return secret !== '' && text.includes(secret);
}

function sendBody(res: ServerResponse, status: number, contentType: string, body: string | Uint8Array): void {
  // The caller may have given up while a latency or delay timer ran.
  if (res.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'content-type': contentType, 'content-length': bytes.byteLength });
  res.end(bytes);
}

/** What a proxy or web server in front of the endpoint sends: an HTML page. */
function sendPage(res: ServerResponse, status: number): void {
  const reason = STATUS_CODES[status] ?? 'Error';
  const page = `<!DOCTYPE html>\n<html><head><title>${status} ${reason}</title></head><body><h1>${reason}</h1></body></html>\n`;
  sendBody(res, status, 'text/html; charset=utf-8', page);
}

/** Announces the whole answer, sends half of it, then drops the connection. */
function sendTruncated(res: ServerResponse, contentType: string, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.byteLength });
  res.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.byteLength / 2))), () => res.socket?.destroy());
}

function drip(
  res: ServerResponse,
  contentType: string,
  body: string,
  chunkDelayMs: number,
  later: (ms: number, run: () => void) => void,
): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.byteLength });
  res.flushHeaders();
  let offset = 0;
  const next = (): void => {
    if (res.destroyed) return;
    const end = Math.min(offset + DRIP_CHUNK_BYTES, bytes.byteLength);
    const chunk = bytes.subarray(offset, end);
    offset = end;
    if (offset >= bytes.byteLength) {
      res.end(chunk);
      return;
    }
    res.write(chunk);
    later(chunkDelayMs, next);
  };
  later(chunkDelayMs, next);
}

/** A chunked answer-shaped body of exactly `total` bytes, written with back-pressure. */
function sendHuge(res: ServerResponse, total: number): void {
  res.writeHead(200, { 'content-type': FORM });
  const head = Buffer.from('errorCode=0&1_orderNumber=1&1_padding=', 'utf8').subarray(0, total);
  const filler = Buffer.alloc(HUGE_CHUNK_BYTES, 'a');
  let remaining = total;
  const pump = (): void => {
    while (remaining > 0 && !res.destroyed) {
      const chunk = remaining === total ? head : filler.subarray(0, Math.min(filler.byteLength, remaining));
      remaining -= chunk.byteLength;
      if (chunk.byteLength === 0) break;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

function checkedMs(ms: number, what: string): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${what} must be a non-negative number of milliseconds, got ${ms}`);
  return ms;
}

function sameInteger(a: string, b: string): boolean {
  return a.replace(/^0+(?=[0-9])/, '') === b.replace(/^0+(?=[0-9])/, '');
}

/** The same request, asking for another order. */
function asking(request: ReceivedRequest, orderNumber: string): ReceivedRequest {
  return { ...request, params: request.params.map(([name, value]) => [name, name === 'orderNumber' ? orderNumber : value] as const) };
}

function checkFault(fault: Fault): void {
  switch (fault.kind) {
    case 'hang':
    case 'reset':
    case 'body':
      return;
    case 'delay':
      checkedMs(fault.ms, 'delay fault ms');
      return;
    case 'slowDrip':
      checkedMs(fault.chunkDelayMs, 'slowDrip fault chunkDelayMs');
      return;
    case 'http':
      if (!Number.isInteger(fault.status) || fault.status < 200 || fault.status > 599) {
        throw new RangeError(`http fault status must be an HTTP status 200..599, got ${fault.status}`);
      }
      return;
    case 'errorCode':
      if (!Number.isInteger(fault.code)) throw new RangeError(`errorCode fault code must be an integer, got ${fault.code}`);
      return;
    case 'huge':
      if (!Number.isInteger(fault.bytes) || fault.bytes < 0) {
        throw new RangeError(`huge fault bytes must be a non-negative integer, got ${fault.bytes}`);
      }
      return;
    case 'otherOrder':
      if (!/^[0-9]+$/.test(fault.orderNumber)) throw new RangeError(`otherOrder fault orderNumber must be digits, got ${fault.orderNumber}`);
      return;
  }
}
