/**
 * Values an attacker sends, for tests that fuzz every field of an API: bodies as raw JSON text (so numbers
 * beyond a double and lone surrogates survive), paths and queries as percent-encoded text.
 */

/** A value as it goes on the wire: raw JSON text for bodies, percent-encoded text for paths and queries. */
export interface Hostile {
  label: string;
  wire: string;
}

/** A value sent as the JSON text of `value`. */
export const json = (label: string, value: unknown): Hostile => ({ label, wire: JSON.stringify(value) });
/** A value sent as `wire`, exactly. */
export const raw = (label: string, wire: string): Hostile => ({ label, wire });
/** The field left out of the body. */
export const missing: Hostile = { label: 'missing', wire: '' };

/** What an attacker puts in a JSON string field. */
export const hostileStrings: Hostile[] = [
  json('NUL', '\u0000'),
  json('NUL inside', 'ab\u0000cd'),
  json('control characters', '\u0001\u0007\u001b[31m\u007f'),
  json('a newline and a tab', 'a\nb\tc'),
  json('a lone high surrogate', '\ud800'),
  json('a lone low surrogate inside', 'a\udc00b'),
  json('an emoji', 'order 😀'),
  json('right-to-left override', '\u202egnp.exe'),
  json('zero-width and combining characters', 'e\u0301\u200b'),
  json('SQL', "x' OR '1'='1'; DROP TABLE orders; --"),
  json('a path', '../../etc/passwd'),
  json('an empty string', ''),
  json('blanks', '   '),
  json('101 characters', 'c'.repeat(101)),
  json('10 000 characters', 'x'.repeat(10_000)),
  json('a number', 42),
  json('a boolean', true),
  json('null', null),
  json('an array', ['a']),
  json('an object', { $gt: '' }),
  json('__proto__', { __proto__: { admin: true } }),
  missing,
];

/** What an attacker puts in a JSON number field. */
export const hostileNumbers: Hostile[] = [
  raw('zero', '0'),
  raw('minus zero', '-0'),
  raw('negative', '-1'),
  raw('a fraction', '1.5'),
  raw('three decimals', '1.005'),
  raw('an exponent below a cent', '1e-7'),
  raw('an exponent', '1e3'),
  raw('2^31', '2147483648'),
  raw('2^53 + 1', '9007199254740993'),
  raw('beyond a double', '1e400'),
  raw('minus beyond a double', '-1e400'),
  raw('30 digits', '123456789012345678901234567890'),
  json('a numeric string', '5'),
  json('an empty string', ''),
  json('NUL', '\u0000'),
  json('null', null),
  json('a boolean', true),
  json('an array', [1]),
  json('an object', { value: 1 }),
  missing,
];

/** What an attacker puts in a path segment or a query value, already percent-encoded. */
export const hostileUrlText: Hostile[] = [
  raw('NUL', '%00'),
  raw('NUL inside', 'ab%00cd'),
  raw('control characters', '%01%07%1B%7F'),
  raw('invalid UTF-8', '%FF%FE'),
  raw('a UTF-8 encoded surrogate', '%ED%A0%80'),
  raw('a broken escape', '%E0%A4%A'),
  raw('a lone percent', '%'),
  raw('an emoji', encodeURIComponent('😀')),
  raw('right-to-left override', encodeURIComponent('\u202eexe')),
  raw('an encoded slash', 'a%2Fb'),
  raw('SQL', encodeURIComponent("1' OR '1'='1")),
  raw('blanks', '%20%20'),
  raw('a negative number', '-1'),
  raw('a huge number', '99999999999999999999'),
  raw('an exponent', '1e400'),
  raw('a fraction', '1.5'),
  raw('hexadecimal', '0x10'),
  raw('a UUID with a NUL', '3b241101-e2bb-4255-8caf-4136c566a96%00'),
  raw('an uppercase nil UUID', '00000000-0000-0000-0000-000000000000'),
  raw('a malformed UUID', '3b241101-e2bb-4255-8caf-4136c566a9zz'),
  raw('1000 characters', 'x'.repeat(1000)),
];

/** A query parameter given twice, as a list or as an object. */
export const hostileQueryShapes = (name: string): Hostile[] => [
  raw('given twice', `1&${name}=2`),
  raw('as a list', `&${name}[]=1`),
  raw('as an object', `&${name}[a]=1`),
];

/** The value a JSON wire text stands for; other text stands for itself. */
export function parsed(wire: string): unknown {
  try {
    return JSON.parse(wire);
  } catch {
    return wire;
  }
}

/** Places `wire` in a JSON body at the `__HOSTILE__` marker, or leaves that field out when `wire` is empty. */
export const bodyWith = (template: object, wire: string) =>
  wire === ''
    ? JSON.stringify(template, (_, value) => (value === '__HOSTILE__' ? undefined : value))
    : JSON.stringify(template).replace('"__HOSTILE__"', wire);

/** Whole request bodies that are not the JSON object an endpoint takes. */
export const hostileBodies: Array<{ label: string; text: string; contentType: string; encoding?: string }> = [
  { label: 'no body', text: '', contentType: 'application/json' },
  { label: 'JSON null', text: 'null', contentType: 'application/json' },
  { label: 'a JSON string', text: '"x"', contentType: 'application/json' },
  { label: 'a JSON number', text: '1', contentType: 'application/json' },
  { label: 'a JSON list', text: '[]', contentType: 'application/json' },
  { label: 'truncated JSON', text: '{"a": [', contentType: 'application/json' },
  { label: 'a duplicate key', text: '{"a": 1, "a": 2}', contentType: 'application/json' },
  { label: 'a byte-order mark', text: '\ufeff{}', contentType: 'application/json' },
  { label: 'form data', text: 'credit=1&name=x', contentType: 'application/x-www-form-urlencoded' },
  { label: 'plain text', text: '{}', contentType: 'text/plain' },
  { label: 'an unknown charset', text: '{}', contentType: 'application/json; charset=ebcdic' },
  { label: 'UTF-16', text: '{}', contentType: 'application/json; charset=utf-16' },
  { label: 'a gzip encoding that is not', text: '{}', contentType: 'application/json', encoding: 'gzip' },
];
