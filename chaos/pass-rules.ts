import { ServiceExit } from '@platform/testing';
import { Catalogue } from './catalogue';
import { DeadLetter, Observations } from './observations';
import { PlacedOrder } from './order-load';

/** Seconds every accepted order has after the fault's end to reach CONFIRMED or CANCELLED. */
export const TERMINAL_WITHIN_S = 60;

/** What one fault run produced, as the rules need it. */
export interface FaultRun {
  catalogue: Catalogue;
  placed: PlacedOrder[];
  observations: Observations;
  faultEndedAt: number;
  deadLetters: DeadLetter[];
  /** Message ids of the poison the fault injected. */
  poison: string[];
  /** Exits during the fault that the suite did not cause. */
  unexpectedExits: ServiceExit[];
  /**
   * How often notification-service was killed (kill -9 or a crash point) during the fault: each kill may
   * catch sends between the mail server's acceptance and the SENT row, which go out again after the claim.
   */
  notificationKills: number;
  /** Processes that should run but did not answer ready at the end. */
  notReady: string[];
  /** Why the fault did not take effect, if it did not. */
  notInjected?: string;
}

/** The line of the report: the counts of the issue, and the rules that failed with their evidence. */
export interface Verdict {
  accepted: number;
  lost: number;
  chargedTwice: number;
  notifiedTwice: number;
  stuck: number;
  /** Fault end until every order accepted before it was terminal; undefined if that never happened. */
  recoverSeconds: number | undefined;
  failures: string[];
  notes: string[];
}

/**
 * The pass rules of the hardening issue, for every fault: every accepted order terminal within 60 s of the
 * fault's end, none lost, none charged or notified twice (and every terminal order charged and notified
 * exactly as its outcome says), stock conserved, outbox drained, dead-letter queues holding exactly the
 * injected poison, no process exiting on its own; plus that the fault took effect at all.
 */
export function judge(run: FaultRun): Verdict {
  const { observations } = run;
  const accepted = run.placed.filter((order) => order.outcome === 'accepted');
  const failures: string[] = [];
  const notes: string[] = [];
  const fail = (rule: string, count: number, detail: string[]) => {
    if (count > 0)
      failures.push(`${rule}: ${count} (${detail.slice(0, 3).join('; ')}${detail.length > 3 ? '; …' : ''})`);
  };

  const deadline = run.faultEndedAt + TERMINAL_WITHIN_S * 1000;
  const missing = accepted.filter((order) => !observations.orders.has(order.orderId!));
  const pending = accepted.filter((order) => observations.orders.get(order.orderId!)?.status === 'PENDING');
  const late = accepted.filter((order) => {
    const terminalAt = observations.orders.get(order.orderId!)?.terminalAt;
    return !terminalAt || terminalAt.getTime() > deadline;
  });
  fail('lost', missing.length + pending.length, [
    ...missing.map((order) => `${order.orderId} missing`),
    ...pending.map((order) => `${order.orderId} still PENDING`),
  ]);
  fail(
    `terminal within ${TERMINAL_WITHIN_S} s`,
    late.length,
    late.map((order) => String(order.orderId)),
  );

  const charges = checkMoney(run);
  const notifications = checkNotifications(run);
  failures.push(...charges.failures, ...notifications.failures, ...checkStock(run), ...checkPlumbing(run));
  notes.push(...notifications.notes);

  const refused = run.placed.filter((order) => order.refusal);
  fail(
    'refused valid orders',
    refused.length,
    refused.map((order) => `${order.key}: ${order.refusal}`),
  );
  const split = run.placed.filter((order) => order.answeredIds.size > 1);
  fail(
    'idempotency (one key, several orders)',
    split.length,
    split.map((order) => [...order.answeredIds].join(' ≠ ')),
  );
  const servedAfter = accepted.filter((order) => order.firstAttemptAt > run.faultEndedAt).length;
  if (servedAfter === 0)
    failures.push('serving after the fault: no order placed after the fault was accepted');
  if (run.notInjected) failures.push(`fault not injected: ${run.notInjected}`);

  const gaveUp = run.placed.filter((order) => order.outcome === 'gave-up').length;
  if (gaveUp > 0) notes.push(`${gaveUp} orders given up by the client (no 202 within its bound)`);
  const slowest = Math.max(
    0,
    ...accepted
      .filter((order) => order.acceptedAt! > run.faultEndedAt)
      .map(
        (order) =>
          (observations.orders.get(order.orderId!)?.terminalAt?.getTime() ?? Date.now()) - order.acceptedAt!,
      ),
  );
  if (slowest > 5_000)
    notes.push(`slowest order accepted after the fault took ${(slowest / 1000).toFixed(1)} s to end`);
  const acceptedIds = new Set(accepted.map((order) => order.orderId));
  const unanswered = [...observations.orders.keys()].filter((id) => !acceptedIds.has(id)).length;
  if (unanswered > 0) notes.push(`${unanswered} orders stored whose 202 the client never got`);

  return {
    accepted: accepted.length,
    lost: missing.length + pending.length,
    chargedTwice: charges.twice,
    notifiedTwice: notifications.twice,
    stuck: late.length,
    recoverSeconds: recoverySeconds(run),
    failures,
    notes,
  };
}

/**
 * Money, per customer and per order. Credit taken must equal the totals of the customer's CONFIRMED orders;
 * each CONFIRMED order has one capture of its total and no CANCELLED order keeps one. "Charged twice" is an
 * order with several payments, or credit debited beyond what the captured payments account for.
 */
function checkMoney({ catalogue, observations }: FaultRun): { twice: number; failures: string[] } {
  const failures: string[] = [];
  const report = (rule: string, items: string[]) => {
    if (items.length > 0) failures.push(`${rule}: ${items.length} (${items.slice(0, 3).join('; ')})`);
  };
  const paymentsByOrder = new Map<string, number>();
  for (const payment of observations.payments) {
    paymentsByOrder.set(payment.orderId, (paymentsByOrder.get(payment.orderId) ?? 0) + 1);
  }
  const paidTwice = [...paymentsByOrder]
    .filter(([, count]) => count > 1)
    .map(([orderId, count]) => `${orderId} has ${count} payments`);
  const captured = observations.payments.filter((payment) => payment.status === 'CAPTURED');
  const capturedByOrder = new Map(captured.map((payment) => [payment.orderId, payment]));
  const debitedTwice: string[] = [];
  const wrongCredit: string[] = [];
  for (const customer of catalogue.customers) {
    const orders = [...observations.orders.values()].filter((order) => order.customerId === customer.id);
    const confirmed = sum(
      orders.filter((order) => order.status === 'CONFIRMED').map((order) => order.totalCents ?? 0),
    );
    const capturedCents = sum(
      captured.filter((payment) => payment.customerId === customer.id).map((payment) => payment.amountCents),
    );
    const taken = customer.creditCents - (observations.credits.get(customer.id) ?? customer.creditCents);
    if (taken > capturedCents) {
      debitedTwice.push(`${customer.id} debited ${cents(taken)} for ${cents(capturedCents)} captured`);
    }
    if (taken !== confirmed) {
      wrongCredit.push(`${customer.id} paid ${cents(taken)} for ${cents(confirmed)} confirmed`);
    }
  }
  const unpaid: string[] = [];
  const paidForCancelled: string[] = [];
  for (const order of observations.orders.values()) {
    const payment = capturedByOrder.get(order.id);
    if (order.status === 'CONFIRMED' && payment?.amountCents !== order.totalCents) unpaid.push(order.id);
    if (order.status === 'CANCELLED' && payment) paidForCancelled.push(order.id);
  }
  report('charged twice', [...paidTwice, ...debitedTwice]);
  report('credit taken ≠ confirmed totals', wrongCredit);
  report('confirmed without a matching capture', unpaid);
  report('cancelled but still captured', paidForCancelled);
  return { twice: paidTwice.length + debitedTwice.length, failures };
}

/** How many sends one kill of notification-service can catch in flight: the dispatcher's batch. */
export const SENDS_IN_FLIGHT = 20;

/**
 * One notification per terminal order, of the type its outcome says, both as a row and as a mail sent. The
 * one copy tolerated is the documented edge of at-least-once delivery to SMTP, which has no idempotency key:
 * a kill of notification-service after the server took a mail and before the SENT row committed sends that
 * mail once more, with the same Message-ID, so a mail client folds it. Such a copy passes only when the fault
 * killed notification-service, at most once per mail and a batch per kill; anything else is notified twice.
 */
function checkNotifications({ observations, notificationKills }: FaultRun): {
  twice: number;
  failures: string[];
  notes: string[];
} {
  const failures: string[] = [];
  const twice: string[] = [];
  const resent: string[] = [];
  const missing: string[] = [];
  const wrongType: string[] = [];
  for (const order of observations.orders.values()) {
    if (order.status === 'PENDING') continue;
    const expected = order.status === 'CONFIRMED' ? 'ORDER_CONFIRMED' : 'ORDER_CANCELLED';
    const mails = observations.mails.get(order.id) ?? [];
    const rows = observations.notificationRows.get(order.id) ?? [];
    const messageIds = new Set(mails.map((mail) => mail.messageId));
    const copies = mails.length - messageIds.size;
    if (rows.length > 1 || messageIds.size > 1 || copies > 1 || (copies === 1 && notificationKills === 0))
      twice.push(`${order.id}: ${mails.length} mails (${messageIds.size} Message-IDs), ${rows.length} rows`);
    else if (mails.length === 0) missing.push(`${order.id} ${order.status}: ${rows.length} rows, no mail`);
    else if (mails.some((mail) => mail.type !== expected))
      wrongType.push(`${order.id} ${order.status} got ${mails[0].type}`);
    else if (copies === 1) resent.push(order.id);
  }
  const allowed = notificationKills * SENDS_IN_FLIGHT;
  if (resent.length > allowed) twice.push(...resent.map((id) => `${id}: resent, past ${allowed} allowed`));
  if (twice.length > 0) failures.push(`notified twice: ${twice.length} (${twice.slice(0, 3).join('; ')})`);
  if (missing.length > 0)
    failures.push(`never notified: ${missing.length} (${missing.slice(0, 3).join('; ')})`);
  if (wrongType.length > 0)
    failures.push(`notified the wrong outcome: ${wrongType.length} (${wrongType.slice(0, 3).join('; ')})`);
  const notes =
    resent.length > 0 && resent.length <= allowed
      ? [
          `${resent.length} mails sent again with the same Message-ID: notification-service was killed after ` +
            `the mail server took them, before they were marked SENT`,
        ]
      : [];
  return { twice: twice.length, failures, notes };
}

/** Per product: initial stock = available + reserved + sold, and nothing left reserved. */
function checkStock({ catalogue, observations }: FaultRun): string[] {
  const wrong: string[] = [];
  for (const product of catalogue.products) {
    const stored = observations.products.get(product.sku);
    const sold = observations.soldUnits.get(product.sku) ?? 0;
    if (!stored) {
      wrong.push(`${product.sku} missing`);
    } else if (stored.available + stored.reserved + sold !== product.stock || stored.reserved !== 0) {
      wrong.push(
        `${product.sku}: ${product.stock} ≠ ${stored.available} available + ${stored.reserved} reserved + ${sold} sold`,
      );
    }
  }
  return wrong.length > 0
    ? [`stock not conserved: ${wrong.length} products (${wrong.slice(0, 2).join('; ')})`]
    : [];
}

/** Outbox drained, dead letters exactly the poison, no process exiting on its own. */
function checkPlumbing(run: FaultRun): string[] {
  const failures: string[] = [];
  const unpublished = Object.entries(run.observations.unpublished).filter(([, count]) => count > 0);
  if (unpublished.length > 0) {
    failures.push(
      `outbox not drained: ${unpublished.map(([service, count]) => `${service} ${count}`).join(', ')}`,
    );
  }
  const poison = new Set(run.poison);
  const unexpected = run.deadLetters.filter((letter) => !poison.has(letter.messageId));
  const parked = new Set(run.deadLetters.map((letter) => letter.messageId));
  const notParked = run.poison.filter((id) => !parked.has(id));
  if (unexpected.length > 0) {
    failures.push(
      `dead letters that are not poison: ${unexpected.length} (${unexpected
        .slice(0, 3)
        .map((letter) => `${letter.queue} ${letter.type} ${letter.reason}`)
        .join('; ')})`,
    );
  }
  if (notParked.length > 0)
    failures.push(`poison not dead-lettered: ${notParked.length} of ${run.poison.length}`);
  if (run.unexpectedExits.length > 0) {
    failures.push(
      `processes exited on their own: ${run.unexpectedExits
        .map((exit) => `${exit.instance} (${exit.status}): ${exit.logTail.slice(-1)[0] ?? ''}`.slice(0, 200))
        .join('; ')}`,
    );
  }
  if (run.notReady.length > 0) failures.push(`not ready at the end: ${run.notReady.join(', ')}`);
  return failures;
}

/** Fault end until the last order accepted before it reached a terminal state (0 if all already had). */
function recoverySeconds({ placed, observations, faultEndedAt }: FaultRun): number | undefined {
  let last = faultEndedAt;
  for (const order of placed) {
    if (order.outcome !== 'accepted' || order.acceptedAt! > faultEndedAt) continue;
    const terminalAt = observations.orders.get(order.orderId!)?.terminalAt;
    if (!terminalAt) return undefined;
    last = Math.max(last, terminalAt.getTime());
  }
  return (last - faultEndedAt) / 1000;
}

const cents = (value: number) => (value / 100).toFixed(2);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
