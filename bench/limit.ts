/**
 * The limit: plain graphql-js on `node:http`, the same subgraph schema
 * (buildSubgraphSchema over schema/order-status.graphql), answering from one
 * in-memory order. It does what any GraphQL-over-HTTP server must and nothing
 * more: read the body, JSON.parse it, parse and validate the query (once per
 * distinct query string, as every production server caches documents),
 * execute, JSON.stringify, write. No framework, no plugins, no logging.
 *
 * What this machine can serve for the query shape: the figure the subgraph's
 * warm path is measured against.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate, type DocumentNode, type GraphQLError } from 'graphql';
import { listenOn } from '../src/http/http-server.js';
import type { Order } from '../src/sectigo/domain.js';
import { inMemoryResolvers } from './ceiling.js';
import { SCHEMA_FILE } from './lib/apollo-app.js';

export interface LimitServer {
  readonly httpServer: Server;
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function createLimitServer(order: Order): LimitServer {
  const resolvers = inMemoryResolvers(order);
  const schema = buildSubgraphSchema({ typeDefs: parse(readFileSync(SCHEMA_FILE, 'utf8')), resolvers });
  const documents = new Map<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>();

  const handle = (req: IncomingMessage, res: ServerResponse, text: string): void => {
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      reply(res, 400, { errors: [{ message: 'Request body is not valid JSON' }] });
      return;
    }
    if (typeof body.query !== 'string') {
      reply(res, 400, { errors: [{ message: 'query is missing' }] });
      return;
    }
    let prepared = documents.get(body.query);
    if (prepared === undefined) {
      try {
        const document = parse(body.query);
        const errors = validate(schema, document);
        prepared = errors.length > 0 ? { errors } : { document };
      } catch (error) {
        prepared = { errors: [error as GraphQLError] };
      }
      if (documents.size < 1_000) documents.set(body.query, prepared);
    }
    if ('errors' in prepared) {
      reply(res, 400, { errors: prepared.errors });
      return;
    }
    const result = execute({
      schema,
      document: prepared.document,
      variableValues: body.variables as Record<string, unknown> | undefined,
      operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
    });
    if (result instanceof Promise) {
      void result.then((done) => reply(res, 200, done));
      return;
    }
    reply(res, 200, result);
    void req;
  };

  const httpServer = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/graphql') {
      reply(res, 404, { errors: [{ message: 'not found' }] });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  return {
    httpServer,
    listen: (port, host) => listenOn(httpServer, port, host),
    async close() {
      httpServer.closeIdleConnections();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
