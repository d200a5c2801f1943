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
    parse(req, res, (error?: unknown) => {
      if (isTooLarge(error)) closeAfterResponse(req, res);
      next(error);
    });
  };
}

function isTooLarge(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'type' in error && error.type === 'entity.too.large';
}

/** No keep-alive for this connection: the unread rest of the body is never read. */
function closeAfterResponse(req: express.Request, res: express.Response): void {
  res.setHeader('connection', 'close');
  res.once('finish', () => req.socket.destroy());
}
