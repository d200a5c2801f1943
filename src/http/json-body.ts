/**
 * The JSON body of a GraphQL request, read with two guards of our own.
 *
 * - An integer beyond 2^53 is already rounded once JSON.parse has it, so a
 *   certificate id sent as a number would be looked up as another id. The
 *   reviver swaps such numbers for a marker that no scalar accepts: the
 *   variable fails coercion (BAD_USER_INPUT) instead of being rounded.
 * - A body over the limit, chunked ones included, is answered 413 and the
 *   connection closed as soon as the limit is passed: otherwise Node reads
 *   the rest of the body (without bound) to reuse the connection.
 */
import express from 'express';
import { ErrorCode } from '../errors.js';

class UnsafeInteger {
  toJSON(): string {
    return 'an integer beyond 2^53 (send ids as strings)';
  }
}

const UNSAFE = new UnsafeInteger();

function refuseUnsafeIntegers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value) ? UNSAFE : value;
}

export function jsonBody(limitBytes: number): express.RequestHandler {
  const parse = express.json({ limit: limitBytes, reviver: refuseUnsafeIntegers });
  return (req, res, next) => {
    // body-parser answers an over-limit body only after reading all of it
    // (to keep the connection), so the wire bytes are counted here: past the
    // limit, the 413 goes out at once and the connection is dropped.
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limitBytes) {
      refuseTooLarge(req, res);
      return;
    }
    let received = 0;
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limitBytes) return;
      req.off('data', count);
      refuseTooLarge(req, res);
    };
    req.on('data', count);
    parse(req, res, (error?: unknown) => {
      req.off('data', count);
      if (res.headersSent) return;
      next(error);
    });
  };
}

/** 413 with a JSON error, then the connection is closed: the unread rest of the body is never read. */
function refuseTooLarge(req: express.Request, res: express.Response): void {
  if (res.headersSent) return;
  res.once('finish', () => req.socket.destroy());
  res
    .status(413)
    .set('connection', 'close')
    .json({ errors: [{ message: 'Request body too large', extensions: { code: ErrorCode.BAD_REQUEST } }] });
}
