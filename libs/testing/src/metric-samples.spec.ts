import { sumOfSamples } from './metric-samples';

describe('sumOfSamples', () => {
  const exposition = [
    '# HELP messages_consumed_total Deliveries taken from a queue',
    '# TYPE messages_consumed_total counter',
    'messages_consumed_total{queue="payment.commands",type="ChargePayment",outcome="handled"} 7',
    'messages_consumed_total{queue="payment.commands",type="ChargePayment",outcome="duplicate"} 2',
    'messages_consumed_total{queue="payment.commands",type="RefundPayment",outcome="duplicate"} 1',
    'messages_consumed_total_created{queue="payment.commands",outcome="duplicate"} 1700000000',
    'messages_decoded_total{queue="payment.commands",type="ChargePayment",version="1"} 4',
    'messages_decoded_total{queue="payment.commands",type="ChargePayment",version="12"} 5',
    'outbox_pending_messages 3',
    'odd_labels{reason="a \\"quoted\\" word, and more"} 1',
  ].join('\n');

  it('adds up the samples of the metric whose labels include the ones given', () => {
    expect(sumOfSamples(exposition, 'messages_consumed_total', { outcome: 'duplicate' })).toBe(3);
    expect(
      sumOfSamples(exposition, 'messages_consumed_total', { type: 'ChargePayment', outcome: 'duplicate' }),
    ).toBe(2);
    expect(sumOfSamples(exposition, 'messages_consumed_total')).toBe(10);
  });

  it('matches label values whole, not as prefixes', () => {
    expect(sumOfSamples(exposition, 'messages_decoded_total', { version: '1' })).toBe(4);
  });

  it('reads a sample without labels, and label values with escaped quotes and commas', () => {
    expect(sumOfSamples(exposition, 'outbox_pending_messages')).toBe(3);
    expect(sumOfSamples(exposition, 'odd_labels', { reason: 'a "quoted" word, and more' })).toBe(1);
  });

  it('gives 0 for a metric or labels that no sample has', () => {
    expect(sumOfSamples(exposition, 'messages_dead_lettered_total')).toBe(0);
    expect(sumOfSamples(exposition, 'messages_consumed_total', { outcome: 'retried' })).toBe(0);
  });
});
