import { handlerMeans, meanDeliveriesPerTransaction, samplesOf } from './service-metrics';

const scrape = (sum: number, count: number) =>
  [
    '# HELP message_handling_duration_seconds Time to handle one delivery',
    `message_handling_duration_seconds_bucket{le="0.01",queue="order.events",type="StockReserved"} ${count}`,
    `message_handling_duration_seconds_sum{queue="order.events",type="StockReserved"} ${sum}`,
    `message_handling_duration_seconds_count{queue="order.events",type="StockReserved"} ${count}`,
    'nodejs_eventloop_lag_p99_seconds 0.012',
  ].join('\n');

describe('samplesOf', () => {
  it('reads labels and values of exactly the metric named', () => {
    expect(samplesOf(scrape(0.5, 10), 'message_handling_duration_seconds_count')).toEqual([
      { labels: { queue: 'order.events', type: 'StockReserved' }, value: 10 },
    ]);
    expect(samplesOf(scrape(0.5, 10), 'nodejs_eventloop_lag_p99_seconds')).toEqual([
      { labels: {}, value: 0.012 },
    ]);
  });
});

describe('handlerMeans', () => {
  it('averages only what was handled between the two scrapes, in milliseconds', () => {
    const means = handlerMeans(scrape(0.5, 10), scrape(0.9, 30));
    expect(means.get('StockReserved')).toBeCloseTo(20);
  });

  it('leaves out types nothing was handled of meanwhile', () => {
    expect(handlerMeans(scrape(0.5, 10), scrape(0.5, 10)).size).toBe(0);
  });
});

describe('meanDeliveriesPerTransaction', () => {
  const batches = (sum: number, count: number) =>
    `messages_per_transaction_sum ${sum}\nmessages_per_transaction_count ${count}\nmessages_per_transaction_bucket{le="1"} 3`;

  it('divides the deliveries by the transactions of every process between the scrapes', () => {
    const before = new Map([
      ['order-service #1', batches(10, 10)],
      ['payment-service #1', batches(4, 4)],
    ]);
    const after = new Map([
      ['order-service #1', batches(40, 20)],
      ['payment-service #1', batches(14, 8)],
    ]);
    expect(meanDeliveriesPerTransaction(before, after)).toBeCloseTo(40 / 14);
  });

  it('is NaN when nothing was handled, and counts a process missing from the first scrape from zero', () => {
    expect(meanDeliveriesPerTransaction(new Map(), new Map([['a', batches(0, 0)]]))).toBeNaN();
    expect(meanDeliveriesPerTransaction(new Map(), new Map([['a', batches(6, 3)]]))).toBe(2);
  });
});
