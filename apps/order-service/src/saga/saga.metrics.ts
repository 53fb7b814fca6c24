import { metricsRegistry } from '@platform/observability';
import { Gauge, Histogram } from 'prom-client';

/** `saga_duration_seconds{outcome}`: from accepting an order to confirming or cancelling it. */
export const sagaDuration = new Histogram({
  name: 'saga_duration_seconds',
  help: 'Time from accepting an order to its end, by outcome: confirmed or cancelled',
  labelNames: ['outcome'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [metricsRegistry],
});
// Both series exist from the start, so dashboards and alerts see 0 rather than no data.
sagaDuration.zero({ outcome: 'confirmed' });
sagaDuration.zero({ outcome: 'cancelled' });

let countOverdue: () => Promise<number> = async () => 0;

/** Tells the `saga_overdue_orders` gauge how to count, read at each scrape. */
export function countOverdueOrdersWith(counter: () => Promise<number>): void {
  countOverdue = counter;
}

/**
 * `saga_overdue_orders`: pending orders past their step deadline by more than the watcher's grace, i.e. that
 * the step-timeout watcher should have cancelled and did not (it is stopped, failing, or far behind).
 */
export const sagaOverdue = new Gauge({
  name: 'saga_overdue_orders',
  help: 'Pending orders past their step deadline that no timeout watcher has ended yet',
  registers: [metricsRegistry],
  async collect() {
    this.set(await countOverdue().catch(() => Number.NaN));
  },
});
