/**
 * One shape of the platform (replicas, tracing) started fresh, seeded, put through the load shapes asked
 * for, and measured: saga latency from the orders' histories, POST latency, throughput and efficiency,
 * CPU per order and resident memory of every process, and whether every accepted order ended.
 */
import { query } from '@platform/testing';
import { BenchOptions } from './bench-options';
import { BenchPlatform, PlatformShape } from './bench-platform';
import { historySteps, HopStretch, hopTimeline } from './hop-timeline';
import { OrderClient } from './order-client';
import { GroupUsage, pidsNamed, UsageSampler, WatchedGroup } from './process-usage';
import { ResultRow } from './report-table';
import { closedLoop, lightLoad, LoadResult, openLoop, seedCatalogue } from './saga-load';
import { formatMs, formatRate, summarize } from './statistics';

/** The SPEC's fewest transactions per order (section 7). */
const TRANSACTIONS_PER_ORDER = 7;
const RESIDENT_LIMIT_MB = 200;
const WARM_UP_ORDERS = 5;

export interface PlatformRun {
  label: string;
  shape: PlatformShape;
  loads: Array<'light' | 'open' | 'closed'>;
}

export interface PlatformRunResult {
  rows: ResultRow[];
  hops: HopStretch[];
}

const mb = (bytes: number) => bytes / 2 ** 20;

function processGroups(platform: BenchPlatform): WatchedGroup[] {
  return [
    ...platform.processes.map((entry) => ({
      name: `${entry.service}-service #${entry.replica + 1}`,
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

/** Orders by final status in the order database, and payments captured: what two replicas must not lose. */
async function ledgerRows(section: string, platform: BenchPlatform): Promise<ResultRow[]> {
  const orders = await query<{ status: string; count: number }>(
    platform.databases.order,
    'SELECT status, count(*)::int AS count FROM orders GROUP BY status ORDER BY status',
  );
  const [payments] = await query<{ captured: number; orders: number }>(
    platform.databases.payment,
    `SELECT count(*) FILTER (WHERE status = 'CAPTURED')::int AS captured, count(DISTINCT order_id)::int AS orders FROM payments`,
  );
  const [notifications] = await query<{ count: number }>(
    platform.databases.notification,
    'SELECT count(*)::int AS count FROM notifications',
  );
  return [
    {
      section,
      measure: 'orders by status / payments captured / notifications',
      value: `${orders.map((row) => `${row.status} ${row.count}`).join(', ')} / ${payments.captured} / ${notifications.count}`,
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
  let hops: HopStretch[] = [];
  let client: OrderClient | undefined;
  try {
    const catalogue = await seedCatalogue(platform);
    client = await OrderClient.open(rabbitmqUrl, platform.urls('order'), catalogue);
    await lightLoad(client, WARM_UP_ORDERS, () => undefined);
    if (run.loads.includes('light')) {
      progress(`${section}: light load, ${options.lightOrders} orders one at a time`);
      const light = await lightLoad(client, options.lightOrders, progress);
      const saga = summarize(light.sagaMs);
      const seen = summarize(light.clientMs);
      rows.push(
        { section, measure: 'light load: saga p50 (history)', value: formatMs(saga.p50), target: '< 50 ms' },
        { section, measure: 'light load: saga p99 (history)', value: formatMs(saga.p99), target: '< 150 ms' },
        { section, measure: 'light load: POST → terminal event seen, p50', value: formatMs(seen.p50) },
      );
      const ids = light.orders.map((order) => order.id);
      hops = [
        ...historySteps(light.orders.map((order) => order.history)),
        ...(await hopTimeline(platform.databases, ids)),
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
      progress(`${section}: closed loop, ${options.clients} clients for ${options.durationS} s`);
      const sampler = new UsageSampler(processGroups(platform));
      sampler.start();
      const closed = await closedLoop(client, options.clients, options.durationS, progress);
      const usage = sampler.stop();
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
