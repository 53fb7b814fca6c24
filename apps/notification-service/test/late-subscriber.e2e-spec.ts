import {
  infrastructure,
  Platform,
  startPlatform,
  testRabbitmqUrl,
  uniqueSuffix,
  waitFor,
} from '@platform/testing';

/**
 * A brand-new broker (a vhost of its own) on which notification-service starts only after orders have been
 * confirmed: the events published before it ever ran must wait for it in its queue, not be lost.
 */
describe('a subscriber that starts after the events it wants were published', () => {
  const vhost = `late-${uniqueSuffix()}`;
  let platform: Platform;

  beforeAll(async () => {
    infrastructure.createVhost(vhost);
    const url = new URL(testRabbitmqUrl);
    url.pathname = `/${vhost}`;
    platform = await startPlatform({}, { RABBITMQ_URL: url.toString() }, { later: ['notification'] });
  }, 90_000);
  afterAll(async () => {
    await platform?.stop();
    infrastructure.deleteVhost(vhost);
  });

  it('gets every one of them once it starts', async () => {
    const sku = `late-${uniqueSuffix()}`;
    expect(
      (await platform.http.inventory.put(`/products/${sku}`, { name: 'late', price: 2, stock: 10 })).status,
    ).toBe(201);
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const placed = await platform.http.order.post('/orders', {
        customerId: `late-${index}`,
        items: [{ sku, quantity: 1 }],
      });
      expect(placed.status).toBe(202);
      ids.push(placed.body.id);
    }
    for (const id of ids) {
      await waitFor(
        `order ${id} to be confirmed`,
        async () => (await platform.http.order.get(`/orders/${id}`)).body.status === 'CONFIRMED',
      );
    }
    await platform.restart('notification');
    for (const id of ids) {
      const notifications = await waitFor(`the notification of ${id}`, async () => {
        const answer = await platform.http.notification.get(`/notifications?orderId=${id}`);
        return answer.body?.length ? answer.body : undefined;
      });
      expect(notifications).toEqual([expect.objectContaining({ orderId: id, type: 'ORDER_CONFIRMED' })]);
    }
  }, 60_000);
});
