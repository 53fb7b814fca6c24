import { ReleaseStock } from './inventory/release-stock';
import { ReserveStock } from './inventory/reserve-stock';
import { StockReservationRejected } from './inventory/stock-reservation-rejected';
import { StockReserved } from './inventory/stock-reserved';
import { MessageType, ServiceName } from './message';
import { OrderCancelled } from './order/order-cancelled';
import { OrderConfirmed } from './order/order-confirmed';
import { ChargePayment } from './payment/charge-payment';
import { PaymentCaptured } from './payment/payment-captured';
import { PaymentDeclined } from './payment/payment-declined';
import { RefundPayment } from './payment/refund-payment';

/** The messages one service consumes: commands it executes (it owns them) and events it reacts to. */
export interface Consumption {
  readonly commands?: readonly MessageType[];
  readonly events?: readonly MessageType[];
}

/**
 * Who consumes what, for the whole system, in one place. Every queue and binding on the broker is derived
 * from it, so each service (and every deployment) can create all of them before the first message is
 * published, whichever service starts first: an event can then never miss a subscriber that is not up yet.
 */
export const consumers: Readonly<Record<ServiceName, Consumption>> = {
  order: { events: [StockReserved, StockReservationRejected, PaymentCaptured, PaymentDeclined] },
  inventory: { commands: [ReserveStock, ReleaseStock], events: [OrderConfirmed] },
  payment: { commands: [ChargePayment, RefundPayment] },
  notification: { events: [OrderConfirmed, OrderCancelled] },
};
