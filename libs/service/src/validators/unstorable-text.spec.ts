import { findUnstorableText } from './unstorable-text';

describe('findUnstorableText', () => {
  it.each([
    ['plain text', { customerId: 'alice', items: [{ sku: 'ABC-1', quantity: 2 }] }],
    ['emoji, right-to-left and combining characters', { name: 'tea 😀 \u202eabc e\u0301' }],
    ['other control characters', { name: 'a\u0001\u001f\u007f\n' }],
    ['numbers, booleans and null', { a: 1, b: true, c: null }],
  ])('finds nothing in %s', (_, value) => {
    expect(findUnstorableText(value)).toBeUndefined();
  });

  it.each([
    ['a NUL', { customerId: 'a\u0000b' }, 'customerId', /NUL/],
    ['a NUL deep in a list', { items: [{ sku: 'ok' }, { sku: '\u0000' }] }, 'items.1.sku', /NUL/],
    ['a lone high surrogate', { name: 'x\ud800' }, 'name', /lone surrogate/],
    ['a lone low surrogate', { name: '\udc00x' }, 'name', /lone surrogate/],
    [
      'a NUL in a property name',
      { items: [{ 'sku\u0000': 'x' }] },
      'items.0',
      /property names must not contain/,
    ],
  ])('names the place of %s', (_, value, path, problem) => {
    const found = findUnstorableText(value);
    expect(found?.path).toBe(path);
    expect(found?.problem).toMatch(problem);
  });

  it('names a lone string by the name it was given', () => {
    expect(findUnstorableText('\u0000', 'id')).toMatchObject({ path: 'id' });
  });

  it('names the whole input when a property name at its top is the problem', () => {
    expect(findUnstorableText({ 'a\u0000': '1' }, '', 'query')).toMatchObject({ path: 'query' });
  });

  it('reports the first problem in the order fields were sent', () => {
    expect(findUnstorableText({ a: 'ok', b: '\u0000', c: '\ud800' })?.path).toBe('b');
  });

  it('walks a body nested a hundred thousand levels deep without exhausting the stack', () => {
    let deep: unknown = '\u0000';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(findUnstorableText({ items: deep })?.problem).toMatch(/NUL/);
  });
});
