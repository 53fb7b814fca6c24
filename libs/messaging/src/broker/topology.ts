import { MessageType } from '@platform/contracts';

/** Names of everything one service declares on the broker (SPEC section 4). */
export interface ServiceTopology {
  commandsExchange: 'commands';
  eventsExchange: 'events';
  commandQueue: string;
  eventQueue: string;
  /** Headers exchange that routes a failed message into the retry queue of its delay. */
  retryExchange: string;
  retryQueues: Array<{ name: string; delayMs: number }>;
  deadLetterQueue: string;
  commandBindings: string[];
  eventBindings: string[];
}

/** Header naming the delay queue a retried message waits in. */
// Not x-prefixed: a headers exchange ignores x- headers when matching.
export const RETRY_DELAY_HEADER = 'retry-delay-ms';

/** Delays before attempt 2..maxAttempts: base, 2×base, 4×base... */
export function retryDelays(baseMs: number, maxAttempts: number): number[] {
  return Array.from({ length: Math.max(0, maxAttempts - 1) }, (_, index) => baseMs * 2 ** index);
}

/** Derives the topology of a service from the messages it handles and its retry policy. */
export function serviceTopology(
  service: string,
  handled: MessageType[],
  retry: { baseMs: number; maxAttempts: number },
): ServiceTopology {
  return {
    commandsExchange: 'commands',
    eventsExchange: 'events',
    commandQueue: `${service}.commands`,
    eventQueue: `${service}.events`,
    retryExchange: `${service}.retry`,
    retryQueues: retryDelays(retry.baseMs, retry.maxAttempts).map((delayMs) => ({
      name: `${service}.retry.${delayMs}`,
      delayMs,
    })),
    deadLetterQueue: `${service}.dlq`,
    commandBindings: handled.filter((type) => type.kind === 'command').map((type) => type.routingKey),
    eventBindings: handled.filter((type) => type.kind === 'event').map((type) => type.routingKey),
  };
}
