/**
 * `npm run bench [-- scenario ... --duration=s ...]`: the whole order flow against the machine's own limits,
 * in one run on this host's RabbitMQ and PostgreSQL (RABBITMQ_URL, TEST_POSTGRES_URL), with the services
 * started from their build. Prints progress while it runs and a table at the end, appended to
 * docs/benchmarks.md (unless --no-record). See docs/benchmarks.md for what each figure means.
 */
import 'reflect-metadata';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrivateRabbitmq, query, repositoryRoot, testRabbitmqUrl } from '@platform/testing';
import { BenchOptions, parseBenchOptions } from './bench-options';
import { measurePostgres, measureRabbitmq, rabbitmqVersion } from './infrastructure-baselines';
import { describeMachine } from './machine';
import { OtlpSink } from './otlp-sink';
import { measureOutboxDrain } from './outbox-drain';
import { PlatformRun, runPlatform } from './platform-run';
import { markdownTable, ResultRow } from './report-table';
import { formatMs, formatRate } from './statistics';

const BASELINE_MS = 4_000;
const POSTGRES_CONNECTIONS = 16;

const began = performance.now();
const progress = (line: string) =>
  console.log(`[${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}`);

/** The shapes of the platform the chosen scenarios need, in order. */
function platformRuns(options: BenchOptions, sink: OtlpSink | undefined): PlatformRun[] {
  const chosen = new Set(options.scenarios);
  const applyTopology = !options.privateBroker;
  const runs: PlatformRun[] = [];
  const loads = (['light', 'open', 'closed'] as const).filter((load) => chosen.has(load));
  if (loads.length > 0) {
    runs.push({
      label: '1 replica, tracing off',
      shape: { replicas: 1, environment: {}, applyTopology },
      loads,
      countTransactions: true,
    });
  }
  if (sink) {
    runs.push({
      label: '1 replica, tracing to local OTLP',
      shape: { replicas: 1, environment: sink.environment, applyTopology },
      loads: ['light', 'closed'],
      countTransactions: false,
    });
  }
  if (chosen.has('replicas')) {
    runs.push({
      label: '2 replicas each, tracing off',
      shape: { replicas: 2, environment: {}, applyTopology },
      loads: ['light', 'closed'],
      countTransactions: false,
    });
  }
  return runs;
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  let broker: PrivateRabbitmq | undefined;
  if (options.privateBroker) {
    progress('starting a private RabbitMQ node');
    broker = await PrivateRabbitmq.start();
  }
  try {
    await measure(options, broker?.url() ?? testRabbitmqUrl);
  } finally {
    await broker?.destroy();
  }
}

async function measure(options: BenchOptions, rabbitmqUrl: string): Promise<void> {
  progress(
    `scenarios: ${options.scenarios.join(', ')}; broker ${new URL(rabbitmqUrl).host}${new URL(rabbitmqUrl).pathname}`,
  );
  const rows: ResultRow[] = [];
  let postgresTxRate: number | undefined;
  if (options.scenarios.includes('baseline')) {
    progress('baseline: PostgreSQL two-insert transactions');
    const postgres = await measurePostgres(BASELINE_MS, POSTGRES_CONNECTIONS);
    postgresTxRate = postgres.concurrentRate;
    progress('baseline: RabbitMQ confirmed publishes');
    const rabbitmq = await measureRabbitmq(rabbitmqUrl, BASELINE_MS);
    const section = 'infrastructure alone';
    rows.push(
      {
        section,
        measure: 'PostgreSQL two-insert tx, one connection',
        value: formatRate(postgres.oneConnectionRate, 'tx'),
        target: `p50 ${formatMs(postgres.oneConnectionLatency.p50)} each`,
      },
      {
        section,
        measure: `PostgreSQL two-insert tx, ${postgres.connections} connections`,
        value: formatRate(postgres.concurrentRate, 'tx'),
        target: 'efficiency denominator',
      },
      {
        section,
        measure: 'RabbitMQ confirmed publish, one at a time (quorum, persistent)',
        value: `p50 ${formatMs(rabbitmq.oneAtATimeLatency.p50)}`,
        target: `p99 ${formatMs(rabbitmq.oneAtATimeLatency.p99)}`,
      },
      {
        section,
        measure: 'RabbitMQ confirmed publishes, pipelined',
        value: formatRate(rabbitmq.pipelinedRate, 'msg'),
      },
    );
  }
  if (options.scenarios.includes('outbox')) {
    progress('outbox: raw publish rate, relay drain, commit → consumer');
    const outbox = await measureOutboxDrain(rabbitmqUrl);
    const section = 'outbox relay (in-process)';
    rows.push(
      { section, measure: 'raw confirmed publishes, pipelined', value: formatRate(outbox.rawRate, 'msg') },
      { section, measure: 'outbox write, one transaction', value: formatRate(outbox.writeRate, 'rows') },
      {
        section,
        measure: 'outbox drain by the relay',
        value: formatRate(outbox.drainRate, 'msg'),
        target: `${(outbox.drainRate / outbox.rawRate).toFixed(2)} of raw (target ≥ 0.5)`,
      },
      {
        section,
        measure: 'commit → consumer p50',
        value: formatMs(outbox.commitToConsumer.p50),
        target: '< 10 ms',
      },
      { section, measure: 'commit → consumer p99', value: formatMs(outbox.commitToConsumer.p99) },
    );
  }
  const sink = options.scenarios.includes('tracing') ? await OtlpSink.start() : undefined;
  const hops: Array<{ label: string; rows: ResultRow[] }> = [];
  try {
    for (const run of platformRuns(options, sink)) {
      const result = await runPlatform(run, options, rabbitmqUrl, postgresTxRate, progress);
      rows.push(...result.rows);
      // One breakdown is enough to read; the other shapes show theirs through the summary rows.
      if (result.hops.length > 0 && hops.length === 0) hops.push({ label: run.label, rows: result.hops });
    }
  } finally {
    await sink?.stop();
  }
  if (sink)
    rows.push({
      section: '1 replica, tracing to local OTLP',
      measure: 'OTLP exports received',
      value: `${sink.exports} (${(sink.bytes / 2 ** 20).toFixed(1)} MB)`,
    });

  const [{ server_version: postgresVersion }] = await query<{ server_version: string }>(
    'postgres',
    'SHOW server_version',
  );
  const machine = describeMachine({
    postgres: postgresVersion,
    rabbitmq: await rabbitmqVersion(rabbitmqUrl),
  });
  const settings = `scenarios ${options.scenarios.join(' ')}; loops ${options.durationS} s, open ${options.openRate}/s, closed ${options.clients} clients after ${options.warmupS} s of warm-up, light ${options.lightOrders} orders${options.privateBroker ? '; private RabbitMQ node' : ''}`;
  const report = [
    `### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine}`,
    '',
    settings,
    '',
    markdownTable(rows),
    '',
    ...hops.flatMap(({ label, rows: breakdown }) => [
      `Where the time goes at light load (${label}): per hop, medians and p99 over the orders; handler means and event-loop delay from each process's /metrics over the same orders:`,
      '',
      markdownTable(breakdown),
      '',
    ]),
  ].join('\n');
  console.log(`\n${report}`);
  if (options.record) appendFileSync(join(repositoryRoot, 'docs', 'benchmarks.md'), `\n${report}`);
  progress(options.record ? 'appended to docs/benchmarks.md' : 'not recorded (--no-record)');
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench failed: ${error.stack}`);
    process.exit(1);
  },
);
