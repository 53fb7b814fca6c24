import {
  CancellationReason,
  fromCents,
  multiplyCents,
  OrderCancelled,
  OrderConfirmed,
  toCents,
} from '@platform/contracts';
import { NotificationText } from './notification';

const reasonInPlainWords: Record<CancellationReason, string> = {
  OUT_OF_STOCK: 'some of its items are out of stock',
  UNKNOWN_PRODUCT: 'some of its items are not in our catalogue',
  PAYMENT_DECLINED: 'the payment was declined',
  TIMEOUT: 'it could not be processed in time',
};

/** What the customer reads when an order is confirmed: every line with its amount, and the total. */
export function confirmationText({
  orderId,
  lines,
  total,
}: Pick<OrderConfirmed, 'orderId' | 'lines' | 'total'>): NotificationText {
  const lineTexts = lines.map(({ sku, quantity, unitPrice }) => {
    const unitCents = toCents(unitPrice);
    return `  ${quantity} × ${sku} at ${formatCents(unitCents)} = ${formatCents(multiplyCents(unitCents, quantity))}`;
  });
  return {
    subject: `Order ${shortId(orderId)} confirmed`,
    body: [
      'Hello,',
      '',
      `your order ${orderId} is confirmed.`,
      '',
      ...lineTexts,
      '',
      `Total: ${formatCents(toCents(total))}`,
      '',
      'Thank you for your order.',
    ].join('\n'),
  };
}

/** What the customer reads when an order is cancelled: why, in plain words. */
export function cancellationText({
  orderId,
  reason,
}: Pick<OrderCancelled, 'orderId' | 'reason'>): NotificationText {
  return {
    subject: `Order ${shortId(orderId)} cancelled`,
    body: [
      'Hello,',
      '',
      `we are sorry: your order ${orderId} was cancelled because ${reasonInPlainWords[reason]}.`,
      'You will not be charged for it.',
    ].join('\n'),
  };
}

/** Enough of a UUID to recognise the order in a mailbox listing. */
const shortId = (orderId: string) => `${orderId.slice(0, 8)}…`;

// Amounts are computed in integer cents so that 3 × 0.10 prints 0.30, not 0.30000000000000004.
const formatCents = (cents: number) => fromCents(cents).toFixed(2);
