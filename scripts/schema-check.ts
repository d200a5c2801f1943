/**
 * `npm run schema:check`: breaking changes of the current subgraph schema
 * against the published SDL, the one routers composed
 * (schema/published/order-status.graphql).
 *
 *   npm run schema:check                      diff, exit 1 on any BREAKING change
 *   npm run schema:check -- --update          rewrite the published file from the current schema
 *   npm run schema:check -- --published FILE  check against another published file
 *
 * Every change is printed, grouped BREAKING / DANGEROUS / NON_BREAKING;
 * dangerous ones pass. The logic lives in scripts/schema-diff.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PUBLISHED_SDL_PATH, checkSchema, currentSubgraphSdl, formatChanges, formatVerdict, publishedFileContents } from './schema-diff.js';

const USAGE = 'usage: schema-check [--update] [--published <path>]';

function display(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown.startsWith('..') ? path : shown;
}

async function main(): Promise<number> {
  let options: { update: boolean; published: string | undefined; help: boolean };
  try {
    const { values } = parseArgs({
      options: {
        update: { type: 'boolean', default: false },
        published: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    options = { update: values.update ?? false, published: values.published, help: values.help ?? false };
  } catch (error) {
    process.stderr.write(`schema:check: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const publishedPath = options.published === undefined ? PUBLISHED_SDL_PATH : resolve(options.published);
  const current = await currentSubgraphSdl();
  const exists = existsSync(publishedPath);

  if (options.update) {
    if (exists) {
      const result = await checkSchema(current, readFileSync(publishedPath, 'utf8'));
      process.stdout.write(`Changes being published:\n\n${formatChanges(result)}\n\n`);
    }
    mkdirSync(dirname(publishedPath), { recursive: true });
    writeFileSync(publishedPath, publishedFileContents(current));
    process.stdout.write(`schema:check: wrote ${display(publishedPath)} from the current schema; review and commit it.\n`);
    return 0;
  }

  if (!exists) {
    process.stdout.write(
      `schema:check FAILED: no published SDL at ${display(publishedPath)}.\n` +
        'Create it from the current schema with `npm run schema:check -- --update`, review it and commit it.\n',
    );
    return 1;
  }

  const result = await checkSchema(current, readFileSync(publishedPath, 'utf8'));
  process.stdout.write(`Current subgraph SDL against ${display(publishedPath)}:\n\n${formatChanges(result)}\n\n`);
  if (result.passed && !result.upToDate) {
    process.stdout.write(
      'The published SDL is not the current one. Once routers compose the new schema, update it: npm run schema:check -- --update\n',
    );
  }
  process.stdout.write(`${formatVerdict(result)}\n`);
  return result.passed ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stdout.write(`schema:check FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
