/** How often and how patiently a notification is retried when its channel fails. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
}

/** After a failed attempt: try again later, or give up. */
export type RetryDecision = { status: 'PENDING'; retryInMs: number } | { status: 'FAILED' };

/** No wait grows beyond an hour, however large the policy's numbers. */
const MAX_DELAY_MS = 3_600_000;

/**
 * Decides what follows failed attempt number `attempts` (1 for the first): exponential backoff
 * (base, 2 × base, 4 × base, ...) until the policy's attempts are used up, then FAILED.
 */
export function afterFailedAttempt(attempts: number, policy: RetryPolicy): RetryDecision {
  if (attempts >= policy.maxAttempts) return { status: 'FAILED' };
  const retryInMs = Math.min(policy.baseDelayMs * 2 ** (attempts - 1), MAX_DELAY_MS);
  return { status: 'PENDING', retryInMs };
}
