/**
 * The error tables people read are the tables the code uses: README's
 * "Errors" section lists exactly ErrorCode (src/errors.ts), and
 * docs/errors.md lists exactly SECTIGO_ERROR_CODES, each with the
 * `extensions.code` codeFor() gives it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { codeFor } from '../../src/graphql/errors.js';
import { SECTIGO_ERROR_CODES, SectigoError, type SectigoErrorCode } from '../../src/sectigo/errors.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The text of one `## heading` section, up to the next `## `. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no "## ${heading}" section`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** Table rows as cells, the header and separator rows left out. */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[-| ]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

/** Every `CODE` in a cell, backquotes removed. */
const codesIn = (cell: string | undefined) => [...(cell ?? '').matchAll(/`([A-Z_]+)`/g)].map((m) => m[1] as string);

describe('README "Errors"', () => {
  it('lists every extensions.code of the ErrorCode table, and no other', () => {
    const rows = tableRows(section(read('README.md'), 'Errors'));
    // The first table names the code first; the second one after the HTTP status.
    const listed = rows.flatMap((cells) => codesIn(cells[0]).concat(/^[0-9]/.test(cells[0] ?? '') ? codesIn(cells[1]) : []));
    expect(new Set(listed)).toEqual(new Set(Object.values(ErrorCode)));
  });
});

describe('docs/errors.md', () => {
  const rows = tableRows(read('docs/errors.md')).filter((cells) => cells[0]?.startsWith('`SECTIGO_'));

  it('lists every upstreamCode of SECTIGO_ERROR_CODES, and no other', () => {
    expect(rows.map((cells) => codesIn(cells[0])[0]).sort()).toEqual(Object.keys(SECTIGO_ERROR_CODES).sort());
  });

  it.each(Object.keys(SECTIGO_ERROR_CODES) as SectigoErrorCode[])('gives %s the extensions.code the server sends', (upstreamCode) => {
    const variants =
      upstreamCode === 'SECTIGO_HTTP_STATUS'
        ? [new SectigoError(upstreamCode, 'x', { httpStatus: 503 }), new SectigoError(upstreamCode, 'x', { httpStatus: 404 })]
        : upstreamCode === 'SECTIGO_INVALID_ARGUMENT'
          ? [
              new SectigoError(upstreamCode, 'x', { argument: 'orderNumber' }),
              new SectigoError(upstreamCode, 'x', { argument: 'queryType' }),
            ]
          : [new SectigoError(upstreamCode, 'x')];
    const row = rows.find((cells) => codesIn(cells[0])[0] === upstreamCode);
    expect(new Set(codesIn(row?.[1]))).toEqual(new Set(variants.map(codeFor)));
  });
});
