import { describeThrown } from './describe-thrown';

/**
 * Stands for a value that was thrown but is not an Error (undefined, a string, a plain object), so that
 * tracing, filters and logs downstream see an Error with a message and a stack, and what was thrown.
 */
export class NonErrorThrown extends Error {
  constructor(readonly thrown: unknown) {
    super(`${describeThrown(thrown)} was thrown instead of an Error`);
    this.name = 'NonErrorThrown';
  }

  /** `thrown` itself when it is an Error, else a NonErrorThrown standing for it. */
  static wrap(thrown: unknown): Error {
    return thrown instanceof Error ? thrown : new NonErrorThrown(thrown);
  }
}
