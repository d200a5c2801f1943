/** The end-of-run table: figure, value, target, pass/fail, and the committed baseline's value. */

export interface Row {
  /** Stable across runs: how baseline.json and later runs are matched. */
  readonly id: string;
  readonly figure: string;
  readonly value: string;
  /** Empty for a figure reported without a target. */
  readonly target: string;
  readonly status: 'pass' | 'FAIL' | 'info';
  /** The row's main number, for comparisons across runs. */
  readonly numeric?: number;
}

export function formatTable(rows: readonly Row[], baseline?: { mode: string; commit: string; rows: readonly Row[] }): string {
  const byId = new Map((baseline?.rows ?? []).map((row) => [row.id, row]));
  const baselineHeader = baseline === undefined ? undefined : `baseline (${baseline.mode}, ${baseline.commit})`;
  const header = ['figure', 'value', 'target', 'result', ...(baselineHeader === undefined ? [] : [baselineHeader])];
  const body = rows.map((row) => [
    row.figure,
    row.value,
    row.target === '' ? '-' : row.target,
    row.status,
    ...(baselineHeader === undefined ? [] : [byId.get(row.id)?.value ?? '-']),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
