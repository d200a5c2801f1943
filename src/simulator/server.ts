/**
 * The simulator as a real HTTP server (node:http). It answers like the
 * documented endpoint (endpoint.ts), records every call without secrets, and
 * misbehaves on request: faults are queued and each call to the endpoint
 * consumes one, first in first out, before it is answered.
 *
 * It never logs. Timers, not busy waits, make it slow; close() ends hung and
 * dripping answers too.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { listenOn } from '../http/http-server.js';
import { encodeWire, mediaTypeFor } from '../sectigo/wire.js';
import { handleRequest } from './endpoint.js';
import { asking, checkedMs, createFaultQueue, faultErrorResponse } from './faults.js';
import { createOrderBook } from './orders.js';
import { recordedCall } from './recording.js';
import { FORM, formatOf, receive, type ReceivedRequest } from './request.js';
import { seedOrders } from './seed.js';
import { drip, sendBody, sendHuge, sendPage, sendTruncated } from './senders.js';
import type { RecordedCall, Simulator, SimulatorOptions } from './types.js';

export const ENDPOINT_PATH = '/products/!GetDetailedOrderStatus';

const DEFAULT_MAX_RECORDED_CALLS = 10_000;

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
  const faults = createFaultQueue();
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
    const fault = faults.take(request);
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
  const { port } = await listenOn(server, options.port ?? 0, host);
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
      faults.push(fault, times, match);
    },
    clearFaults() {
      faults.clear();
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
