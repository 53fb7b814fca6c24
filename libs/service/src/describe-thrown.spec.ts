import { describeThrown, stackOf } from './describe-thrown';

describe('describing whatever a handler threw', () => {
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  const unserialisable = {
    toJSON() {
      throw new Error('no');
    },
  };

  it.each([
    ['an Error', new TypeError('x is undefined'), 'TypeError: x is undefined'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a string', 'plain string', 'the string "plain string"'],
    ['a number', 42, 'the number 42'],
    ['a plain object', { code: 'E_PLAIN' }, 'an object {"code":"E_PLAIN"}'],
    ['an object without a prototype', Object.create(null), 'an object {}'],
    ['an array', [1, 'a'], 'an array [1,"a"]'],
    ['a circular object', circular, 'an object that cannot be shown ([object Object])'],
    [
      'an object whose serialisation throws',
      unserialisable,
      'an object that cannot be shown ([object Object])',
    ],
    ['a symbol', Symbol('s'), 'Symbol(s)'],
  ])('describes %s', (_, thrown, description) => {
    expect(describeThrown(thrown)).toBe(description);
  });

  it('keeps a long description to one bounded line', () => {
    expect(describeThrown('x'.repeat(5000))).toHaveLength(1000);
  });

  it('gives the stack of an Error only', () => {
    expect(stackOf(new Error('boom'))).toContain('boom');
    expect(stackOf({ stack: 'forged' })).toBeUndefined();
  });
});
