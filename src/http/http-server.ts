import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';

/**
 * Node's defaults let one client hold a connection for minutes: 60 s for
 * headers and 300 s for a body, checked only every 30 s, and no cap on
 * connections. Ours are seconds, checked often enough to matter.
 */
export function createHttpServer(config: Config, app: RequestListener): Server {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections } = config.http;
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeoutMs / 4))),
    },
    app,
  );
  server.maxConnections = maxConnections;
  return server;
}

/** Starts listening; resolves with the bound address, rejects if the port cannot be bound. */
export function listenOn(server: Server, port: number, host?: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
