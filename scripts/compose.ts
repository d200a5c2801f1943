/**
 * Prints the composed supergraph SDL for inspection:
 *   npm run compose                          # starts this subgraph in-process (simulator upstream)
 *   SUBGRAPH_URL=http://host:4001/graphql npm run compose   # or reads a running one
 * The SDL comes from `_service { sdl }`, as a router or rover would read it.
 * Hints go to stderr; composition errors exit 1.
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logging.js';
import { configuredUpstream, createSubgraph } from '../src/server.js';
import { startSimulator } from '../src/simulator/index.js';

async function serviceSdl(url: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = (await response.json()) as { data?: { _service?: { sdl?: string } } };
  const sdl = body.data?._service?.sdl;
  if (sdl === undefined) throw new Error(`${url} did not answer _service { sdl }`);
  return sdl;
}

async function withLocalSubgraph<T>(use: (url: string) => Promise<T>): Promise<T> {
  const simulator = await startSimulator({ loginName: 'compose', loginPassword: 'compose-only' });
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    SECTIGO_API_URL: simulator.url,
    SECTIGO_LOGIN_NAME: 'compose',
    SECTIGO_LOGIN_PASSWORD: 'compose-only',
  });
  const subgraph = await createSubgraph({
    config,
    upstream: configuredUpstream(config),
    logger: createLogger('silent'),
  });
  const { port } = await subgraph.listen(0, '127.0.0.1');
  try {
    return await use(`http://127.0.0.1:${port}/graphql`);
  } finally {
    await subgraph.close();
    await simulator.close();
  }
}

const external = process.env['SUBGRAPH_URL'];
const sdl = external === undefined ? await withLocalSubgraph(serviceSdl) : await serviceSdl(external);
const result = composeServices([{ name: 'orders', typeDefs: parse(sdl), url: external ?? 'http://localhost:4001/graphql' }]);
for (const hint of result.hints ?? []) process.stderr.write(`hint: ${hint.toString()}\n`);
if (result.errors !== undefined) {
  for (const error of result.errors) process.stderr.write(`error: ${error.message}\n`);
  process.exit(1);
}
process.stdout.write(`${result.supergraphSdl}\n`);
