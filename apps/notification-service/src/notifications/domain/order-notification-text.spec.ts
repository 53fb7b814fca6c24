import { cancellationText, confirmationText } from './order-notification-text';

const orderId = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';

describe('confirmationText', () => {
  const text = confirmationText({
    orderId,
    lines: [
      { sku: 'TEA-GREEN', quantity: 3, unitPrice: 0.1 },
      { sku: 'MUG', quantity: 1, unitPrice: 12.5 },
    ],
    total: 12.8,
  });

  it('names the order by the start of its id in the subject', () => {
    expect(text.subject).toBe('Order 3f2a9c1e… confirmed');
  });

  it('lists every line with its amount, without floating-point noise', () => {
    expect(text.body).toContain('  3 × TEA-GREEN at 0.10 = 0.30');
    expect(text.body).toContain('  1 × MUG at 12.50 = 12.50');
  });

  it('states the full order id and the total with two decimals', () => {
    expect(text.body).toContain(`your order ${orderId} is confirmed.`);
    expect(text.body).toContain('Total: 12.80');
  });
});

describe('cancellationText', () => {
  it('names the order in the subject', () => {
    expect(cancellationText({ orderId, reason: 'TIMEOUT' }).subject).toBe('Order 3f2a9c1e… cancelled');
  });

  it.each([
    ['OUT_OF_STOCK', 'because some of its items are out of stock.'],
    ['UNKNOWN_PRODUCT', 'because some of its items are not in our catalogue.'],
    ['PAYMENT_DECLINED', 'because the payment was declined.'],
    ['TIMEOUT', 'because it could not be processed in time.'],
  ] as const)('explains %s in plain words', (reason, explanation) => {
    const { body } = cancellationText({ orderId, reason });
    expect(body).toContain(`your order ${orderId} was cancelled ${explanation}`);
    expect(body).not.toContain(reason);
  });
});
