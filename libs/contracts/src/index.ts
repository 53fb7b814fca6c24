/**
 * Every message that crosses a service boundary: its wire type, routing key, schema versions and payload.
 * Services depend on each other only through these.
 */
export * from './message';
export * from './fields';
export * from './money';
export * from './consumers';
export * from './repeated-skus';
export * from './storable-text';
export * from './inventory/reserve-stock';
export * from './inventory/release-stock';
export * from './inventory/stock-reserved';
export * from './inventory/stock-reservation-rejected';
export * from './payment/charge-payment';
export * from './payment/refund-payment';
export * from './payment/payment-captured';
export * from './payment/payment-declined';
export * from './order/order-confirmed';
export * from './order/order-cancelled';
