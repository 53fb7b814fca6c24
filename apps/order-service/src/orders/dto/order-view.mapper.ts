/**
 * How an order looks over HTTP, built from its state and history: the same answer whether it comes from
 * the rows just written (the 202 of POST /orders) or from the rows read back (GET).
 */
import { fromCents } from '@platform/contracts';
import { HistoryRecord, isOrderStatus, OrderState } from '../domain/order';
import { OrderHistoryEntryView } from './order-history-entry.view';
import { OrderView } from './order.view';

/** What a view needs of an order. */
export type ViewedOrder = Pick<
  OrderState,
  'id' | 'customerId' | 'status' | 'cancellationReason' | 'lines' | 'totalCents' | 'createdAt' | 'updatedAt'
>;

export function toOrderView(order: ViewedOrder, history: readonly HistoryRecord[]): OrderView {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    cancellationReason: order.cancellationReason,
    items: order.lines.map(({ sku, quantity, unitPriceCents }) => ({
      sku,
      quantity,
      unitPrice: unitPriceCents === null ? null : fromCents(unitPriceCents),
    })),
    total: order.totalCents === null ? null : fromCents(order.totalCents),
    history: history.map(toHistoryView),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

function toHistoryView({ entry, at }: HistoryRecord): OrderHistoryEntryView {
  const when = at.toISOString();
  return isOrderStatus(entry) ? { status: entry, at: when } : { step: entry, at: when };
}
