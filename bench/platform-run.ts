/**
 * One shape of the platform (replicas, tracing) started fresh, seeded, put through the load shapes asked
 * for, and measured: saga latency from the orders' histories, POST latency, throughput and efficiency,
 * CPU per order and resident memory of every process, and whether every accepted order ended.
 */
import { query, sleep } from '@platform/testing';
import { BenchOptions } from './bench-options';
import { BenchPlatform, BenchProcess, PlatformShape } from './bench-platform';
import { historySteps, hopTimeline } from './hop-timeline';
import { OrderClient } from './order-client';
import { GroupUsage, pidsNamed, UsageSampler, WatchedGroup } from './process-usage';
import { ResultRow } from './report-table';
import { handlerMeans, meanDeliveriesPerTransaction, samplesOf, scrapeMetrics } from './service-metrics';
import { closedLoop, lightLoad, LoadResult, openLoop, seedCatalogue } from './saga-load';
import { formatMs, formatRate, summarize } from './statistics';

/** The SPEC's fewest transactions per order (section 7). */
const TRANSACTIONS_PER_ORDER = 7;
const RESIDENT_LIMIT_MB = 200;
const WARM_UP_ORDERS = 5;
/** PostgreSQL 15 backends flush their statistics at the latest after 10 s idle (PGSTAT_IDLE_INTERVAL). */
const STATISTICS_FLUSH_MS = 11_000;
const LEDGER_SETTLE_MS = 15_000;

export interface PlatformRun {
  label: string;
  shape: PlatformShape;
  loads: Array<'light' | 'open' | 'closed'>;
  /**
   * Counts PostgreSQL transactions per order at light load (pg_stat_database). Backends flush their counts
   * only after some idle seconds, so this waits STATISTICS_FLUSH_MS before and after: one shape is enough.
   */
  countTransactions: boolean;
}

export interface PlatformRunResult {
  rows: ResultRow[];
  /** Where the time goes at light load: per hop, per handler, event-loop delay. */
  hops: ResultRow[];
}

const mb = (bytes: number) => bytes / 2 ** 20;

function processGroups(platform: BenchPlatform): WatchedGroup[] {
  return [
    ...platform.processes.map((entry) => ({
      name: processName(entry),
      pids: () => (entry.process.process.pid ? [entry.process.process.pid] : []),
      sampleMemory: true,
    })),
    { name: 'PostgreSQL (whole server)', pids: () => pidsNamed('postgres'), sampleMemory: false },
    { name: 'RabbitMQ (whole node)', pids: () => pidsNamed('beam.smp'), sampleMemory: false },
  ];
}

function loadRows(section: string, result: LoadResult): ResultRow[] {
  const accepted = result.placements.filter((placement) => placement.status === 202).length;
  const refused = result.placements.length - accepted;
  return [
    {
      section,
      measure: 'orders accepted / not accepted / never ended / cancelled',
      value: `${accepted} / ${refused} / ${result.neverEnded} / ${result.notConfirmed}`,
      target: 'nothing lost: 0 never ended',
    },
    { section, measure: 'drain after the window', value: `${result.drainS.toFixed(1)} s` },
  ];
}

function usageRows(section: string, usage: GroupUsage[], orders: number): ResultRow[] {
  return usage.flatMap((group) => [
    {
      section,
      measure: `CPU per order: ${group.name}`,
      value: formatMs((group.cpuSeconds * 1000) / Math.max(1, orders)),
    },
    ...(group.peakResidentBytes > 0
      ? [
          {
            section,
            measure: `peak RSS: ${group.name}`,
            value: `${mb(group.peakResidentBytes).toFixed(0)} MB`,
            target: `< ${RESIDENT_LIMIT_MB} MB`,
          },
        ]
      : []),
  ]);
}

/** Transactions ended in the platform's databases so far, once the backends have flushed their counts. */
async function committedTransactions(platform: BenchPlatform): Promise<number> {
  await sleep(STATISTICS_FLUSH_MS);
  const [row] = await query<{ ended: number }>(
    'postgres',
    'SELECT sum(xact_commit + xact_rollback)::int AS ended FROM pg_stat_database WHERE datname = ANY($1)',
    [Object.values(platform.databases)],
  );
  return row.ended;
}

/** Every process's `/metrics`, by process name. */
async function scrapeAll(platform: BenchPlatform): Promise<Map<string, string>> {
  const scraped = await Promise.all(
    platform.processes.map(
      async (entry) => [processName(entry), await scrapeMetrics(entry.process.url)] as const,
    ),
  );
  return new Map(scraped);
}

const processName = (entry: BenchProcess) => `${entry.service}-service #${entry.replica + 1}`;

/** Handler means (`message_handling_duration_seconds`) and event-loop delay p99 of each process. */
function internalsRows(before: Map<string, string>, after: Map<string, string>): ResultRow[] {
  return [...after].flatMap(([name, text]) => [
    ...[...handlerMeans(before.get(name) ?? '', text)].map(([type, mean]) => ({
      section: 'handlers (metrics)',
      measure: `${type} in ${name}, mean`,
      value: formatMs(mean),
    })),
    {
      section: 'event loop',
      measure: `delay p99 in ${name} (nodejs_eventloop_lag_p99_seconds)`,
      value: formatMs((samplesOf(text, 'nodejs_eventloop_lag_p99_seconds')[0]?.value ?? Number.NaN) * 1000),
    },
  ]);
}

/**
 * Orders by final status in the order database, payments captured and notifications: what two replicas must
 * not lose. Read once the services have settled (the counts stop changing, at most LEDGER_SETTLE_MS): the
 * client's last terminal event can come before notification-service has handled the same event.
 */
async function ledgerRows(section: string, platform: BenchPlatform): Promise<ResultRow[]> {
  const read = async () => {
    const orders = await query<{ status: string; count: number }>(
      platform.databases.order,
      'SELECT status, count(*)::int AS count FROM orders GROUP BY status ORDER BY status',
    );
    const [payments] = await query<{ captured: number }>(
      platform.databases.payment,
      `SELECT count(*) FILTER (WHERE status = 'CAPTURED')::int AS captured FROM payments`,
    );
    const [notifications] = await query<{ count: number }>(
      platform.databases.notification,
      'SELECT count(*)::int AS count FROM notifications',
    );
    return `${orders.map((row) => `${row.status} ${row.count}`).join(', ')} / ${payments.captured} / ${notifications.count}`;
  };
  const deadline = performance.now() + LEDGER_SETTLE_MS;
  let previous = '';
  let current = await read();
  while (current !== previous && performance.now() < deadline) {
    await sleep(500);
    [previous, current] = [current, await read()];
  }
  return [
    {
      section,
      measure: 'orders by status / payments captured / notifications',
      value: current,
      target: 'each confirmed order paid and notified once',
    },
  ];
}

export async function runPlatform(
  run: PlatformRun,
  options: BenchOptions,
  rabbitmqUrl: string,
  postgresTxRate: number | undefined,
  progress: (line: string) => void,
): Promise<PlatformRunResult> {
  const section = run.label;
  progress(`${section}: starting the services`);
  const platform = await BenchPlatform.start(rabbitmqUrl, run.shape);
  const rows: ResultRow[] = [];
  let hops: ResultRow[] = [];
  let client: OrderClient | undefined;
  try {
    const catalogue = await seedCatalogue(platform);
    client = await OrderClient.open(rabbitmqUrl, platform.urls('order'), catalogue);
    await lightLoad(client, WARM_UP_ORDERS, () => undefined);
    if (run.loads.includes('light')) {
      progress(`${section}: light load, ${options.lightOrders} orders one at a time`);
      const committedBefore = run.countTransactions ? await committedTransactions(platform) : 0;
      const before = await scrapeAll(platform);
      const light = await lightLoad(client, options.lightOrders, progress);
      const after = await scrapeAll(platform);
      if (run.countTransactions) {
        const committed = (await committedTransactions(platform)) - committedBefore;
        rows.push({
          section,
          measure: 'light load: PostgreSQL transactions per order (all services, relay polls included)',
          value: (committed / light.orders.length).toFixed(1),
          target: '7 at the fewest (SPEC section 7)',
        });
      }
      const saga = summarize(light.sagaMs);
      const seen = summarize(light.clientMs);
      rows.push(
        { section, measure: 'light load: saga p50 (history)', value: formatMs(saga.p50), target: '< 50 ms' },
        { section, measure: 'light load: saga p99 (history)', value: formatMs(saga.p99), target: '< 150 ms' },
        { section, measure: 'light load: POST → terminal event seen, p50', value: formatMs(seen.p50) },
      );
      const ids = light.orders.map((order) => order.id);
      hops = [
        ...[
          ...historySteps(light.orders.map((order) => order.history)),
          ...(await hopTimeline(platform.databases, ids)),
        ].map((stretch) => ({
          section: 'per hop',
          measure: stretch.stretch,
          value: formatMs(stretch.p50),
          target: `p99 ${formatMs(stretch.p99)} (n ${stretch.count})`,
        })),
        ...internalsRows(before, after),
      ];
    }
    if (run.loads.includes('open')) {
      progress(`${section}: open loop, ${options.openRate} orders/s for ${options.durationS} s`);
      const open = await openLoop(client, options.openRate, options.durationS, progress);
      const post = summarize(open.placements.map((placement) => placement.postMs));
      rows.push(
        { section, measure: `open loop ${options.openRate}/s: POST /orders p50`, value: formatMs(post.p50) },
        {
          section,
          measure: `open loop ${options.openRate}/s: POST /orders p99`,
          value: formatMs(post.p99),
          target: '< 50 ms',
        },
        ...loadRows(section, open),
      );
    }
    if (run.loads.includes('closed')) {
      if (options.warmupS > 0) {
        progress(
          `${section}: closed loop warm-up, ${options.clients} clients for ${options.warmupS} s (not measured)`,
        );
        await closedLoop(client, options.clients, options.warmupS, progress);
      }
      progress(`${section}: closed loop, ${options.clients} clients for ${options.durationS} s`);
      const sampler = new UsageSampler(processGroups(platform));
      const metricsBefore = await scrapeAll(platform);
      sampler.start();
      const closed = await closedLoop(client, options.clients, options.durationS, progress);
      const usage = sampler.stop();
      const perTransaction = meanDeliveriesPerTransaction(metricsBefore, await scrapeAll(platform));
      const rate = closed.endedInWindow / closed.windowS;
      rows.push(
        {
          section,
          measure: `closed loop ${options.clients} clients: orders ended`,
          value: formatRate(rate, 'orders'),
        },
        {
          section,
          measure: 'efficiency: orders/s × 7 ÷ PostgreSQL two-insert tx/s',
          value: postgresTxRate
            ? ((rate * TRANSACTIONS_PER_ORDER) / postgresTxRate).toFixed(3)
            : 'n/a (no baseline)',
          target: '≥ 0.35, aim 0.5',
        },
        {
          section,
          measure: 'closed loop: deliveries per consumer transaction, mean (messages_per_transaction)',
          value: perTransaction.toFixed(2),
          target: `at most MESSAGING_BATCH_SIZE`,
        },
        ...loadRows(section, closed),
        // CPU over the window and the drain: every order placed in it, wherever its work fell.
        ...usageRows(section, usage, closed.placements.length),
      );
    }
    rows.push(...(await ledgerRows(section, platform)));
  } finally {
    await client?.close();
    await platform.stop();
  }
  return { rows, hops };
}
