/** Faults the simulator is told to commit: checked when injected, consumed first in first out. */
import type { WireResponse } from '../sectigo/wire.js';
import { argumentValues, errorMessageFor, errorResponse } from './endpoint.js';
import type { ReceivedRequest } from './request.js';
import type { Fault, FaultMatch } from './types.js';

interface QueuedFault {
  readonly fault: Fault;
  readonly match: FaultMatch;
  remaining: number;
}

export interface FaultQueue {
  push(fault: Fault, times: number, match: FaultMatch): void;
  /** The first queued fault that matches the request, consumed once. */
  take(request: ReceivedRequest): Fault | undefined;
  clear(): void;
}

export function createFaultQueue(): FaultQueue {
  const faults: QueuedFault[] = [];
  return {
    push(fault, times, match) {
      checkFault(fault);
      if (!(times === Infinity || (Number.isInteger(times) && times > 0))) {
        throw new RangeError(`times must be a positive integer or Infinity, got ${times}`);
      }
      faults.push({ fault, match, remaining: times });
    },
    take(request) {
      const orderNumber = request.params.find(([name]) => name === 'orderNumber')?.[1];
      const index = faults.findIndex(
        ({ match }) => match.orderNumber === undefined || (orderNumber !== undefined && sameInteger(match.orderNumber, orderNumber)),
      );
      const queued = faults[index];
      if (queued === undefined) return undefined;
      queued.remaining -= 1;
      if (queued.remaining <= 0) faults.splice(index, 1);
      return queued.fault;
    },
    clear() {
      faults.length = 0;
    },
  };
}

/** For -2/-3/-4 without a message, the template names the lookup argument the request used. */
export function faultErrorResponse(fault: Extract<Fault, { kind: 'errorCode' }>, request: ReceivedRequest): WireResponse {
  if (fault.message !== undefined) return errorResponse(fault.code, fault.message);
  const values = argumentValues(request.params);
  const argument = values.has('orderNumber') || !values.has('certificateID') ? 'orderNumber' : 'certificateID';
  return errorResponse(fault.code, errorMessageFor(fault.code, argument));
}

export function checkedMs(ms: number, what: string): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${what} must be a non-negative number of milliseconds, got ${ms}`);
  return ms;
}

function sameInteger(a: string, b: string): boolean {
  return a.replace(/^0+(?=[0-9])/, '') === b.replace(/^0+(?=[0-9])/, '');
}

/** The same request, asking for another order. */
export function asking(request: ReceivedRequest, orderNumber: string): ReceivedRequest {
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
      if (!/^[0-9]+$/.test(fault.orderNumber))
        throw new RangeError(`otherOrder fault orderNumber must be digits, got ${fault.orderNumber}`);
      return;
  }
}
