/**
 * The only place that touches `process`: config -> telemetry -> upstream ->
 * server -> listen -> drain on SIGTERM/SIGINT.
 *
 * The service's modules are imported only once telemetry has started: the
 * OpenTelemetry SDK patches node:http and ioredis as they load.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigError, describeConfig, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logging.js';
import { Secret } from './secret.js';
import type { UpstreamTarget } from './server.js';
import type { Simulator } from './simulator/index.js';
import { startTelemetry } from './telemetry.js';

async function resolveUpstream(config: Config, logger: Logger): Promise<{ target: UpstreamTarget; simulator?: Simulator }> {
  if (config.upstream.kind === 'sectigo') {
    const { configuredUpstream } = await import('./server.js');
    return { target: configuredUpstream(config) };
  }
  // Development default: the built-in simulator with a password made up for this process.
  const { seedOrdersAsOf, startSimulator } = await import('./simulator/index.js');
  const password = randomBytes(18).toString('base64url');
  // The demo orders' dates are moved to today: their certificates are current, not long expired.
  const simulator = await startSimulator({ loginName: 'demo', loginPassword: password, orders: seedOrdersAsOf(new Date()) });
  const credentials = { loginName: 'demo', loginPassword: new Secret(password) };
  logger.warn(
    { event: 'simulator', url: simulator.url },
    'No Sectigo credentials set: serving the built-in Sectigo simulator with seeded demo orders (never in production)',
  );
  return { target: { url: new URL(simulator.url), credentials }, simulator };
}

/**
 * A local `.env` (optional, development only) fills in variables the
 * environment does not already set; the real environment always wins.
 */
function loadDotEnv(): void {
  if (process.env['NODE_ENV'] === 'production') return;
  let text: string;
  try {
    text = readFileSync('.env', 'utf8');
  } catch {
    return;
  }
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (process.env[name] === undefined) process.env[name] = value;
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    loadDotEnv();
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const telemetry = await startTelemetry(process.env);
  const logger = createLogger(config.logLevel);
  // A promise nobody awaited is a bug of ours, but not one that should cost
  // every client the service (Node's default is to exit). Log it loudly.
  process.on('unhandledRejection', (reason) => {
    logger.error({ event: 'unhandled_rejection', err: reason }, 'a promise was rejected and nobody handled it; still serving');
  });
  const { target, simulator } = await resolveUpstream(config, logger);
  const { createSubgraph } = await import('./server.js');
  const subgraph = await createSubgraph({ config, upstream: target, logger, defaultMetrics: true });
  const address = await subgraph.listen(config.port, config.host);
  // The URL to open: a wildcard bind is reachable as localhost on this machine.
  const host = config.host === undefined || config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/graphql`;
  logger.info(
    { event: 'listening', url, port: address.port, address: address.address, tracing: telemetry.tracing, config: describeConfig(config) },
    config.landingPage
      ? `subgraph ready: open ${url} in a browser for Apollo Sandbox (loads from Apollo's CDN)`
      : `subgraph ready: POST ${url}`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'shutdown', signal }, 'draining in-flight requests');
    // The subgraph answers everyone within the grace (close() cuts upstream
    // waits short of it); this is the last resort if something still hangs.
    const force = setTimeout(() => {
      logger.error({ event: 'shutdown', graceMs: config.shutdownGraceMs }, 'drain took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 1_000);
    force.unref();
    subgraph
      .close()
      .then(() => simulator?.close())
      // Last: the spans of the drained requests are flushed too.
      .then(() => telemetry.shutdown())
      .then(() => {
        logger.info({ event: 'shutdown' }, 'stopped');
        logger.flush();
        process.exitCode = 0;
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
