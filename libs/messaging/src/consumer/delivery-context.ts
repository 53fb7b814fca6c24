import { AsyncLocalStorage } from 'node:async_hooks';

/** The message being handled, so messages it causes carry its id as causation and its correlation id. */
export interface DeliveryContext {
  messageId: string;
  correlationId?: string;
}

export const deliveryContext = new AsyncLocalStorage<DeliveryContext>();
