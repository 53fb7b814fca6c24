/**
 * `npm run chaos`: the fault suite of the hardening issue. Runs every fault (or those named:
 * `npm run chaos -- kill-order poison`; `--list` names them) against the built services on a private RabbitMQ
 * node and PostgreSQL server, prints one line per fault, and exits non-zero if any fails. `--record` appends
 * the table to docs/reliability.md.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { allFaults } from './faults';
import { markdownReport, passed, tableHeader, tableLine } from './report';
import { runSuite } from './run-suite';

async function main(args: string[]): Promise<number> {
  const faults = allFaults();
  if (args.includes('--list')) {
    for (const fault of faults) console.log(`${fault.name.padEnd(30)} ${fault.summary}`);
    return 0;
  }
  const names = args.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((name) => !faults.some((fault) => fault.name === name));
  if (unknown.length > 0) {
    console.error(`unknown fault ${unknown.join(', ')}; npm run chaos -- --list names them`);
    return 2;
  }
  const selected = names.length > 0 ? faults.filter((fault) => names.includes(fault.name)) : faults;
  const started = Date.now();
  const lines: string[] = [];
  const results = await runSuite(
    selected,
    (line) => console.log(line),
    (result) => {
      lines.push(tableLine(result));
      console.log(`${tableHeader()}\n${tableLine(result)}\n`);
    },
  );
  const minutes = (Date.now() - started) / 60_000;
  console.log(`\n${tableHeader()}\n${lines.join('\n')}`);
  console.log(
    `\n${results.filter(passed).length} of ${results.length} faults pass (${minutes.toFixed(1)} min)`,
  );
  if (args.includes('--record')) {
    appendFileSync(
      join(__dirname, '..', '..', 'docs', 'reliability.md'),
      `\n${markdownReport(results, minutes)}`,
    );
    console.log('recorded in docs/reliability.md');
  }
  return results.every(passed) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
  },
);
