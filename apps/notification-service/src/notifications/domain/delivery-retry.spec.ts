import { afterFailedAttempt } from './delivery-retry';

describe('afterFailedAttempt', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 1000 };

  describe('while attempts remain', () => {
    it('waits the base delay after the first failure', () => {
      expect(afterFailedAttempt(1, policy)).toEqual({ status: 'PENDING', retryInMs: 1000 });
    });

    it('doubles the wait after each further failure', () => {
      expect([2, 3, 4].map((attempts) => afterFailedAttempt(attempts, policy))).toEqual([
        { status: 'PENDING', retryInMs: 2000 },
        { status: 'PENDING', retryInMs: 4000 },
        { status: 'PENDING', retryInMs: 8000 },
      ]);
    });

    it('never waits longer than an hour', () => {
      expect(afterFailedAttempt(19, { maxAttempts: 20, baseDelayMs: 60_000 })).toEqual({
        status: 'PENDING',
        retryInMs: 3_600_000,
      });
    });
  });

  describe('when the last allowed attempt fails', () => {
    it('gives up', () => {
      expect(afterFailedAttempt(5, policy)).toEqual({ status: 'FAILED' });
    });

    it('gives up at once when only one attempt is allowed', () => {
      expect(afterFailedAttempt(1, { maxAttempts: 1, baseDelayMs: 1000 })).toEqual({ status: 'FAILED' });
    });
  });
});
