import {
  CancellationReason,
  ChargePayment,
  fromCents,
  OrderCancelled,
  OrderConfirmed,
  RefundPayment,
  ReleaseStock,
  repeatedSkus,
  ReserveStock,
} from '@platform/contracts';
import { OrderLine, priceLines, ReservedLine } from './price-lines';
import { Cancelled, Compensated, Confirmed, PaymentRequested, Unchanged } from './order-transition';

/** An order is PENDING while its saga runs, then CONFIRMED or CANCELLED for good. */
export const orderStatuses = ['PENDING', 'CONFIRMED', 'CANCELLED'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** The saga step a pending order waits in, each with its own deadline. */
export type SagaStep = 'RESERVING_STOCK' | 'CHARGING_PAYMENT';

/** The saga steps an order can get through, as its history records them. */
export const stepMilestones = ['STOCK_RESERVED', 'PAYMENT_CAPTURED'] as const;
export type StepMilestone = (typeof stepMilestones)[number];

/** Milestones of an order's history: the statuses it took and the saga steps it got through. */
export type HistoryEntry = OrderStatus | StepMilestone;

/** Whether a history entry is a status (rather than a step milestone). */
export function isOrderStatus(entry: HistoryEntry): entry is OrderStatus {
  return (orderStatuses as readonly string[]).includes(entry);
}

/** Everything the aggregate knows about an order, as stored. */
export interface OrderState {
  readonly id: string;
  readonly customerId: string;
  /** The address the customer's token vouched for (its `email` claim); null when it had none. */
  readonly customerEmail: string | null;
  readonly status: OrderStatus;
  readonly cancellationReason: CancellationReason | null;
  readonly step: SagaStep | null;
  readonly stepDeadline: Date | null;
  readonly lines: readonly OrderLine[];
  readonly totalCents: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One history entry with the time it happened. */
export interface HistoryRecord {
  readonly entry: HistoryEntry;
  readonly at: Date;
}

/** What placing an order needs. */
export interface NewOrder {
  id: string;
  customerId: string;
  customerEmail?: string;
  lines: ReadonlyArray<{ sku: string; quantity: number }>;
  now: Date;
}

const unchanged = (): Unchanged => ({ kind: 'unchanged', messages: [] });

/**
 * An order and the saga it goes through (PENDING, then CONFIRMED or CANCELLED). Each method guards its
 * transition against the current status and step, changes the order, and says what happened and which
 * messages to send. Replies that come twice, late or out of order never change a finished order.
 */
export class Order {
  private readonly recorded: HistoryRecord[] = [];

  private constructor(private current: OrderState) {}

  /** A new order waiting for its stock, and the ReserveStock that asks for it; each sku is on one line. */
  static place({ id, customerId, customerEmail, lines, now }: NewOrder): {
    order: Order;
    messages: [ReserveStock];
  } {
    if (lines.length === 0) throw new RangeError(`order ${id} needs at least one line`);
    const [repeated] = repeatedSkus(lines);
    if (repeated) {
      throw new RangeError(
        `order ${id} names sku ${repeated.sku} on lines ${repeated.firstIndex} and ${repeated.index}`,
      );
    }
    const order = new Order({
      id,
      customerId,
      customerEmail: customerEmail ?? null,
      status: 'PENDING',
      cancellationReason: null,
      step: 'RESERVING_STOCK',
      stepDeadline: null,
      lines: lines.map(({ sku, quantity }) => ({ sku, quantity, unitPriceCents: null })),
      totalCents: null,
      createdAt: now,
      updatedAt: now,
    });
    order.recorded.push({ entry: 'PENDING', at: now });
    const requested = lines.map(({ sku, quantity }) => ({ sku, quantity }));
    return { order, messages: [ReserveStock.v1({ orderId: id, lines: requested })] };
  }

  /** The order as it was stored. */
  static restore(state: OrderState): Order {
    return new Order(state);
  }

  get id(): string {
    return this.current.id;
  }

  get state(): OrderState {
    return this.current;
  }

  /** History entries added since the order was placed or restored, oldest first; empty if nothing changed. */
  get newHistory(): readonly HistoryRecord[] {
    return this.recorded;
  }

  /** Inventory holds the stock: price the order and charge it, or give the stock back if the saga gave up. */
  recordReservation(
    reservation: { lines: readonly ReservedLine[]; total: number },
    now: Date,
    stepTimeoutMs: number,
  ): PaymentRequested | Compensated | Unchanged {
    if (this.current.status === 'CANCELLED') return this.compensate(ReleaseStock.v1({ orderId: this.id }));
    if (!this.waitsFor('RESERVING_STOCK')) return unchanged();
    const { lines, totalCents } = priceLines(
      this.id,
      this.current.lines,
      reservation.lines,
      reservation.total,
    );
    this.change({ step: 'CHARGING_PAYMENT', stepDeadline: null, lines, totalCents }, 'STOCK_RESERVED', now);
    const charge = ChargePayment.v2({
      orderId: this.id,
      customerId: this.current.customerId,
      amount: fromCents(totalCents),
      validForMs: stepTimeoutMs,
    });
    return { kind: 'payment-requested', messages: [charge] };
  }

  /** Inventory reserved nothing, so there is nothing to give back. */
  reject(reason: 'OUT_OF_STOCK' | 'UNKNOWN_PRODUCT', now: Date): Cancelled | Unchanged {
    if (!this.waitsFor('RESERVING_STOCK')) return unchanged();
    return this.cancel(reason, now, []);
  }

  /** Payment took the money: confirm the order, or refund it if the saga gave up meanwhile. */
  recordPayment(now: Date): Confirmed | Compensated | Unchanged {
    if (this.current.status === 'CANCELLED') return this.compensate(RefundPayment.v1({ orderId: this.id }));
    if (!this.waitsFor('CHARGING_PAYMENT')) return unchanged();
    this.change({}, 'PAYMENT_CAPTURED', now);
    this.change({ status: 'CONFIRMED', step: null, stepDeadline: null }, 'CONFIRMED', now);
    const confirmed = OrderConfirmed.v1({
      orderId: this.id,
      customerId: this.current.customerId,
      customerEmail: this.current.customerEmail ?? undefined,
      ...this.priced(),
    });
    return { kind: 'confirmed', messages: [confirmed] };
  }

  /** Payment refused: give the stock back. */
  decline(now: Date): Cancelled | Unchanged {
    if (!this.waitsFor('CHARGING_PAYMENT')) return unchanged();
    return this.cancel('PAYMENT_DECLINED', now, [ReleaseStock.v1({ orderId: this.id })]);
  }

  /**
   * The current step got no reply by its deadline. A step has no deadline while its command is still in the
   * outbox (the broker may be away): its clock starts when the command is published (OrderSaga). The stock is released in every step, since a reservation
   * may still be on its way (inventory remembers the release and refuses it); a payment still on its way is
   * declined by payment as expired, or refunded when its late capture arrives.
   */
  timeOut(now: Date): Cancelled | Unchanged {
    const { status, stepDeadline } = this.current;
    if (status !== 'PENDING' || stepDeadline === null || stepDeadline > now) return unchanged();
    return this.cancel('TIMEOUT', now, [ReleaseStock.v1({ orderId: this.id })]);
  }

  private waitsFor(step: SagaStep): boolean {
    return this.current.status === 'PENDING' && this.current.step === step;
  }

  private cancel(reason: CancellationReason, now: Date, compensations: ReleaseStock[]): Cancelled {
    this.change(
      { status: 'CANCELLED', cancellationReason: reason, step: null, stepDeadline: null },
      'CANCELLED',
      now,
    );
    const cancelled = OrderCancelled.v1({
      orderId: this.id,
      customerId: this.current.customerId,
      customerEmail: this.current.customerEmail ?? undefined,
      reason,
    });
    return { kind: 'cancelled', reason, messages: [...compensations, cancelled] };
  }

  private compensate(message: ReleaseStock | RefundPayment): Compensated {
    return { kind: 'compensated', messages: [message] };
  }

  private change(
    changes: Partial<Omit<OrderState, 'id' | 'customerId' | 'createdAt'>>,
    entry: HistoryEntry,
    at: Date,
  ): void {
    this.current = { ...this.current, ...changes, updatedAt: at };
    this.recorded.push({ entry, at });
  }

  /** Lines and total of an order past its reservation, which priced them. */
  private priced(): { lines: ReservedLine[]; total: number } {
    const notPriced = () => new Error(`order ${this.id} is past its reservation but not priced`);
    const { lines, totalCents } = this.current;
    if (totalCents === null) throw notPriced();
    const pricedLines = lines.map(({ sku, quantity, unitPriceCents }) => {
      if (unitPriceCents === null) throw notPriced();
      return { sku, quantity, unitPrice: fromCents(unitPriceCents) };
    });
    return { lines: pricedLines, total: fromCents(totalCents) };
  }
}
