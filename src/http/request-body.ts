/**
 * The body of a GraphQL request, read from `node:http` with the guards a
 * public endpoint needs, and parsed as JSON with one guard of our own.
 *
 * - A body over the limit, chunked and compressed ones included, is refused
 *   as soon as the limit is passed (wire bytes or inflated bytes): the
 *   caller answers 413 and closes the connection, so the unread rest is
 *   never read.
 * - `gzip`, `deflate` and `br` request bodies are inflated (a router may
 *   compress what it sends to subgraphs); any other encoding is a 415.
 * - An integer beyond 2^53 is already rounded once JSON.parse has it, so a
 *   certificate id sent as a number would be looked up as another id. Such
 *   numbers become a marker that no scalar accepts: the variable fails
 *   coercion (BAD_USER_INPUT) instead of being rounded. The reviver that
 *   does it runs only when the text holds a number that could be one (16
 *   digits in a row, or an exponent): JSON.parse with a reviver is several
 *   times slower, and almost no body needs it.
 */
import type { IncomingMessage } from 'node:http';
import { createBrotliDecompress, createGunzip, createInflate, type Gunzip } from 'node:zlib';

export type BodyRead =
  | { readonly kind: 'ok'; readonly text: string }
  | { readonly kind: 'tooLarge' }
  | { readonly kind: 'unsupportedEncoding'; readonly encoding: string }
  | { readonly kind: 'unsupportedCharset'; readonly charset: string }
  | { readonly kind: 'malformed' }
  /** The client went away, or the server's request timeout cut the body off. */
  | { readonly kind: 'aborted' };

function inflater(encoding: string): Gunzip | null | undefined {
  switch (encoding) {
    case '':
    case 'identity':
      return null;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/** `charset` of a content-type, lower-cased, or '' when it names none. */
export function charsetOf(contentType: string): string {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match?.[1]?.toLowerCase() ?? '';
}

export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return Promise.resolve({ kind: 'tooLarge' });
  const charset = charsetOf(req.headers['content-type'] ?? '');
  if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') return Promise.resolve({ kind: 'unsupportedCharset', charset });
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  const inflate = inflater(encoding);
  if (inflate === undefined) return Promise.resolve({ kind: 'unsupportedEncoding', encoding });

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let wire = 0;
    let decoded = 0;
    let done = false;
    const finish = (result: BodyRead): void => {
      if (done) return;
      done = true;
      req.off('data', onWire);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('close', onClose);
      if (inflate !== null) {
        inflate.off('data', onDecoded);
        inflate.destroy();
      }
      resolve(result);
    };
    const onDecoded = (chunk: Buffer): void => {
      decoded += chunk.length;
      if (decoded > limitBytes) finish({ kind: 'tooLarge' });
      else chunks.push(chunk);
    };
    const onWire = (chunk: Buffer): void => {
      wire += chunk.length;
      if (wire > limitBytes) finish({ kind: 'tooLarge' });
      else if (inflate === null) onDecoded(chunk);
      else inflate.write(chunk);
    };
    const text = (): string => (chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    const onEnd = (): void => {
      if (inflate === null) {
        finish({ kind: 'ok', text: text() });
        return;
      }
      inflate.once('end', () => finish({ kind: 'ok', text: text() }));
      inflate.end();
    };
    const onAborted = (): void => finish({ kind: 'aborted' });
    const onClose = (): void => {
      if (!req.complete) finish({ kind: 'aborted' });
    };
    if (inflate !== null) {
      inflate.on('data', onDecoded);
      inflate.once('error', () => finish({ kind: 'malformed' }));
    }
    req.on('data', onWire);
    req.once('end', onEnd);
    req.once('aborted', onAborted);
    req.once('close', onClose);
  });
}

class UnsafeInteger {
  toJSON(): string {
    return 'an integer beyond 2^53 (send ids as strings)';
  }
}

const UNSAFE = new UnsafeInteger();

function refuseUnsafeIntegers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value) ? UNSAFE : value;
}

/** Could hold an integer JSON.parse would round: 16 digits in a row, or an exponent. */
const MAYBE_UNSAFE_NUMBER = /\d{16}|\d[eE]/;

/**
 * A JSON object or array (body-parser's strict mode: anything else is not
 * a GraphQL request), or undefined when the text is not one.
 */
export function parseJsonBody(text: string): unknown {
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return MAYBE_UNSAFE_NUMBER.test(text) ? JSON.parse(text, refuseUnsafeIntegers) : JSON.parse(text);
  } catch {
    return undefined;
  }
}
