import { timingSafeEqual } from 'node:crypto';
import type express from 'express';
import type { Config } from '../config.js';
import { ErrorCode } from '../errors.js';

/**
 * Optional shared secret between the router and this subgraph (Apollo's
 * advice for subgraphs that should only be reached through the router).
 */
export function routerSecretCheck(config: Config): express.RequestHandler {
  const secret = config.routerSecret === undefined ? undefined : Buffer.from(config.routerSecret);
  return (req, res, next) => {
    if (secret === undefined) return next();
    const given = Buffer.from(req.get(config.routerSecretHeader) ?? '');
    if (given.length === secret.length && timingSafeEqual(given, secret)) return next();
    res.status(401).json({
      errors: [{ message: `Missing or wrong ${config.routerSecretHeader} header`, extensions: { code: ErrorCode.UNAUTHENTICATED } }],
    });
  };
}
