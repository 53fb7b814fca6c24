/** Figures read from a service's Prometheus `/metrics`: handler durations and event-loop delay. */

/** One sample line of the text format: its labels as written and its value. */
export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

/** Every sample of metric `name` in a `/metrics` text (exact name, so `_sum` and `_count` are their own). */
export function samplesOf(text: string, name: string): MetricSample[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
      const labels = Object.fromEntries(
        [...labelText.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]),
      );
      return { labels, value: Number(line.slice(line.lastIndexOf(' ') + 1)) };
    });
}

/** The `/metrics` text of a service, or an empty text if it does not answer. */
export async function scrapeMetrics(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5_000) }).catch(
    () => undefined,
  );
  return response?.ok ? response.text() : '';
}

/**
 * Mean milliseconds per handled delivery, by message type, between two scrapes of one service
 * (`message_handling_duration_seconds` sum and count).
 */
export function handlerMeans(before: string, after: string): Map<string, number> {
  const totals = (text: string, suffix: string) =>
    new Map(
      samplesOf(text, `message_handling_duration_seconds_${suffix}`).map((sample) => [
        sample.labels.type,
        sample.value,
      ]),
    );
  const [sumBefore, countBefore, sumAfter, countAfter] = [
    totals(before, 'sum'),
    totals(before, 'count'),
    totals(after, 'sum'),
    totals(after, 'count'),
  ];
  const means = new Map<string, number>();
  for (const [type, count] of countAfter) {
    const handled = count - (countBefore.get(type) ?? 0);
    if (handled > 0) {
      means.set(type, ((sumAfter.get(type)! - (sumBefore.get(type) ?? 0)) / handled) * 1000);
    }
  }
  return means;
}

/**
 * Mean deliveries per consumer transaction (`messages_per_transaction` sum ÷ count) over all the processes,
 * between two scrapes of each; NaN when no delivery was handled.
 */
export function meanDeliveriesPerTransaction(
  before: Map<string, string>,
  after: Map<string, string>,
): number {
  const total = (text: string | undefined, suffix: string) =>
    samplesOf(text ?? '', `messages_per_transaction_${suffix}`).reduce(
      (sum, sample) => sum + sample.value,
      0,
    );
  let deliveries = 0;
  let transactions = 0;
  for (const [name, text] of after) {
    deliveries += total(text, 'sum') - total(before.get(name), 'sum');
    transactions += total(text, 'count') - total(before.get(name), 'count');
  }
  return transactions > 0 ? deliveries / transactions : Number.NaN;
}
