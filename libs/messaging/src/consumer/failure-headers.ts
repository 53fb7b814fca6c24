import { ConsumeMessage, MessagePropertyHeaders } from 'amqplib';
import { RejectedDelivery } from './decode-delivery';

/** Headers the consumer adds when it retries or parks a message. */
export const FAILURE_HEADERS = {
  attempts: 'x-attempts',
  error: 'x-error',
  reason: 'x-error-reason',
  queue: 'x-original-queue',
  exchange: 'x-original-exchange',
  routingKey: 'x-original-routing-key',
  failedAt: 'x-failed-at',
} as const;

/** Why a message was parked: a boundary check that failed, a handler that kept failing, or kept crashing. */
export type ParkReason = RejectedDelivery['reason'] | 'handler-failed' | 'handler-crashed';

/**
 * Failed attempts a delivery has already had, from its `x-attempts` header. The header crosses the wire, so
 * anything but a whole number from 0 to `maxAttempts` is clamped into that range: a forged negative count
 * cannot buy endless retries, nor a huge one skip the retries a message is due.
 */
export function previousAttempts(delivery: Pick<ConsumeMessage, 'properties'>, maxAttempts: number): number {
  const value = Number(delivery.properties.headers?.[FAILURE_HEADERS.attempts]);
  if (!Number.isFinite(value)) return 0;
  return Math.min(Math.max(Math.trunc(value), 0), maxAttempts);
}

/** The delivery's headers plus what a retry or the dead-letter queue needs to know about the failure. */
export function failureHeaders(
  queue: string,
  delivery: Pick<ConsumeMessage, 'properties' | 'fields'>,
  attempt: number,
  error: string,
  reason: ParkReason,
): MessagePropertyHeaders {
  const headers = delivery.properties.headers ?? {};
  return {
    ...headers,
    [FAILURE_HEADERS.attempts]: attempt,
    [FAILURE_HEADERS.error]: error.slice(0, 4000),
    [FAILURE_HEADERS.reason]: reason,
    [FAILURE_HEADERS.queue]: queue,
    [FAILURE_HEADERS.exchange]: headers[FAILURE_HEADERS.exchange] ?? delivery.fields.exchange,
    [FAILURE_HEADERS.routingKey]: headers[FAILURE_HEADERS.routingKey] ?? delivery.fields.routingKey,
    [FAILURE_HEADERS.failedAt]: new Date().toISOString(),
  };
}

/** Whatever a handler threw or rejected with, as an Error: `throw undefined` must not break the failure path. */
export function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  let text: string;
  try {
    text = typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown));
  } catch {
    text = String(thrown);
  }
  return new Error(`handler failed with a non-Error value: ${text.slice(0, 500)}`);
}
