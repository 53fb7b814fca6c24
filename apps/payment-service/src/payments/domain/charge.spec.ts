import { chargeCredit, isExpired } from './charge';

describe('chargeCredit', () => {
  describe('when the credit covers the amount', () => {
    it('captures it and leaves the difference', () => {
      expect(chargeCredit(100_000, 2_599)).toEqual({ status: 'CAPTURED', remainingCredit: 97_401 });
    });

    it('captures an amount equal to the whole credit, leaving none', () => {
      expect(chargeCredit(2_599, 2_599)).toEqual({ status: 'CAPTURED', remainingCredit: 0 });
    });

    it('captures a zero amount even with no credit', () => {
      expect(chargeCredit(0, 0)).toEqual({ status: 'CAPTURED', remainingCredit: 0 });
    });
  });

  describe('when the amount exceeds the credit', () => {
    it('declines for insufficient credit, even by one cent', () => {
      expect(chargeCredit(2_599, 2_600)).toEqual({ status: 'DECLINED', reason: 'INSUFFICIENT_CREDIT' });
    });
  });
});

describe('isExpired', () => {
  const expiresAt = new Date('2025-01-01T12:00:00.000Z');

  it('is not expired up to and including the deadline', () => {
    expect(isExpired(expiresAt, new Date('2025-01-01T11:59:59.999Z'))).toBe(false);
    expect(isExpired(expiresAt, new Date('2025-01-01T12:00:00.000Z'))).toBe(false);
  });

  it('is expired once the deadline has passed', () => {
    expect(isExpired(expiresAt, new Date('2025-01-01T12:00:00.001Z'))).toBe(true);
  });
});
