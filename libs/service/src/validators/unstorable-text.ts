import { storableTextProblem } from '@platform/contracts';

/** Why a piece of text cannot be stored as it was sent. */
export interface UnstorableText {
  /** Where it is, in the words of validation messages: `customerId`, `items.0.sku`. */
  readonly path: string;
  readonly problem: string;
}

/**
 * The first string in `value` (a parsed body, query or path parameters, at any depth, keys included) that
 * PostgreSQL cannot store exactly as sent, or undefined if there is none. `path` names `value` itself;
 * `whole` names it where it has no name (a body, a query). Walks without recursion, so a deeply nested
 * body cannot exhaust the stack.
 */
export function findUnstorableText(value: unknown, path = '', whole = 'body'): UnstorableText | undefined {
  const pending: Array<{ value: unknown; path: string }> = [{ value, path }];
  while (pending.length > 0) {
    const { value: current, path: at } = pending.pop()!;
    if (typeof current === 'string') {
      const problem = storableTextProblem(current);
      if (problem) return { path: at || whole, problem };
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, child] = entries[index];
        const childPath = at ? `${at}.${key}` : key;
        const keyProblem = storableTextProblem(key);
        if (keyProblem) return { path: at || whole, problem: `property names ${keyProblem}` };
        pending.push({ value: child, path: childPath });
      }
    }
  }
  return undefined;
}
