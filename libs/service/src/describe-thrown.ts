/** Longest description of a thrown value that goes into a log line. */
const MAX_LENGTH = 1000;

/**
 * A one-line description of anything code may throw or reject with: an Error, but also undefined, a string,
 * a plain object or an object without a prototype. Never throws itself, so reporting a failure cannot fail
 * and hide it.
 */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`.slice(0, MAX_LENGTH);
    if (typeof thrown === 'string') return `the string ${JSON.stringify(thrown)}`.slice(0, MAX_LENGTH);
    if (thrown === null || thrown === undefined || typeof thrown === 'symbol') return String(thrown);
    if (typeof thrown !== 'object') return `the ${typeof thrown} ${String(thrown)}`;
    const kind = Array.isArray(thrown) ? 'an array' : 'an object';
    return `${kind} ${JSON.stringify(thrown)}`.slice(0, MAX_LENGTH);
  } catch {
    return `an object that cannot be shown (${Object.prototype.toString.call(thrown)})`;
  }
}

/** The stack of a thrown Error, if it is one. */
export function stackOf(thrown: unknown): string | undefined {
  try {
    return thrown instanceof Error ? thrown.stack : undefined;
  } catch {
    return undefined;
  }
}
