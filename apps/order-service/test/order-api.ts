import { MessageType } from '@platform/contracts';
import { SentMessage, ServiceHarness, waitFor } from '@platform/testing';

/** An order as `GET /orders/{id}` answers it; tests check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type OrderView = any;

/** order-service's REST API as its tests use it: place an order, read it, wait for a status, count rows. */
export function orderApi(harness: ServiceHarness) {
  const order = async (orderId: string): Promise<OrderView> =>
    (await harness.http.get(`/orders/${orderId}`)).body;
  return {
    order,

    /** Places an order and returns its id, failing unless the service accepted it. */
    async place(customerId: string, items: Array<{ sku: string; quantity: number }>): Promise<string> {
      const answer = await harness.http.post('/orders', { customerId, items });
      if (answer.status !== 202)
        throw new Error(`placing an order answered ${answer.status}: ${answer.text}`);
      return answer.body.id;
    },

    /** Waits until the order has `status`, and returns it. */
    waitForStatus(orderId: string, status: string): Promise<OrderView> {
      return waitFor(`order ${orderId} to be ${status}`, async () => {
        const found = await order(orderId);
        return found?.status === status ? found : undefined;
      });
    },

    async countOrders(): Promise<number> {
      const [row] = await harness.query<{ count: string }>(`SELECT count(*) FROM orders`);
      return Number(row.count);
    },
  };
}

/** Whether a message the service sent is about the order: the saga's messages carry it as correlation id. */
export const aboutOrder =
  (orderId: string) =>
  (_payload: unknown, message: { correlationId?: string }): boolean =>
    message.correlationId === orderId;

/** Everything the service sent about an order so far, optionally of one type, in arrival order. */
export function sentAbout(harness: ServiceHarness, orderId: string, type?: MessageType): SentMessage[] {
  return harness.sent(type).filter((message) => message.correlationId === orderId);
}
