/** How the simulator writes an answer: whole, as an HTML page, cut off, dripping, or huge. */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { FORM } from './request.js';

const DRIP_CHUNK_BYTES = 8;
const HUGE_CHUNK_BYTES = 64 * 1024;

export function sendBody(res: ServerResponse, status: number, contentType: string, body: string | Uint8Array): void {
  // The caller may have given up while a latency or delay timer ran.
  if (res.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'content-type': contentType, 'content-length': bytes.byteLength });
  res.end(bytes);
}

/** What a proxy or web server in front of the endpoint sends: an HTML page. */
export function sendPage(res: ServerResponse, status: number): void {
  const reason = STATUS_CODES[status] ?? 'Error';
  const page = `<!DOCTYPE html>\n<html><head><title>${status} ${reason}</title></head><body><h1>${reason}</h1></body></html>\n`;
  sendBody(res, status, 'text/html; charset=utf-8', page);
}

/** Announces the whole answer, sends half of it, then drops the connection. */
export function sendTruncated(res: ServerResponse, contentType: string, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.byteLength });
  res.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.byteLength / 2))), () => res.socket?.destroy());
}

export function drip(
  res: ServerResponse,
  contentType: string,
  body: string,
  chunkDelayMs: number,
  later: (ms: number, run: () => void) => void,
): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.byteLength });
  res.flushHeaders();
  let offset = 0;
  const next = (): void => {
    if (res.destroyed) return;
    const end = Math.min(offset + DRIP_CHUNK_BYTES, bytes.byteLength);
    const chunk = bytes.subarray(offset, end);
    offset = end;
    if (offset >= bytes.byteLength) {
      res.end(chunk);
      return;
    }
    res.write(chunk);
    later(chunkDelayMs, next);
  };
  later(chunkDelayMs, next);
}

/** A chunked answer-shaped body of exactly `total` bytes, written with back-pressure. */
export function sendHuge(res: ServerResponse, total: number): void {
  res.writeHead(200, { 'content-type': FORM });
  const head = Buffer.from('errorCode=0&1_orderNumber=1&1_padding=', 'utf8').subarray(0, total);
  const filler = Buffer.alloc(HUGE_CHUNK_BYTES, 'a');
  let remaining = total;
  const pump = (): void => {
    while (remaining > 0 && !res.destroyed) {
      const chunk = remaining === total ? head : filler.subarray(0, Math.min(filler.byteLength, remaining));
      remaining -= chunk.byteLength;
      if (chunk.byteLength === 0) break;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}
