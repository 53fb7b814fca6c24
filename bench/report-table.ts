/** The benchmark's result table: rows grouped by section, rendered as aligned Markdown. */

/** One measured figure, with the target or ratio it is read against. */
export interface ResultRow {
  section: string;
  measure: string;
  value: string;
  target?: string;
}

/** A Markdown table of `rows`, columns padded so it reads as well in a terminal as rendered. */
export function markdownTable(rows: readonly ResultRow[]): string {
  const header = ['section', 'measure', 'value', 'ratio / target'];
  const cells = rows.map((row) => [row.section, row.measure, row.value, row.target ?? '']);
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...cells.map((line) => line[column].length)),
  );
  const line = (values: string[]) =>
    `| ${values.map((value, column) => value.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}
