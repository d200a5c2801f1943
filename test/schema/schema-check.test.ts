/**
 * `npm run schema:check`: the current subgraph SDL against the committed
 * published SDL (schema/published/order-status.graphql), the document routers
 * composed. The first test is the one that keeps the committed file current:
 * a breaking schema change fails here until it is published deliberately.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print, visit, type ASTVisitor } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PUBLISHED_SDL_PATH,
  checkSchema,
  currentSubgraphSdl,
  formatChanges,
  formatVerdict,
  publishedFileContents,
  type SchemaChange,
} from '../../scripts/schema-diff.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../scripts/schema-check.ts', import.meta.url));

let current: string;
let published: string;

beforeAll(async () => {
  current = await currentSubgraphSdl();
  published = readFileSync(PUBLISHED_SDL_PATH, 'utf8');
});

/** The SDL with an AST edit applied. */
function edit(sdl: string, visitor: ASTVisitor): string {
  return print(visit(parse(sdl), visitor));
}

/** The SDL without `type.field`. */
function withoutField(sdl: string, type: string, field: string): string {
  let found = false;
  const out = edit(sdl, {
    ObjectTypeDefinition(node) {
      if (node.name.value !== type) return undefined;
      const fields = node.fields?.filter((candidate) => candidate.name.value !== field);
      found = fields?.length !== node.fields?.length;
      return { ...node, fields };
    },
  });
  expect(found, `${type}.${field} is in the schema`).toBe(true);
  return out;
}

/** The SDL with `extra: String` added to `type`. */
function withOptionalField(sdl: string, type: string, field: string): string {
  return edit(sdl, {
    ObjectTypeDefinition(node) {
      if (node.name.value !== type) return undefined;
      return {
        ...node,
        fields: [
          ...(node.fields ?? []),
          {
            kind: Kind.FIELD_DEFINITION,
            name: { kind: Kind.NAME, value: field },
            description: { kind: Kind.STRING, value: 'A field added later.', block: false },
            type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } },
          },
        ],
      };
    },
  });
}

/** The SDL with `Query.order(orderNumber:)` nullable (`ID`) instead of `ID!`. */
function withNullableOrderNumber(sdl: string): string {
  return edit(sdl, {
    FieldDefinition(node) {
      if (node.name.value !== 'order') return undefined;
      return {
        ...node,
        arguments: node.arguments?.map((argument) =>
          argument.name.value === 'orderNumber' && argument.type.kind === Kind.NON_NULL_TYPE
            ? { ...argument, type: argument.type.type }
            : argument,
        ),
      };
    },
  });
}

function summary(changes: readonly SchemaChange[]): string[] {
  return changes.map((change) => `${change.level} ${change.type} ${change.path ?? ''}`);
}

describe('schema:check logic', () => {
  it('finds no breaking change of the current schema against the committed published SDL', async () => {
    const result = await checkSchema(current, published);
    expect(summary(result.breaking), formatChanges(result)).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('publishes exactly what _service { sdl } returns, under a header comment', async () => {
    const result = await checkSchema(current, publishedFileContents(current));
    expect(result.changes).toEqual([]);
    expect(result.upToDate).toBe(true);
    expect(publishedFileContents(current)).toMatch(/^# .*what routers composed/);
    expect(publishedFileContents(current)).toContain(`\n\n${current.trim()}\n`);
  });

  it('reports a removed field (Order.status) as BREAKING and fails', async () => {
    const result = await checkSchema(withoutField(current, 'Order', 'status'), current);
    expect(summary(result.breaking)).toEqual(['BREAKING FIELD_REMOVED Order.status']);
    expect(result.passed).toBe(false);
    expect(formatChanges(result)).toMatch(
      /^BREAKING \(1\)\n {2}BREAKING {2}Field 'status' was removed from object type 'Order' {2}\[Order\.status\]/,
    );
    expect(formatVerdict(result)).toMatch(/^schema:check FAILED: 1 breaking change/);
  });

  it('reports a nullable argument made required as BREAKING', async () => {
    // Published with `order(orderNumber: ID)`, now `ID!`: callers that omit it break.
    const result = await checkSchema(current, withNullableOrderNumber(current));
    expect(summary(result.breaking)).toEqual(['BREAKING FIELD_ARGUMENT_TYPE_CHANGED Query.order.orderNumber']);
    expect(result.breaking[0]?.message).toBe("Type for argument 'orderNumber' on field 'Query.order' changed from 'ID' to 'ID!'");
    expect(result.passed).toBe(false);
  });

  it("reports a field's changed type as BREAKING", async () => {
    const changed = edit(current, {
      FieldDefinition(node) {
        if (node.name.value !== 'logoHostedByCA') return undefined;
        return { ...node, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } } };
      },
    });
    const result = await checkSchema(changed, current);
    expect(summary(result.breaking)).toEqual(['BREAKING FIELD_TYPE_CHANGED Trademark.logoHostedByCA']);
    expect(result.passed).toBe(false);
  });

  it('reports a new optional field as NON_BREAKING and passes', async () => {
    const result = await checkSchema(withOptionalField(current, 'Order', 'placedBy'), current);
    // inspector also reports the new field's description as added.
    expect(summary(result.changes)).toEqual([
      'NON_BREAKING FIELD_ADDED Order.placedBy',
      'NON_BREAKING FIELD_DESCRIPTION_ADDED Order.placedBy',
    ]);
    expect(result.passed).toBe(true);
    expect(result.upToDate).toBe(false);
    expect(formatVerdict(result)).toMatch(/^schema:check passed: no breaking changes .*0 breaking, 0 dangerous, 2 non-breaking/);
  });

  it('prints dangerous changes but passes', async () => {
    const result = await checkSchema(current.replace(/^ {2}PROSPECT$/m, '  PROSPECT\n\n  RESELLER'), current);
    expect(summary(result.changes)).toEqual(['DANGEROUS ENUM_VALUE_ADDED HackerGuardianAccountType.RESELLER']);
    expect(result.passed).toBe(true);
    expect(formatChanges(result)).toMatch(/^DANGEROUS \(1\)\n {2}DANGEROUS {2}Enum value 'RESELLER' was added/);
  });

  it('treats a removed or changed entity @key as BREAKING (inspector alone calls it dangerous)', async () => {
    const key = '@key(fields: "orderNumber")';
    expect(current.split(key)).toHaveLength(2);
    const keyOf = (fields: string | undefined): string => current.replace(key, fields === undefined ? '' : `@key(fields: "${fields}")`);
    const changed = await checkSchema(keyOf('orderedAt'), current);
    // inspector's "argument removed" plus "argument added" pair, reported as one change.
    expect(summary(changed.changes)).toEqual(['BREAKING DIRECTIVE_USAGE_ARGUMENT_CHANGED Order.@key.fields']);
    expect(changed.breaking[0]?.message).toBe(`Argument 'fields' of '@key' on 'Order' changed from "orderNumber" to "orderedAt"`);
    const removed = await checkSchema(keyOf(undefined), current);
    expect(removed.breaking.map((change) => change.path)).toContain('Order.@key');
    expect(removed.passed).toBe(false);
  });
});

describe('npm run schema:check (the script)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'schema-check-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
      });
    });
  }

  it('exits 1 with a BREAKING line against a published SDL the current schema breaks', async () => {
    // Published with a field the current schema no longer has.
    const path = join(dir, 'broken.graphql');
    writeFileSync(path, publishedFileContents(withOptionalField(current, 'Order', 'legacyCode')));
    const { code, stdout, stderr } = await run('--published', path);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^ {2}BREAKING {2}Field 'legacyCode' was removed from object type 'Order' {2}\[Order\.legacyCode\]$/m);
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^schema:check FAILED: 1 breaking change/);
  }, 30_000);

  it('exits 0 against the committed published SDL', async () => {
    const { code, stdout } = await run();
    expect(code, stdout).toBe(0);
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^schema:check passed: no breaking changes/);
  }, 30_000);

  it('exits 1 with how to create it when the published file is missing', async () => {
    const { code, stdout } = await run('--published', join(dir, 'missing.graphql'));
    expect(code).toBe(1);
    expect(stdout).toContain('no published SDL at');
    expect(stdout).toContain('npm run schema:check -- --update');
  }, 30_000);

  it('--update writes the published file from the current schema', async () => {
    const path = join(dir, 'nested', 'updated.graphql');
    const { code } = await run('--update', '--published', path);
    expect(code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(publishedFileContents(current));
  }, 30_000);
});
