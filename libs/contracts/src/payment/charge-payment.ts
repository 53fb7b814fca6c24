import { z } from 'zod';
import { customerId, money, orderId } from '../fields';
import { command, DeliveryFacts } from '../message';

/*
 * ChargePayment asks payment to charge an order's total against the customer's credit, at most once per
 * order. The order saga waits for the answer SAGA_STEP_TIMEOUT_MS from when the command was published; after
 * that it has given up, so payment must decline (EXPIRED) instead of charging.
 *
 * Why version 2: version 1 carried `expiresAt`, the deadline counted from when the charge was requested, which
 * is too early when the command waited in the outbox (a broker outage); an optional `validForMs` was added to
 * it, counted from the publish time when that was known. Two fields for one deadline, one counted from the
 * wrong instant: version 2 keeps the right one and requires it. The upcast gives a version 1 still on the wire
 * the very deadline version 1 consumers gave it, so it is charged or declined as it was meant to be.
 *
 * Neither version is immune to clock skew: `expiresAt` and `x-published-at` both come from the sender's clock
 * and are compared with payment's. A capture that arrives after the saga gave up is refunded by the saga.
 */

const validity = z.number().int().positive().max(86_400_000);

/** Version 1: `expiresAt`, and `validForMs` counted from the publish time when the delivery says it. */
const version1 = z.object({
  orderId,
  customerId,
  amount: money,
  expiresAt: z.iso.datetime(),
  validForMs: validity.optional(),
});

/** Version 2: `validForMs`, counted from when the command was published, or received if it does not say. */
const version2 = z.object({ orderId, customerId, amount: money, validForMs: validity });

/**
 * A version 1 as version 2, with the same deadline: its `validForMs` if it came with a publish time, else its
 * `expiresAt` as a validity from the instant version 2 counts from (zero or less if it had expired when sent).
 */
function fromVersion1(
  { expiresAt, validForMs, ...charge }: z.output<typeof version1>,
  delivery: DeliveryFacts,
): z.output<typeof version2> {
  if (validForMs !== undefined && delivery.publishedAt) return { ...charge, validForMs };
  return { ...charge, validForMs: Date.parse(expiresAt) - validFrom(delivery).getTime() };
}

/** Asks payment to charge an order's total; handlers get version 2 (see the top of this file). */
export class ChargePayment extends command('payment', 'ChargePayment', version1, { sentBy: 'order' }).version(
  2,
  version2,
  fromVersion1,
) {}

/** When the order saga stops waiting for a charge: `validForMs` after the command was published (or received). */
export function chargeDeadline({ validForMs }: { validForMs: number }, delivery: DeliveryFacts): Date {
  return new Date(validFrom(delivery).getTime() + validForMs);
}

/** The instant a charge's validity counts from, for version 2 and for the upcast of version 1 alike. */
function validFrom({ publishedAt, receivedAt }: DeliveryFacts): Date {
  return publishedAt ?? receivedAt;
}
