/**
 * The logic behind `npm run schema:check` (scripts/schema-check.ts), kept
 * free of process and file handling so tests can call it directly.
 *
 * The "published SDL" is the subgraph's `{ _service { sdl } }` answer, the
 * document a router or rover composes. Both sides of a check are in that
 * form: the current one is produced by the service's own schema builder, the
 * published one was written by `schema:check --update`. It is self-contained
 * (federation's directive definitions, `_Any`, `_Entity`, `_Service` are all
 * printed), so graphql-js builds it as is and @graphql-inspector/core diffs
 * the two; identical input gives no change at all.
 */
import { fileURLToPath } from 'node:url';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildASTSchema, graphql, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { createSubgraphSchema, loadTypeDefs } from '../src/graphql/schema.js';

/** Where the published SDL is committed. */
export const PUBLISHED_SDL_PATH = fileURLToPath(new URL('../schema/published/order-status.graphql', import.meta.url));

/** The comment at the top of the published file; the SDL follows it unchanged. */
export const PUBLISHED_HEADER = [
  '# Published SDL of the order-status subgraph: what routers composed, exactly',
  '# as the subgraph answers `{ _service { sdl } }`. Do not edit by hand.',
  '#',
  '# `npm run schema:check` (CI runs it) fails on any breaking change of the',
  '# current schema against this file. After a reviewed change, update it',
  '# deliberately with `npm run schema:check -- --update` and commit it with',
  '# the change.',
].join('\n');

export type Level = 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';

export const LEVELS: readonly Level[] = ['BREAKING', 'DANGEROUS', 'NON_BREAKING'];

export interface SchemaChange {
  readonly level: Level;
  /** inspector's change type, e.g. `FIELD_REMOVED`. */
  readonly type: string;
  readonly message: string;
  /** Schema coordinate, e.g. `Order.status`; absent for schema-level changes. */
  readonly path: string | undefined;
  /** Why it is breaking or dangerous, when known. */
  readonly reason: string | undefined;
}

export interface SchemaCheckResult {
  /** Every change from the published SDL to the current one, in inspector's order. */
  readonly changes: readonly SchemaChange[];
  readonly breaking: readonly SchemaChange[];
  readonly dangerous: readonly SchemaChange[];
  readonly nonBreaking: readonly SchemaChange[];
  /** False when any change is breaking: the check fails. Dangerous changes pass. */
  readonly passed: boolean;
  /** The published SDL is exactly the current one (header comment aside). */
  readonly upToDate: boolean;
}

/** The SDL the running service answers `{ _service { sdl } }` with. */
export async function currentSubgraphSdl(typeDefs: DocumentNode = loadTypeDefs()): Promise<string> {
  // The same builder as the server; maxOrdersPerQuery only affects resolvers.
  const schema = createSubgraphSchema({ typeDefs, maxOrdersPerQuery: 100 });
  const result = await graphql({ schema, source: '{ _service { sdl } }' });
  const sdl = (result.data?.['_service'] as { sdl?: unknown } | null | undefined)?.sdl;
  if (result.errors !== undefined || typeof sdl !== 'string') {
    throw new Error(`_service { sdl } failed: ${result.errors?.map((error) => error.message).join('; ') ?? 'no sdl'}`);
  }
  return sdl;
}

/** The published file's contents for an SDL: the header comment, then the SDL. */
export function publishedFileContents(sdl: string): string {
  return `${PUBLISHED_HEADER}\n\n${sdl.trim()}\n`;
}

/** The SDL of a published file: its leading comment lines and blank lines removed. */
export function publishedSdlOf(fileContents: string): string {
  const lines = fileContents.split(/\r?\n/);
  let start = 0;
  while (start < lines.length && /^\s*(#.*)?$/.test(lines[start] ?? '')) start += 1;
  return lines.slice(start).join('\n').trim();
}

function buildSchema(sdl: string, which: string): GraphQLSchema {
  let document: DocumentNode;
  try {
    document = parse(sdl);
  } catch (error) {
    throw new Error(`the ${which} SDL does not parse: ${(error as Error).message}`);
  }
  // Validation is for resolvers' sake; the SDL is federation's print and is
  // diffed, not executed. Skipping it also lets a hand-trimmed published file
  // without federation's definitions still build.
  return buildASTSchema(document, { assumeValidSDL: true });
}

const KEY_DIRECTIVES = new Set(['key', 'federation__key']);

/**
 * inspector knows GraphQL, not federation: it calls a removed or changed
 * `@key` "dangerous". For a router it is breaking: query plans that fetch the
 * entity by that key from this subgraph stop working.
 */
function federationLevel(change: Change): { level: Level; reason: string } | undefined {
  const meta = change.meta as Record<string, unknown>;
  const reason = 'Federation: routers fetch this entity from the subgraph by that key; removing or changing it breaks their query plans.';
  switch (change.type) {
    case 'DIRECTIVE_USAGE_OBJECT_REMOVED':
    case 'DIRECTIVE_USAGE_INTERFACE_REMOVED':
      if (KEY_DIRECTIVES.has(String(meta['removedDirectiveName']))) return { level: 'BREAKING', reason };
      return undefined;
    case 'DIRECTIVE_USAGE_ARGUMENT_REMOVED':
      // A changed `fields` shows as removed (old value) plus added (new value).
      if (KEY_DIRECTIVES.has(String(meta['directiveName'])) && meta['removedArgumentName'] === 'fields') {
        return { level: 'BREAKING', reason };
      }
      return undefined;
    default:
      return undefined;
  }
}

function toLevel(level: CriticalityLevel): Level {
  switch (level) {
    case CriticalityLevel.Breaking:
      return 'BREAKING';
    case CriticalityLevel.Dangerous:
      return 'DANGEROUS';
    case CriticalityLevel.NonBreaking:
      return 'NON_BREAKING';
  }
}

const SEVERITY: Record<Level, number> = { BREAKING: 2, DANGEROUS: 1, NON_BREAKING: 0 };

/**
 * inspector reports a changed argument value of an applied directive (the
 * `@link` url of a federation upgrade, a `@key`'s fields) as the argument
 * removed plus the argument added. Report it as one change, as severe as the
 * worse of the two.
 */
function mergeArgumentChanges(changes: readonly (SchemaChange & { meta: Record<string, unknown> })[]): SchemaChange[] {
  const removed = new Map<string, SchemaChange>();
  const changed = new Map<string, SchemaChange>();
  for (const change of changes) {
    if (change.type === 'DIRECTIVE_USAGE_ARGUMENT_REMOVED' && change.path !== undefined) removed.set(change.path, change);
  }
  for (const change of changes) {
    const before = change.path === undefined ? undefined : removed.get(change.path);
    const oldValue = change.meta['oldArgumentValue'];
    if (change.type !== 'DIRECTIVE_USAGE_ARGUMENT_ADDED' || before === undefined || oldValue === null || oldValue === undefined) continue;
    const worse = SEVERITY[before.level] >= SEVERITY[change.level] ? before : change;
    const on = change.meta['parentTypeName'] === null ? 'the schema' : `'${text(change.meta['parentTypeName'])}'`;
    changed.set(change.path ?? '', {
      level: worse.level,
      type: 'DIRECTIVE_USAGE_ARGUMENT_CHANGED',
      message: `Argument '${text(change.meta['addedArgumentName'])}' of '@${text(change.meta['directiveName'])}' on ${on} changed from ${text(oldValue)} to ${text(change.meta['addedArgumentValue'])}`,
      path: change.path,
      reason: worse.reason,
    });
  }
  const out: SchemaChange[] = [];
  for (const { meta: _meta, ...change } of changes) {
    const merged = change.path === undefined ? undefined : changed.get(change.path);
    if (merged === undefined) out.push(change);
    else if (change.type === 'DIRECTIVE_USAGE_ARGUMENT_REMOVED') out.push(merged);
    // The matching DIRECTIVE_USAGE_ARGUMENT_ADDED is part of the merged change.
    else if (change.type !== 'DIRECTIVE_USAGE_ARGUMENT_ADDED') out.push(change);
  }
  return out;
}

/**
 * Compares the current SDL with the published one. Both are SDL strings in
 * `_service { sdl }` form (a published file's header comment is harmless).
 */
export async function checkSchema(currentSdl: string, publishedSdl: string): Promise<SchemaCheckResult> {
  const published = buildSchema(publishedSdl, 'published');
  const current = buildSchema(currentSdl, 'current');
  const changes = mergeArgumentChanges(
    (await diff(published, current)).map((change) => {
      const federation = federationLevel(change);
      return {
        level: federation?.level ?? toLevel(change.criticality.level),
        type: String(change.type),
        message: change.message,
        path: change.path,
        reason: federation?.reason ?? change.criticality.reason,
        meta: change.meta as Record<string, unknown>,
      };
    }),
  );
  const of = (level: Level) => changes.filter((change) => change.level === level);
  const breaking = of('BREAKING');
  return {
    changes,
    breaking,
    dangerous: of('DANGEROUS'),
    nonBreaking: of('NON_BREAKING'),
    passed: breaking.length === 0,
    upToDate: publishedSdlOf(publishedSdl) === currentSdl.trim(),
  };
}

/** The changes grouped by criticality, one per line, without the verdict line. */
export function formatChanges(result: SchemaCheckResult): string {
  if (result.changes.length === 0) return 'No changes against the published SDL.';
  const groups: string[] = [];
  for (const level of LEVELS) {
    const changes = result.changes.filter((change) => change.level === level);
    if (changes.length === 0) continue;
    const lines = [`${level} (${changes.length})`];
    for (const change of changes) {
      lines.push(`  ${level}  ${change.message}${change.path === undefined ? '' : `  [${change.path}]`}`);
      if (change.reason !== undefined && change.reason !== change.message && level !== 'NON_BREAKING') lines.push(`      ${change.reason}`);
    }
    groups.push(lines.join('\n'));
  }
  return groups.join('\n\n');
}

/** The one final line of a check. */
export function formatVerdict(result: SchemaCheckResult): string {
  const counts = `${result.breaking.length} breaking, ${result.dangerous.length} dangerous, ${result.nonBreaking.length} non-breaking`;
  if (!result.passed) {
    return `schema:check FAILED: ${result.breaking.length} breaking change(s) against the published SDL (${counts}).`;
  }
  return `schema:check passed: no breaking changes against the published SDL (${counts}).`;
}

/** A change's meta value as the message shows it. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
