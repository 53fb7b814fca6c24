import { ChaosInfrastructure } from './chaos-infrastructure';
import { ChaosPlatform, PlatformShape } from './chaos-platform';
import { LoadOptions } from './order-load';

/** What a fault can reach while it runs. */
export interface FaultContext {
  infrastructure: ChaosInfrastructure;
  platform: ChaosPlatform;
  /** Prefix of the fault's SKUs and customer ids, to find its rows. */
  tag: string;
  /** Message ids of the poison the fault injected: the dead-letter rule expects exactly these. */
  poison: string[];
  /** Prints a progress line under the fault's name. */
  progress(message: string): void;
}

/**
 * One fault of the suite: how the platform must run for it, what to do mid-load and how to undo it. The runner
 * drives the load around it, measures from the end of `restore`, and applies the same pass rules to every fault.
 */
export interface Fault {
  name: string;
  /** One line for `--list`. */
  summary: string;
  /** Departures from the default platform (one replica each, vhost `/`, no extra variables). */
  shape?: Partial<PlatformShape>;
  load?: Partial<LoadOptions>;
  /** Puts the fault in place; resolves once it is. */
  inject(context: FaultContext): Promise<void>;
  /** How long the fault stays in place before `restore`. */
  holdMs?: number;
  /** Undoes the fault; always runs, also when `inject` failed. Its end is the fault's end. */
  restore?(context: FaultContext): Promise<void>;
  /** After the drain: why the fault did not take effect, or undefined if it did. */
  verify?(context: FaultContext): Promise<string | undefined>;
}
