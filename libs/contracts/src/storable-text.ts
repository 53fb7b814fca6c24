const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why PostgreSQL could not store `text` exactly as it is, or undefined when it can. Shared by the HTTP
 * boundary of every service and by the message schemas, so neither lets such text reach a database.
 */
export function storableTextProblem(text: string): string | undefined {
  // PostgreSQL text cannot hold U+0000: https://www.postgresql.org/docs/current/datatype-character.html
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  // UTF-8 has no encoding for half a surrogate pair: it would be stored as U+FFFD, so two different ids
  // could become one.
  if (loneSurrogate.test(text)) return 'must be well-formed Unicode text, without a lone surrogate';
  return undefined;
}
