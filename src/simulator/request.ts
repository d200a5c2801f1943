/** One request to the simulator as read off the socket: the body is read whole, bounded. */
import type { IncomingMessage } from 'node:http';
import type { ResponseFormat } from '../sectigo/wire.js';
import { requestedFormat } from './endpoint.js';

/** A request body larger than this is not read (413): the real arguments fit in well under 1 KiB. */
const MAX_REQUEST_BYTES = 64 * 1024;
export const FORM = 'application/x-www-form-urlencoded';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly search: string;
  readonly contentType: string | undefined;
  readonly params: ReadonlyArray<readonly [string, string]>;
  readonly tooLarge: boolean;
}

/** Reads the whole body; parameters come only from a form-encoded (or untyped) body, never from the URL. */
export function receive(req: IncomingMessage, done: (request: ReceivedRequest) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    const target = new URL(req.url ?? '/', 'http://simulator.invalid');
    const contentType = req.headers['content-type'];
    const tooLarge = size > MAX_REQUEST_BYTES;
    const params = !tooLarge && isFormBody(contentType) ? [...new URLSearchParams(Buffer.concat(chunks).toString('utf8'))] : [];
    done({
      method: req.method ?? '',
      path: decodedPath(target.pathname),
      search: target.search,
      contentType,
      params,
      tooLarge,
    });
  });
}

function isFormBody(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  return contentType.split(';')[0]?.trim().toLowerCase() === FORM;
}

function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

export function formatOf(request: ReceivedRequest): ResponseFormat {
  return request.method === 'POST' ? requestedFormat(request.params) : 1;
}
