import { sleep, waitFor } from '@platform/testing';
import { DATABASES } from '../chaos-platform';
import { Fault } from '../fault';

/** RabbitMQ's application stopped for 30 s under load, then started again. */
export function brokerStopped(): Fault {
  return {
    name: 'rabbitmq-stop-app',
    summary: 'RabbitMQ stop_app for 30 s, then start_app',
    holdMs: 30_000,
    async inject({ infrastructure, progress }) {
      progress('rabbitmqctl stop_app');
      await infrastructure.rabbitmq.stopApp();
    },
    async restore({ infrastructure, progress }) {
      progress('rabbitmqctl start_app');
      await infrastructure.rabbitmq.startApp();
    },
  };
}

/** Every client connection closed by the broker at once. */
export function connectionsClosed(): Fault {
  return {
    name: 'rabbitmq-close-connections',
    summary: 'RabbitMQ close_all_connections mid-load',
    async inject({ infrastructure, progress }) {
      progress('rabbitmqctl close_all_connections');
      await infrastructure.rabbitmq.closeAllConnections('chaos: close_all_connections');
    },
  };
}

/** A memory alarm (publishers blocked) during which every connection is closed, so clients reconnect blocked. */
export function memoryAlarmWithReconnect(): Fault {
  return {
    name: 'rabbitmq-memory-alarm',
    summary:
      'RabbitMQ memory alarm for 15 s, with close_all_connections 2 s into it (reconnect while blocked)',
    holdMs: 13_000,
    async inject({ infrastructure, progress }) {
      progress('memory alarm on (vm_memory_high_watermark 0)');
      await infrastructure.rabbitmq.setMemoryAlarm(true);
      await sleep(2_000);
      progress('close_all_connections while the alarm holds');
      await infrastructure.rabbitmq.closeAllConnections('chaos: reconnect under a memory alarm');
    },
    async restore({ infrastructure, progress }) {
      progress('memory alarm off');
      await infrastructure.rabbitmq.setMemoryAlarm(false);
    },
  };
}

/**
 * A fresh broker (a new virtual host) on which notification-service starts last: orders are already confirmed
 * and cancelled, their events published, before its queue exists.
 */
export function freshBrokerSubscriberLast(): Fault {
  let terminalBeforeStart = 0;
  return {
    name: 'fresh-broker-late-subscriber',
    summary: 'a fresh broker (new vhost) where notification-service starts last, after orders have ended',
    shape: { vhost: 'chaos-fresh-broker', startLast: 'notification' },
    async inject({ infrastructure, platform, tag, progress }) {
      const terminal = async () => {
        const [row] = await infrastructure.postgres.query<{ count: string }>(
          DATABASES.order,
          `SELECT count(*) FROM orders WHERE customer_id LIKE $1 AND status <> 'PENDING'`,
          [`${tag}-%`],
        );
        return Number(row.count);
      };
      await waitFor(
        'orders to end before notification-service starts',
        async () => (await terminal()) >= 10,
        10_000,
      ).catch(() => undefined);
      terminalBeforeStart = await terminal();
      progress(`${terminalBeforeStart} orders ended; starting notification-service now`);
      await platform.startDeferred();
    },
    async verify() {
      return terminalBeforeStart === 0 ? 'no order had ended before notification-service started' : undefined;
    },
  };
}
