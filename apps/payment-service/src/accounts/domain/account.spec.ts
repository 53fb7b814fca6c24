import { accountOrDefault } from './account';

describe('accountOrDefault', () => {
  describe('when the customer was never seen', () => {
    it('gives them the default credit', () => {
      expect(accountOrDefault('alice', undefined, 100_000)).toEqual({ customerId: 'alice', credit: 100_000 });
    });
  });

  describe('when the customer has an account', () => {
    it('keeps their remaining credit, even none at all', () => {
      expect(accountOrDefault('bob', { customerId: 'bob', credit: 0 }, 100_000)).toEqual({
        customerId: 'bob',
        credit: 0,
      });
    });
  });
});
