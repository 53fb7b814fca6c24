import { validateSync } from 'class-validator';
import { HasAtMostTwoDecimals } from './has-at-most-two-decimals';

class Body {
  @HasAtMostTwoDecimals()
  amount!: unknown;
}

const errorsFor = (amount: unknown) => validateSync(Object.assign(new Body(), { amount }));

describe('HasAtMostTwoDecimals', () => {
  it.each([0, 12, 12.5, 19.99])('accepts %p', (amount) => {
    expect(errorsFor(amount)).toEqual([]);
  });

  it.each([1.001, 1.005, 1e-7, 0.1 + 0.2, Number.NaN])('refuses %p, naming the field', (amount) => {
    const [error] = errorsFor(amount);
    expect(error.constraints).toEqual({ hasAtMostTwoDecimals: 'amount must have at most two decimals' });
  });

  it('leaves values that are not numbers to the type check', () => {
    expect(errorsFor('12.345')).toEqual([]);
  });
});
