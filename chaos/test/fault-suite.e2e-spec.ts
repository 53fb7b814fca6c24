import { FaultResult } from '../run-fault';
import { runSuite } from '../run-suite';
import { killService } from '../faults/process-faults';
import { deliveredThreeTimes, poison } from '../faults/message-faults';

/**
 * A representative part of `npm run chaos` in `npm test`: a crash of one service, poison in every work queue
 * and every message delivered three times, each under load on a private broker and database, judged by the
 * same pass rules as the full suite.
 */
describe('the fault suite', () => {
  const results = new Map<string, FaultResult>();
  const progress: string[] = [];

  beforeAll(async () => {
    const faults = [killService('payment'), poison(), deliveredThreeTimes()];
    for (const result of await runSuite(faults, (line) => progress.push(line)))
      results.set(result.fault, result);
  }, 600_000);

  const verdictOf = (fault: string) => {
    const result = results.get(fault);
    if (!result) throw new Error(`${fault} did not run:\n${progress.join('\n')}`);
    return result.verdict;
  };

  describe('when payment-service is killed with SIGKILL mid-load', () => {
    it('ends every accepted order, charges and notifies each once and conserves stock', () => {
      const verdict = verdictOf('kill-payment');
      expect(verdict.accepted).toBeGreaterThan(0);
      expect(verdict.failures).toEqual([]);
    });
  });

  describe('when malformed, wrong-schema, unknown and oversized messages reach every work queue', () => {
    it('parks exactly those in the dead-letter queues and loses nothing else', () => {
      const verdict = verdictOf('poison');
      expect(verdict.accepted).toBeGreaterThan(0);
      expect(verdict.failures).toEqual([]);
    });
  });

  describe('when every event and command is delivered three times', () => {
    it('has each effect once: no double charge, notification or stock movement', () => {
      const verdict = verdictOf('duplicates-x3');
      expect(verdict.accepted).toBeGreaterThan(0);
      expect(verdict.failures).toEqual([]);
    });
  });
});
