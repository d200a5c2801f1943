/**
 * Apollo Server on `node:http`, through its own integration API
 * (`executeHTTPGraphQLRequest`), as Apollo documents for building one:
 * no framework between the socket and the request pipeline. The body is
 * read and parsed by request-body.ts (limit, encodings, unsafe integers).
 *
 * Errors raised before GraphQL runs (body too large, not JSON, an encoding
 * we do not read) are answered as GraphQL-shaped JSON with a code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import { ErrorCode } from '../errors.js';
import { parseJsonBody, readBody } from './request-body.js';

/** The GraphQL JSON error body, written in one go. */
export function replyError(
  res: ServerResponse,
  status: number,
  message: string,
  code: ErrorCode,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * An error answered before the body was read to its end, then the
 * connection is closed: otherwise Node would read the unread rest (without
 * bound) to reuse the connection.
 */
export function refuseUnread(req: IncomingMessage, res: ServerResponse, status: number, message: string, code: ErrorCode): void {
  res.once('finish', () => req.socket.destroy());
  replyError(res, status, message, code, { connection: 'close' });
}

function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  refuseUnread(req, res, 413, 'Request body too large', ErrorCode.BAD_REQUEST);
}

function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const essence = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return essence === 'application/json' || (essence.startsWith('application/') && essence.endsWith('+json'));
}

export function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    const earlier = headers.get(name);
    headers.set(name, earlier === undefined ? value : `${earlier}, ${value}`);
  }
  return headers;
}

/** A parsed request, ready for Apollo, or undefined once it has been answered with an error. */
export interface ParsedRequest {
  readonly method: string;
  readonly search: string;
  /** The body's text as received (after inflation); '' for GET. */
  readonly text: string;
  readonly body: unknown;
}

/** Reads and parses the request; answers and returns undefined when it cannot be a GraphQL request. */
export async function parseRequest(req: IncomingMessage, res: ServerResponse, limitBytes: number): Promise<ParsedRequest | undefined> {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const search = q < 0 ? '' : url.slice(q);
  const method = (req.method ?? 'GET').toUpperCase();
  if (method !== 'POST') return { method, search, text: '', body: undefined };
  const read = await readBody(req, limitBytes);
  switch (read.kind) {
    case 'tooLarge':
      refuseTooLarge(req, res);
      return undefined;
    case 'unsupportedEncoding':
      refuseUnread(req, res, 415, `Content-Encoding ${JSON.stringify(read.encoding.slice(0, 40))} is not supported`, ErrorCode.BAD_REQUEST);
      return undefined;
    case 'unsupportedCharset':
      refuseUnread(
        req,
        res,
        415,
        `Charset ${JSON.stringify(read.charset.slice(0, 40))} is not supported: send UTF-8`,
        ErrorCode.BAD_REQUEST,
      );
      return undefined;
    case 'malformed':
      refuseUnread(req, res, 400, 'Request body could not be decoded', ErrorCode.BAD_REQUEST);
      return undefined;
    case 'aborted':
      res.destroy();
      return undefined;
    case 'ok':
      break;
  }
  // As body-parser did: only a JSON content type is parsed; Apollo refuses the rest (and CSRF checks the type).
  if (!isJson(req.headers['content-type'])) return { method, search, text: read.text, body: undefined };
  const body = parseJsonBody(read.text);
  if (body === undefined) {
    replyError(res, 400, 'Request body is not valid JSON', ErrorCode.BAD_REQUEST);
    return undefined;
  }
  return { method, search, text: read.text, body };
}

/** Writes Apollo's answer. */
export async function writeApolloResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [key, value] of response.headers) headers[key] = value;
  if (response.body.kind === 'complete') {
    headers['content-length'] = String(Buffer.byteLength(response.body.string));
    res.writeHead(response.status ?? 200, headers);
    res.end(response.body.string);
    return;
  }
  res.writeHead(response.status ?? 200, headers);
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** One GraphQL request through Apollo, from the parsed request to the written response. */
export async function executeWithApollo<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  parsed: ParsedRequest,
  context: () => Promise<TContext>,
): Promise<HTTPGraphQLResponse> {
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: parsed.method, headers: headerMapOf(req), search: parsed.search, body: parsed.body },
    context,
  });
  await writeApolloResponse(res, response);
  return response;
}
