/**
 * Slow and oversized clients over raw sockets (see test/resilience/http-limits.test.ts):
 * headers a byte every 100 ms, a body dripping a byte every 50 ms, a chunked
 * body sent until the server hangs up, a Content-Length of 10 MB. Each must
 * be cut off with the status in EXPECTED_STATUS within SLOW_CAP_MS.
 */
import { connect, type Socket } from 'node:net';

const HEAD = `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n`;
export const SLOW_KINDS = ['slowHeaders', 'dripBody', 'chunkedOverLimit', 'declaredOverLimit'] as const;
export type SlowKind = (typeof SLOW_KINDS)[number];
export const EXPECTED_STATUS: Readonly<Record<SlowKind, number>> = {
  slowHeaders: 408,
  dripBody: 408,
  chunkedOverLimit: 413,
  declaredOverLimit: 413,
};
export const SLOW_CAP_MS = 30_000;

export interface Conversation {
  readonly heldMs: number;
  /** False: still open at SLOW_CAP_MS, closed by us. */
  readonly cutOff: boolean;
  /** The HTTP status the server answered, if any. */
  readonly status: string | undefined;
  readonly socketError: string | undefined;
  /** The start of what the server sent. */
  readonly text: string;
}

export async function converse(port: number, kind: SlowKind): Promise<Conversation> {
  const started = performance.now();
  let text = '';
  let socketError: string | undefined;
  const socket: Socket = connect(port, '127.0.0.1');
  socket.on('data', (chunk: Buffer) => {
    if (text.length < 4096) text += chunk.toString('latin1');
  });
  // The server may reset a connection it closes while we still write.
  socket.on('error', (error: NodeJS.ErrnoException) => {
    socketError ??= error.code ?? error.message;
  });
  const closed = new Promise<void>((done) => socket.once('close', () => done()));
  let cutOff = true;
  const cap = setTimeout(() => {
    cutOff = false;
    socket.destroy();
  }, SLOW_CAP_MS);
  const write = (data: string) => {
    if (!socket.destroyed && socket.writable) return socket.write(data);
    return true;
  };
  let drip: NodeJS.Timeout | undefined;
  let stopped = false;
  void closed.then(() => {
    stopped = true;
  });
  socket.once('connect', () => {
    switch (kind) {
      case 'slowHeaders': {
        const head = `${HEAD}X-Padding: ${'a'.repeat(4096)}\r\n\r\n{}`;
        let i = 0;
        drip = setInterval(() => write(head[i++ % head.length] as string), 100);
        return;
      }
      case 'dripBody':
        write(`${HEAD}Content-Length: 1000\r\n\r\n{"query":`);
        drip = setInterval(() => write(' '), 50);
        return;
      case 'declaredOverLimit':
        write(`${HEAD}Content-Length: 10000000\r\n\r\n{"query":`);
        return;
      case 'chunkedOverLimit': {
        write(`${HEAD}Transfer-Encoding: chunked\r\n\r\n`);
        const chunk = `${(64 * 1024).toString(16)}\r\n${' '.repeat(64 * 1024)}\r\n`;
        void (async () => {
          let sent = 0;
          // As an attacker would: until the server hangs up (it must, long before 64 MiB).
          while (!stopped && sent < 64 * 1024 * 1024) {
            if (!write(chunk)) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
            sent += chunk.length;
          }
        })();
        return;
      }
    }
  });
  await closed;
  clearTimeout(cap);
  if (drip !== undefined) clearInterval(drip);
  return { heldMs: performance.now() - started, cutOff, status: /^HTTP\/1\.[01] ([0-9]{3})/.exec(text)?.[1], socketError, text };
}
