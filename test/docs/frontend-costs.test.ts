/**
 * docs/frontend.md's figures, checked against the running subgraph so the guide
 * cannot drift from the server:
 *
 * - the default limits it states are loadConfig's defaults;
 * - every row of its "Typical operations" table is sent over HTTP to a
 *   subgraph whose cost limit is 1, and must be refused with
 *   `extensions.cost` equal to the row's cost (the server's own price) and no
 *   upstream call;
 * - every row is sent again to a subgraph with the default limits: a row
 *   marked "yes" answers without errors, one upstream call per id; a row
 *   marked "no" is refused with the HTTP status and code it names, before any
 *   upstream call;
 * - the "When some orders fail" example is what the server answers.
 *
 * Neither subgraph overrides QUERY_MAX_COST or ORDERS_MAX_IDS except the
 * pricing probe; the cache and the upstream rate limit are off so each row
 * shows its own calls quickly. Neither changes what a query costs.
 */
import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSubgraphSchema, loadTypeDefs } from '../../src/graphql/schema.js';
import { startHarness, type Harness } from '../support/harness.js';

const DOC_PATH = new URL('../../docs/frontend.md', import.meta.url);
const DOC = readFileSync(DOC_PATH, 'utf8');

interface Row {
  readonly what: string;
  readonly operation: string;
  readonly ids: number;
  readonly cost: number;
  /** Undefined: the row fits under the default limits. */
  readonly refused: { readonly status: number; readonly code: string } | undefined;
}

/** The text of one `## heading` section, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/frontend.md has no "## ${heading}" section`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

function cells(line: string): string[] {
  const trimmed = line.trim();
  if (!trimmed.startsWith('|') || !trimmed.endsWith('|')) throw new Error(`not a table row: ${line}`);
  return trimmed
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim());
}

/** The table of "Typical operations", by its header names, so columns may be reordered. */
function typicalOperations(markdown: string): Row[] {
  const lines = section(markdown, 'Typical operations').split('\n');
  const headerAt = lines.findIndex((line) => line.trim().startsWith('|'));
  const header = cells(lines[headerAt] ?? '').map((name) => name.toLowerCase());
  const column = (name: string) => {
    const index = header.findIndex((cell) => cell.startsWith(name));
    if (index < 0) throw new Error(`the table has no "${name}" column: ${header.join(', ')}`);
    return index;
  };
  const at = { what: column('what'), operation: column('operation'), ids: column('ids'), cost: column('cost'), verdict: column('under') };
  const rows: Row[] = [];
  for (const line of lines.slice(headerAt + 2)) {
    if (!line.trim().startsWith('|')) break;
    const row = cells(line);
    if (row.length !== header.length) throw new Error(`row has ${row.length} cells, header ${header.length}: ${line}`);
    const cell = (index: number) => row[index] ?? '';
    const operation = /^`([^`]+)`$/.exec(cell(at.operation))?.[1];
    if (operation === undefined) throw new Error(`operation is not one code span: ${line}`);
    const ids = Number(cell(at.ids));
    const cost = Number(cell(at.cost));
    if (!Number.isSafeInteger(ids) || !Number.isSafeInteger(cost)) throw new Error(`ids and cost must be plain integers: ${line}`);
    const verdict = cell(at.verdict);
    let refused: Row['refused'];
    if (verdict !== 'yes') {
      const match = /^no: HTTP (\d{3}) `([A-Z_]+)`$/.exec(verdict);
      if (match?.[1] === undefined || match[2] === undefined)
        throw new Error(`verdict must be "yes" or "no: HTTP <status> \`CODE\`": ${line}`);
      refused = { status: Number(match[1]), code: match[2] };
    }
    rows.push({ what: cell(at.what), operation, ids, cost, refused });
  }
  return rows;
}

function statedDefault(markdown: string, setting: string): number {
  const match = new RegExp('`' + setting + '` \\(default \\*\\*(\\d+)\\*\\*\\)').exec(markdown);
  if (match?.[1] === undefined) throw new Error(`docs/frontend.md states no default for ${setting}`);
  return Number(match[1]);
}

/** The first fenced block of a language in a piece of markdown. */
function fenced(markdown: string, language: string): string {
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```').exec(markdown);
  if (match?.[1] === undefined) throw new Error(`no \`\`\`${language} block`);
  return match[1];
}

const ROWS = typicalOperations(DOC);
const MAX_COST = statedDefault(DOC, 'QUERY_MAX_COST');
const MAX_IDS = statedDefault(DOC, 'ORDERS_MAX_IDS');

/** The variables a row's operation declares, filled for its number of ids (synthetic simulator orders). */
function variablesFor(row: Row, firstId: number): Record<string, unknown> {
  const document = parse(row.operation);
  const operation = document.definitions[0];
  if (document.definitions.length !== 1 || operation?.kind !== Kind.OPERATION_DEFINITION)
    throw new Error(`one operation expected: ${row.operation}`);
  const ids = Array.from({ length: row.ids }, (_, i) => String(firstId + i));
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    switch (name) {
      case 'id':
        if (row.ids !== 1) throw new Error(`$id takes one id, the row says ${row.ids}: ${row.what}`);
        variables[name] = ids[0];
        break;
      case 'ids':
        variables[name] = ids;
        break;
      case 'reps':
        variables[name] = ids.map((orderNumber) => ({ __typename: 'Order', orderNumber }));
        break;
      default:
        throw new Error(`docs/frontend.md does not say what $${name} holds: ${row.what}`);
    }
  }
  return variables;
}

describe('docs/frontend.md', () => {
  it('states the limits loadConfig defaults to', () => {
    const defaults = loadConfig({});
    expect(MAX_COST).toBe(defaults.limits.maxCost);
    expect(MAX_IDS).toBe(defaults.maxOrdersPerQuery);
  });

  it('has a table of typical operations whose verdicts follow from its own figures', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(8);
    for (const row of ROWS) {
      const expected =
        row.ids > MAX_IDS
          ? { status: 400, code: 'BAD_USER_INPUT' }
          : row.cost > MAX_COST
            ? { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' }
            : undefined;
      expect(row.refused, row.what).toEqual(expected);
    }
    // The table shows each kind of refusal at least once, and things that fit.
    expect(new Set(ROWS.map((row) => row.refused?.code ?? 'fits'))).toEqual(
      new Set(['fits', 'BAD_USER_INPUT', 'COST_ESTIMATED_TOO_EXPENSIVE']),
    );
  });

  it('describes the list types the server has', () => {
    const query = createSubgraphSchema({ typeDefs: loadTypeDefs(), maxOrdersPerQuery: MAX_IDS }).getQueryType();
    expect(String(query?.getFields()['orders']?.type)).toBe('[Order]!');
  });
});

describe('each row costs what the table says, as the server prices it', () => {
  let probe: Harness;
  beforeAll(async () => {
    // Every operation is over a limit of 1, so the refusal reports its price; the id
    // limit is raised to its maximum so the 101-id rows are priced too.
    probe = await startHarness({ env: { QUERY_MAX_COST: '1', ORDERS_MAX_IDS: '1000', CACHE_TTL_MS: '0' } });
  });
  afterAll(() => probe.close());
  beforeEach(() => probe.simulator.resetCalls());

  for (const row of ROWS) {
    it(`${row.what} (${row.ids} ids): ${row.cost}`, async () => {
      const result = await probe.query(row.operation, variablesFor(row, 20_000_000));
      expect(result.status).toBe(400);
      expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: row.cost, maxCost: 1 });
      expect(probe.simulator.calls).toHaveLength(0);
    });
  }
});

describe('each row fits, or is refused, under the default limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { CACHE_TTL_MS: '0', UPSTREAM_RATE_LIMIT: '0' } });
  });
  afterAll(() => h.close());
  beforeEach(() => h.simulator.resetCalls());

  ROWS.forEach((row, index) => {
    const verdict = row.refused === undefined ? 'fits' : `is refused with ${row.refused.status} ${row.refused.code}`;
    it(`${row.what} (${row.ids} ids) ${verdict}`, async () => {
      // Distinct ids per row, so no row is served by another's in-flight call.
      const result = await h.query(row.operation, variablesFor(row, 20_000_000 + index * 1_000));
      if (row.refused === undefined) {
        expect(result.status).toBe(200);
        expect(result.body.errors).toBeUndefined();
        // An order weighs 10 because it is one upstream call, replacement orders included.
        expect(h.simulator.calls).toHaveLength(row.ids);
      } else {
        expect(result.status).toBe(row.refused.status);
        expect(result.body.data).toBeUndefined();
        expect(result.body.errors).toHaveLength(1);
        expect(result.body.errors?.[0]?.extensions?.['code']).toBe(row.refused.code);
        if (row.refused.code === 'COST_ESTIMATED_TOO_EXPENSIVE') {
          expect(result.body.errors?.[0]?.extensions).toMatchObject({ cost: row.cost, maxCost: MAX_COST });
        }
        expect(h.simulator.calls).toHaveLength(0);
      }
    });
  });

  it('answers the "When some orders fail" example as shown', async () => {
    const example = section(DOC, 'When some orders fail');
    const result = await h.query(fenced(example, 'graphql'));
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject(JSON.parse(fenced(example, 'json')) as Record<string, unknown>);
  });
});
