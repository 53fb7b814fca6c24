import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { destroyInfrastructure, startInfrastructure } from './chaos-infrastructure';
import { Fault } from './fault';
import { FaultResult, runFault, SuiteState } from './run-fault';

/** Where a run leaves its service logs. */
export function runDirectory(): string {
  const directory = join(tmpdir(), `chaos-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(directory, { recursive: true });
  return directory;
}

/**
 * Runs faults one after another on one private broker, database and mail catcher, and tears all of it down
 * however the run ends. `onResult` sees each fault's result as soon as it is judged.
 */
export async function runSuite(
  faults: Fault[],
  print: (line: string) => void,
  onResult: (result: FaultResult) => void = () => undefined,
): Promise<FaultResult[]> {
  const logs = runDirectory();
  print(`starting a private RabbitMQ node, PostgreSQL server and mail catcher (service logs in ${logs})`);
  const infrastructure = await startInfrastructure(logs);
  const state: SuiteState = { infrastructure, runId: randomBytes(2).toString('hex'), reusable: false };
  const results: FaultResult[] = [];
  try {
    for (const [index, fault] of faults.entries()) {
      print(`${fault.name}: ${fault.summary}`);
      const result = await runFault(fault, state, index, print);
      results.push(result);
      onResult(result);
    }
  } finally {
    await state.platform?.stop();
    await destroyInfrastructure(infrastructure);
  }
  return results;
}
