/**
 * The order saga's REST contract as the compose test uses it, over the ports the stack is published on:
 * seed a product and an account, place an order, and read what each service then holds about it.
 */
import { HttpAnswer, httpClient, waitFor } from '@platform/testing';

/** Response bodies are whatever JSON the service sent; the spec asserts on their shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Base URLs of the four services of the saga. */
export interface SagaUrls {
  order: string;
  inventory: string;
  payment: string;
  notification: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

function expectStatus(answer: HttpAnswer, what: string, ...statuses: number[]): Json {
  if (!statuses.includes(answer.status)) {
    throw new Error(
      `${what}: expected ${statuses.join(' or ')}, got ${answer.status} ${answer.text.slice(0, 300)}`,
    );
  }
  return answer.body;
}

export function sagaClient(urls: SagaUrls) {
  const [order, inventory, payment, notification] = [
    urls.order,
    urls.inventory,
    urls.payment,
    urls.notification,
  ].map((url) => httpClient(url, { timeoutMs: REQUEST_TIMEOUT_MS }));
  const get = async (client: typeof order, path: string) =>
    expectStatus(await client.get(path), `GET ${path}`, 200);
  return {
    /** PUT answers 201 for a new product or account, 200 for a replaced one. */
    putProduct: async (sku: string, product: { name: string; price: number; stock: number }) =>
      expectStatus(await inventory.put(`/products/${sku}`, product), `PUT /products/${sku}`, 200, 201),
    putAccount: async (customerId: string, credit: number) =>
      expectStatus(
        await payment.put(`/accounts/${customerId}`, { credit }),
        `PUT /accounts/${customerId}`,
        200,
        201,
      ),
    /** Places an order of one line; resolves to its id. */
    placeOrder: async (
      customerId: string,
      sku: string,
      quantity: number,
      idempotencyKey: string,
    ): Promise<string> => {
      const answer = await order.post(
        '/orders',
        { customerId, items: [{ sku, quantity }] },
        { 'Idempotency-Key': idempotencyKey },
      );
      return expectStatus(answer, 'POST /orders', 202).id;
    },
    order: (id: string) => get(order, `/orders/${id}`),
    /** The order once the saga has ended it, CONFIRMED or CANCELLED. */
    finishedOrder: (id: string, timeoutMs = 60_000) =>
      waitFor(
        `order ${id} to be CONFIRMED or CANCELLED`,
        async () => {
          const body = await get(order, `/orders/${id}`);
          return ['CONFIRMED', 'CANCELLED'].includes(body.status) ? body : undefined;
        },
        timeoutMs,
        250,
      ),
    product: (sku: string) => get(inventory, `/products/${sku}`),
    payments: (orderId: string) => get(payment, `/payments?orderId=${orderId}`),
    notifications: (orderId: string) => get(notification, `/notifications?orderId=${orderId}`),
  };
}
