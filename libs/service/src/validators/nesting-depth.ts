/** Deepest nesting of objects and arrays a request body may have; real bodies need a handful of levels. */
export const MAX_NESTING = 32;

/**
 * The top-level field (or `body`, for a body that is itself a deep list) under which `value` nests objects
 * and arrays more than `limit` levels deep, or undefined. Deeper bodies would exhaust the stack of the
 * recursive validation that follows; this walk is iterative, so it cannot.
 */
export function tooDeeplyNested(value: unknown, limit = MAX_NESTING): string | undefined {
  const pending: Array<{ value: unknown; depth: number; field: string }> = [{ value, depth: 0, field: '' }];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (typeof current.value !== 'object' || current.value === null) continue;
    const depth = current.depth + 1;
    if (depth > limit) return current.field || 'body';
    for (const [key, child] of Object.entries(current.value)) {
      const field = current.field || (Array.isArray(current.value) ? '' : key);
      pending.push({ value: child, depth, field });
    }
  }
  return undefined;
}
