/**
 * What a service under test still has to do, as ServiceHarness.settled looks for it: messages not yet
 * handled, queued or in-flight deliveries, unpublished outbox rows, published messages not yet received.
 */
import { COMMANDS_EXCHANGE, EVENTS_EXCHANGE, ServiceTopology } from '@platform/messaging';
import { ServiceFacts } from '@platform/workspace';
import { BrokerProbe } from './broker-probe';
import { query } from './database-probe';
import { ServiceProcess } from './service-process';

/** A message the harness published to the service, by message id. */
export interface PublishedToService {
  type: string;
  routingKey: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = 404;
const SHOWN = 5;

/** One look at a service's unfinished work; each method lists what is outstanding, in words. */
export class WorkInProgress {
  /** Published messages found in the inbox: they stay handled, so they are not looked up again. */
  private readonly handled = new Set<string>();

  constructor(
    private readonly facts: ServiceFacts,
    private readonly topology: ServiceTopology,
    private readonly database: string,
    private readonly probe: BrokerProbe,
    private readonly processes: () => ServiceProcess[],
  ) {}

  /** Everything outstanding now; empty when the service has nothing left to do. */
  async outstanding(
    published: ReadonlyMap<string, PublishedToService>,
    deadLettered: ReadonlySet<string>,
    received: ReadonlySet<string>,
  ): Promise<string[]> {
    const found = await Promise.all([
      this.inFlight(),
      this.queued(),
      this.unhandled(published, deadLettered),
      this.unpublished(),
      this.notReceived(received),
    ]);
    return found.flat();
  }

  /** Deliveries a running process has taken and not yet acked, handed on or given back. */
  private async inFlight(): Promise<string[]> {
    const running = this.processes().filter(
      (service) => service.process.exitCode === null && service.process.signalCode === null,
    );
    const found = await Promise.all(
      running.map(async (service) => {
        let metrics: string;
        try {
          metrics = await (await fetch(`${service.url}/metrics`)).text();
        } catch (error) {
          return [`${service.url}/metrics of ${service.name} did not answer: ${(error as Error).message}`];
        }
        return this.topology.workQueues.flatMap(({ name }) => {
          const line = metrics
            .split('\n')
            .find((row) => row.startsWith(`messages_in_flight{queue="${name}"} `));
          if (!line) {
            return [
              `${service.name} (${service.url}) reports no messages_in_flight for ${name}: not consuming it ` +
                `yet, or built before that metric existed (npm run build)`,
            ];
          }
          const count = Number(line.split(' ').pop());
          return count === 0
            ? []
            : [`${service.name} (${service.url}) is handling ${count} deliveries of ${name}`];
        });
      }),
    );
    return found.flat();
  }

  /** Ready messages in the work and retry queues. */
  private async queued(): Promise<string[]> {
    const queues = [
      ...this.topology.workQueues.map((queue) => queue.name),
      ...this.topology.retryQueues.map((queue) => queue.name),
    ];
    const found = await Promise.all(
      queues.map(async (queue) => {
        try {
          const count = await this.probe.messageCount(queue);
          return count === 0 ? [] : [`${queue} holds ${count} ready messages`];
        } catch (error) {
          if ((error as { code?: number }).code === NOT_FOUND) return [];
          return [`could not count the messages in ${queue}: ${(error as Error).message}`];
        }
      }),
    );
    return found.flat();
  }

  /** Published messages neither in the inbox nor in the dead-letter queue. */
  private async unhandled(
    published: ReadonlyMap<string, PublishedToService>,
    deadLettered: ReadonlySet<string>,
  ): Promise<string[]> {
    const waiting = () =>
      [...published.keys()].filter((id) => !deadLettered.has(id) && !this.handled.has(id.toLowerCase()));
    const lookUp = waiting().filter((id) => UUID.test(id));
    if (lookUp.length > 0) {
      try {
        const rows = await query<{ id: string }>(
          this.database,
          'SELECT message_id::text AS id FROM inbox WHERE message_id = ANY($1::uuid[])',
          [lookUp],
        );
        for (const { id } of rows) this.handled.add(id);
      } catch (error) {
        return [`could not read the inbox of ${this.database}: ${(error as Error).message}`];
      }
    }
    const left = waiting();
    if (left.length === 0) return [];
    const shown = left.slice(0, SHOWN).map((id) => `${published.get(id)!.routingKey} ${id}`);
    return [
      `${left.length} messages published to it are neither handled (inbox) nor in ${this.topology.deadLetterQueue}: ` +
        `${shown.join(', ')}${left.length > SHOWN ? ', ...' : ''}`,
    ];
  }

  /** Outbox rows the relay has not published yet. */
  private async unpublished(): Promise<string[]> {
    try {
      const rows = await query<{ type: string; count: number }>(
        this.database,
        'SELECT type, count(*)::int AS count FROM outbox WHERE published_at IS NULL GROUP BY type ORDER BY type',
      );
      if (rows.length === 0) return [];
      const total = rows.reduce((sum, row) => sum + row.count, 0);
      return [
        `its outbox holds ${total} unpublished rows (${rows.map((row) => `${row.type} ×${row.count}`).join(', ')})`,
      ];
    } catch (error) {
      return [`could not read the outbox of ${this.database}: ${(error as Error).message}`];
    }
  }

  /** Messages the outbox published (where the harness listens) that have not reached the harness yet. */
  private async notReceived(received: ReadonlySet<string>): Promise<string[]> {
    try {
      const rows = await query<{ id: string; type: string }>(
        this.database,
        `SELECT message_id::text AS id, type FROM outbox
          WHERE published_at IS NOT NULL AND NOT (message_id = ANY($1::uuid[]))
            AND ((exchange = $2 AND routing_key LIKE $3) OR (exchange = $4 AND split_part(routing_key, '.', 1) <> $5))`,
        [
          [...received].filter((id) => UUID.test(id)),
          EVENTS_EXCHANGE,
          `${this.facts.name}.%`,
          COMMANDS_EXCHANGE,
          this.facts.name,
        ],
      );
      if (rows.length === 0) return [];
      const shown = rows.slice(0, SHOWN).map((row) => `${row.type} ${row.id}`);
      return [
        `${rows.length} messages it published have not reached the harness yet: ${shown.join(', ')}` +
          (rows.length > SHOWN ? ', ...' : ''),
      ];
    } catch (error) {
      return [`could not read the outbox of ${this.database}: ${(error as Error).message}`];
    }
  }
}
