import { cpus, totalmem } from 'node:os';
import { FaultResult } from './run-fault';

const columns = [
  'fault',
  'accepted',
  'lost',
  'charged twice',
  'notified twice',
  'stuck',
  'recover s',
  'result',
];
const widths = [30, 8, 5, 13, 14, 5, 9, 6];

const recovery = (result: FaultResult) =>
  result.verdict.recoverSeconds === undefined ? 'never' : result.verdict.recoverSeconds.toFixed(1);

const cells = ({ fault, verdict }: FaultResult, passed: string, failed: string): string[] => [
  fault,
  String(verdict.accepted),
  String(verdict.lost),
  String(verdict.chargedTwice),
  String(verdict.notifiedTwice),
  String(verdict.stuck),
  recovery({ fault, verdict, seconds: 0 }),
  verdict.failures.length === 0 ? passed : failed,
];

export const passed = (result: FaultResult) => result.verdict.failures.length === 0;

/** The header of the terminal table. */
export function tableHeader(): string {
  return columns.map((column, index) => column.padEnd(widths[index])).join('  ');
}

/** One fault as one line: the counts, then pass or FAIL with the rules that failed. */
export function tableLine(result: FaultResult): string {
  const line = cells(result, 'pass', 'FAIL')
    .map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index])))
    .join('  ');
  const failures = passed(result) ? line : `${line}  ${result.verdict.failures.join(' | ')}`;
  return [failures, ...result.verdict.notes.map((note) => `${' '.repeat(widths[0] + 2)}note: ${note}`)].join(
    '\n',
  );
}

/** The run as a Markdown section for docs/reliability.md: date, machine, table, then the failed rules. */
export function markdownReport(results: FaultResult[], minutes: number): string {
  const cpu = cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const rows = results.map((result) => `| ${cells(result, 'pass', '**FAIL**').join(' | ')} |`);
  const details = results
    .filter((result) => !passed(result) || result.verdict.notes.length > 0)
    .flatMap((result) => [
      `- **${result.fault}**: ${[...result.verdict.failures, ...result.verdict.notes].join('; ')}`,
    ]);
  return [
    `### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine}`,
    '',
    `${results.filter(passed).length} of ${results.length} faults pass; the run took ${minutes.toFixed(1)} minutes.`,
    '',
    `| ${columns.join(' | ')} |`,
    `| ${columns.map((_, index) => (index === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows,
    '',
    ...details,
    '',
  ].join('\n');
}
