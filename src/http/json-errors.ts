import type express from 'express';
import { ErrorCode } from '../errors.js';
import type { Logger } from '../logging.js';

/**
 * Errors raised before GraphQL runs (body too large, malformed JSON) as a
 * GraphQL-shaped JSON answer instead of Express's HTML page.
 */
export function jsonErrors(logger: Logger): express.ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status =
      typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
    const type = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : '';
    const message =
      type === 'entity.too.large'
        ? 'Request body too large'
        : type === 'entity.parse.failed'
          ? 'Request body is not valid JSON'
          : status < 500
            ? 'Bad request'
            : 'Internal server error';
    if (status >= 500) logger.error({ err: error }, 'request failed before GraphQL');
    const code = status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_SERVER_ERROR;
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}
