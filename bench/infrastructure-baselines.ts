/**
 * What PostgreSQL and RabbitMQ do on their own on this host, measured in the same run as the platform so
 * the platform's figures can be read as ratios: two-insert transactions per second (one connection and
 * many) and confirmed persistent publishes to a quorum queue (one at a time and pipelined).
 */
import { connect } from 'amqplib';
import { Client } from 'pg';
import { databaseUrl, dropDatabase, query, uniqueSuffix } from '@platform/testing';
import { Summary, summarize } from './statistics';

export interface PostgresBaseline {
  /** Two-insert transactions per second on one connection, one after the other. */
  oneConnectionRate: number;
  oneConnectionLatency: Summary;
  /** The same with `connections` clients at once: PostgreSQL's throughput on this host. */
  concurrentRate: number;
  connections: number;
}

export interface RabbitmqBaseline {
  /** Publish-to-confirm latency of one persistent message at a time to a quorum queue. */
  oneAtATimeLatency: Summary;
  /** Confirmed persistent publishes per second, pipelined in windows. */
  pipelinedRate: number;
}

const payload = 'x'.repeat(200);

/** BEGIN, two INSERTs, COMMIT in a loop for `durationMs`; resolves to each transaction's duration. */
async function twoInsertLoop(url: string, durationMs: number): Promise<number[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const latencies: number[] = [];
  try {
    const until = performance.now() + durationMs;
    while (performance.now() < until) {
      const started = performance.now();
      await client.query('BEGIN');
      await client.query('INSERT INTO first_table (payload) VALUES ($1)', [payload]);
      await client.query('INSERT INTO second_table (payload) VALUES ($1)', [payload]);
      await client.query('COMMIT');
      latencies.push(performance.now() - started);
    }
  } finally {
    await client.end();
  }
  return latencies;
}

export async function measurePostgres(durationMs: number, connections: number): Promise<PostgresBaseline> {
  const database = `bench_baseline_${uniqueSuffix()}`;
  await query('postgres', `CREATE DATABASE ${database}`);
  try {
    for (const table of ['first_table', 'second_table']) {
      await query(
        database,
        `CREATE TABLE ${table} (id bigserial PRIMARY KEY, payload text NOT NULL, at timestamptz DEFAULT clock_timestamp())`,
      );
    }
    const url = databaseUrl(database);
    const one = await twoInsertLoop(url, durationMs);
    const many = await Promise.all(Array.from({ length: connections }, () => twoInsertLoop(url, durationMs)));
    return {
      oneConnectionRate: one.length / (durationMs / 1000),
      oneConnectionLatency: summarize(one),
      concurrentRate: many.reduce((sum, latencies) => sum + latencies.length, 0) / (durationMs / 1000),
      connections,
    };
  } finally {
    await dropDatabase(database);
  }
}

/** The broker's version as it announces itself on connecting. */
export async function rabbitmqVersion(url: string): Promise<string> {
  const connection = await connect(url);
  try {
    return String(connection.connection.serverProperties.version ?? 'unknown');
  } finally {
    await connection.close();
  }
}

export async function measureRabbitmq(url: string, durationMs: number): Promise<RabbitmqBaseline> {
  const connection = await connect(url, { noDelay: true });
  const queue = `bench.baseline.${uniqueSuffix()}`;
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const body = Buffer.from(JSON.stringify({ payload }));
    const publish = () =>
      new Promise<void>((resolve, reject) =>
        channel.publish('', queue, body, { persistent: true }, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    const latencies: number[] = [];
    let until = performance.now() + durationMs / 2;
    while (performance.now() < until) {
      const started = performance.now();
      await publish();
      latencies.push(performance.now() - started);
    }
    await channel.purgeQueue(queue);
    let confirmed = 0;
    const started = performance.now();
    until = started + durationMs / 2;
    while (performance.now() < until) {
      await Promise.all(Array.from({ length: 500 }, publish));
      confirmed += 500;
    }
    const pipelinedRate = confirmed / ((performance.now() - started) / 1000);
    await channel.deleteQueue(queue);
    return { oneAtATimeLatency: summarize(latencies), pipelinedRate };
  } finally {
    await connection.close();
  }
}
