import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.js';

/**
 * Optional shared secret between the router and this subgraph (Apollo's
 * advice for subgraphs that should only be reached through the router).
 * True when the request may go on: no secret is configured, or it carries it.
 */
export function routerSecretCheck(config: Config): (req: IncomingMessage) => boolean {
  const secret = config.routerSecret === undefined ? undefined : Buffer.from(config.routerSecret);
  const header = config.routerSecretHeader.toLowerCase();
  return (req) => {
    if (secret === undefined) return true;
    const value = req.headers[header];
    const given = Buffer.from(typeof value === 'string' ? value : (value?.join(', ') ?? ''));
    return given.length === secret.length && timingSafeEqual(given, secret);
  };
}
