/**
 * A real OTLP/HTTP trace receiver on loopback (port chosen by the OS): it
 * keeps every export as received (raw bytes, for leak scans and protobuf)
 * and, for http/json, the spans flattened with their resource. Tests wait
 * for spans by predicate, never by time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type AnyValue = {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
};
type KeyValue = { key: string; value: AnyValue };

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly traceState: string;
  readonly name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  readonly kind: number;
  readonly scope: string;
  readonly serviceName: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly links: readonly { traceId: string; spanId: string }[];
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  readonly status: number;
}

export interface OtlpReceiver {
  /** The base URL to give as OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly url: string;
  readonly exports: readonly { path: string; contentType: string; body: Buffer }[];
  readonly spans: readonly ReceivedSpan[];
  /** Resolves with the spans once `predicate` holds for everything received so far. */
  waitFor(predicate: (spans: readonly ReceivedSpan[]) => boolean): Promise<readonly ReceivedSpan[]>;
  close(): Promise<void>;
}

function plain(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(plain);
  return undefined;
}

function attributes(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, plain(value)]));
}

interface JsonExport {
  resourceSpans?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{
      scope?: { name?: string };
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        traceState?: string;
        name: string;
        kind: number;
        attributes?: KeyValue[];
        links?: Array<{ traceId: string; spanId: string }>;
        status?: { code?: number };
      }>;
    }>;
  }>;
}

function flatten(body: JsonExport): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpan of body.resourceSpans ?? []) {
    const name = attributes(resourceSpan.resource?.attributes)['service.name'];
    const serviceName = typeof name === 'string' ? name : '';
    for (const scopeSpan of resourceSpan.scopeSpans ?? []) {
      for (const span of scopeSpan.spans ?? []) {
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? '',
          traceState: span.traceState ?? '',
          name: span.name,
          kind: span.kind,
          scope: scopeSpan.scope?.name ?? '',
          serviceName,
          attributes: attributes(span.attributes),
          links: (span.links ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
          status: span.status?.code ?? 0,
        });
      }
    }
  }
  return spans;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const exports: Array<{ path: string; contentType: string; body: Buffer }> = [];
  const spans: ReceivedSpan[] = [];
  const waiters: Array<{ predicate: (spans: readonly ReceivedSpan[]) => boolean; resolve: (spans: readonly ReceivedSpan[]) => void }> = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentType = request.headers['content-type'] ?? '';
      exports.push({ path: request.url ?? '', contentType, body });
      if (contentType.startsWith('application/json')) spans.push(...flatten(JSON.parse(body.toString('utf8')) as JsonExport));
      for (const waiter of [...waiters]) {
        if (waiter.predicate(spans)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(spans);
        }
      }
      // An empty ExportTraceServiceResponse: everything accepted.
      response.writeHead(200, {
        'content-type': contentType.startsWith('application/json') ? 'application/json' : 'application/x-protobuf',
      });
      response.end(contentType.startsWith('application/json') ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exports,
    spans,
    waitFor(predicate) {
      if (predicate(spans)) return Promise.resolve(spans);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
