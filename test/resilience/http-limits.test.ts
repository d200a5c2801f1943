/**
 * What one client connection may take of the HTTP server: slow headers and
 * slow bodies are cut off, an over-limit body (chunked included) gets its
 * 413 and the connection is closed at once, connections are capped.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORDERS } from '../../src/simulator/index.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let port: number;
beforeAll(async () => {
  h = await startHarness({
    env: {
      HTTP_HEADERS_TIMEOUT_MS: '300',
      HTTP_REQUEST_TIMEOUT_MS: '600',
      HTTP_MAX_CONNECTIONS: '4',
      MAX_REQUEST_BODY_BYTES: '4096',
    },
  });
  port = Number(new URL(h.url).port);
});
afterAll(() => h.close());

interface Conversation {
  readonly socket: Socket;
  /** Everything the server sent. */
  received(): string;
  /** Resolves once the server closed the connection. */
  readonly closed: Promise<void>;
}

function open(): Promise<Conversation> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    // The server may reset a connection it closes while we still write.
    socket.on('error', () => {});
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

const HEAD = `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n`;

describe('slow clients', () => {
  it('answers 408 and closes a connection whose headers do not arrive within HTTP_HEADERS_TIMEOUT_MS', async () => {
    const c = await open();
    c.socket.write('POST /graphql HTTP/1.1\r\nHost: loc');
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection whose body trickles in past HTTP_REQUEST_TIMEOUT_MS', async () => {
    const c = await open();
    c.socket.write(`${HEAD}Content-Length: 1000\r\n\r\n{"query":`);
    // One byte every 50 ms: the body would take 50 s.
    const drip = setInterval(() => c.socket.write(' '), 50);
    try {
      await c.closed;
    } finally {
      clearInterval(drip);
    }
    expect(c.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(h.simulator.calls).toHaveLength(0);
  });
});

describe('bodies over MAX_REQUEST_BODY_BYTES', () => {
  it('answers a chunked body 413 and closes the connection as soon as the limit is passed', async () => {
    const c = await open();
    c.socket.write(`${HEAD}Transfer-Encoding: chunked\r\n\r\n`);
    const chunk = `${(64 * 1024).toString(16)}\r\n${' '.repeat(64 * 1024)}\r\n`;
    let sent = 0;
    let stopped = false;
    void c.closed.then(() => {
      stopped = true;
    });
    // Keep sending, as an attacker would, until the server hangs up (or 256 MB, which it must never read).
    while (!stopped && sent < 256 * 1024 * 1024) {
      if (!c.socket.write(chunk)) await new Promise((resolve) => c.socket.once('drain', resolve).once('close', resolve));
      sent += chunk.length;
    }
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 413/);
    expect(c.received().toLowerCase()).toContain('connection: close');
    // What the kernel buffers on loopback, not what the server read.
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('answers a declared Content-Length over the limit 413 without reading it', async () => {
    const c = await open();
    c.socket.write(`${HEAD}Content-Length: 10000000\r\n\r\n{"query":`);
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 413/);
  });
});

describe('connections', () => {
  it('closes connections beyond HTTP_MAX_CONNECTIONS at once, and serves again once they are gone', async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => open()));
    const extra = await open();
    await extra.closed;
    expect(extra.received()).toBe('');
    for (const c of held) c.socket.destroy();
    await Promise.all(held.map((c) => c.closed));
    const result = await h.query(`{ order(orderNumber: "${DEMO_ORDERS.dvIssued}") { status } }`);
    expect(result.body.data).toEqual({ order: { status: 'Issued' } });
  });
});
