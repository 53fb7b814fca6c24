import { Injectable, Logger } from '@nestjs/common';
import { CrashPoint, ServiceConfig, TestFaults } from '@platform/config';

/**
 * The points where a crash could lose or double a message, for fault tests: when TEST_CRASH_POINT names
 * one, the process SIGKILLs itself the TEST_CRASH_AFTER-th time it gets there. Does nothing otherwise.
 */
@Injectable()
export class CrashPoints {
  private readonly faults: TestFaults;
  private reached = 0;

  constructor(config: ServiceConfig) {
    this.faults = config.testFaults;
    if (this.faults.crashPoint) {
      new Logger(CrashPoints.name).warn(
        `TEST_CRASH_POINT=${this.faults.crashPoint}: this process will kill itself there (time ${this.faults.crashAfter})`,
      );
    }
  }

  reach(point: CrashPoint): void {
    if (this.faults.crashPoint !== point) return;
    this.reached += 1;
    if (this.reached < this.faults.crashAfter) return;
    process.stderr.write(`TEST_CRASH_POINT ${point} reached: killing the process\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
