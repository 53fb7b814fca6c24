import { storableTextProblem } from './storable-text';

describe('text a database can store exactly', () => {
  it.each([
    ['plain text', 'alice-42'],
    ['an emoji (a surrogate pair)', 'tea 😀'],
    ['right-to-left, combining and control characters', '\u202eabc e\u0301 \u0001\n'],
    ['the empty string', ''],
  ])('accepts %s', (_, text) => {
    expect(storableTextProblem(text)).toBeUndefined();
  });

  it.each([
    ['a NUL', 'a\u0000b', /NUL/],
    ['a lone high surrogate', 'a\ud800', /lone surrogate/],
    ['a lone low surrogate', '\udc00a', /lone surrogate/],
    ['a pair in the wrong order', '\ude00\ud83d', /lone surrogate/],
  ])('refuses %s', (_, text, problem) => {
    expect(storableTextProblem(text)).toMatch(problem);
  });
});
