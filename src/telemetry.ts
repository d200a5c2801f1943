/**
 * OpenTelemetry, configured only through the standard `OTEL_*` variables
 * and off unless they ask for traces. When off, nothing of the SDK is
 * loaded: the spans the code starts through `@opentelemetry/api` are
 * no-ops. When on, the SDK must start before the modules it instruments
 * (node:http, ioredis) are imported, so main.ts starts it first and imports
 * the service afterwards.
 */
import { register } from 'node:module';

export interface Telemetry {
  readonly tracing: boolean;
  /** Flushes the spans still buffered; resolves even if the exporter cannot be reached. */
  shutdown(): Promise<void>;
}

type Env = Record<string, string | undefined>;

export const SERVICE_NAME = 'sectigo-order-status-subgraph';

/**
 * Traces are on when an exporter other than `none` is named, or an OTLP
 * endpoint is given (the SDK's default exporter is OTLP), and the SDK is
 * not disabled.
 */
export function isTracingConfigured(env: Env): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  const exporters = (env['OTEL_TRACES_EXPORTER'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (exporters.length > 0) return exporters.some((name) => name !== 'none');
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim());
}

/**
 * Starts the SDK when configured. `env` is read by the SDK itself (through
 * process.env): this only fills in what the subgraph does not export
 * (metrics are Prometheus on /metrics, logs go to stdout) and its name.
 */
export async function startTelemetry(env: Env): Promise<Telemetry> {
  if (!isTracingConfigured(env)) return { tracing: false, shutdown: () => Promise.resolve() };
  env['OTEL_METRICS_EXPORTER'] ??= 'none';
  env['OTEL_LOGS_EXPORTER'] ??= 'none';
  // ESM imports of node:http and ioredis are patched through
  // import-in-the-middle; only these two, so no other module is wrapped.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: ['node:http', 'http', 'ioredis'] } });
  const [{ NodeSDK }, { HttpInstrumentation }, { IORedisInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  const named = env['OTEL_SERVICE_NAME'] !== undefined || /(^|,)\s*service\.name=/.test(env['OTEL_RESOURCE_ATTRIBUTES'] ?? '');
  const sdk = new NodeSDK({
    ...(named ? {} : { serviceName: SERVICE_NAME }),
    instrumentations: [
      new HttpInstrumentation({
        // The router's call is the one worth a SERVER span; probes, scrapes
        // and the embedded simulator's own route are not.
        ignoreIncomingRequestHook: (request) => !(request.url ?? '').startsWith('/graphql'),
        // The upstream goes through undici (its own CLIENT span per attempt,
        // see sectigo/client.ts); nothing else calls out but the exporter.
        requireParentforOutgoingSpans: true,
      }),
      new IORedisInstrumentation({
        requireParentSpan: true,
        // The command name only: keys carry order numbers and values carry
        // whole answers (personal data); AUTH would carry the Redis password.
        dbStatementSerializer: (command) => command,
      }),
    ],
  });
  sdk.start();
  return {
    tracing: true,
    async shutdown() {
      await sdk.shutdown().catch(() => undefined);
    },
  };
}
