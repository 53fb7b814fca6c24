import { AsyncLocalStorage } from 'node:async_hooks';
import { DeliveryFacts } from '@platform/contracts';

/**
 * The message being handled, so messages it causes carry its id as causation and its correlation id; with
 * when it was published (if it says) and received, the same facts its upcasts were given.
 */
export interface DeliveryContext extends DeliveryFacts {
  messageId: string;
  correlationId?: string;
}

export const deliveryContext = new AsyncLocalStorage<DeliveryContext>();

/** Header in which the outbox relay stamps the time it published a message, in epoch milliseconds. */
export const PUBLISHED_AT_HEADER = 'x-published-at';

/**
 * The message a handler is handling, outside a consumer undefined. `publishedAt` lets a command valid for
 * some time after it was sent (not after it was recorded) be judged by the time it really left its sender.
 */
export function currentDelivery(): Readonly<DeliveryContext> | undefined {
  return deliveryContext.getStore();
}

/** The publish time a header carries, or undefined when absent or not a plausible time. */
export function publishedAtOf(headers: Record<string, unknown> | undefined): Date | undefined {
  const value = Number(headers?.[PUBLISHED_AT_HEADER]);
  return Number.isSafeInteger(value) && value > 0 ? new Date(value) : undefined;
}
