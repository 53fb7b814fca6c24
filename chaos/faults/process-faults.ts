import { sleep, waitFor } from '@platform/testing';
import { ServiceName, SERVICES } from '../chaos-platform';
import { Fault, FaultContext } from '../fault';
import { consumedMessages } from '../service-metrics';

/** `kill -9` of one service mid-load; its restart policy brings it back. */
export function killService(service: ServiceName): Fault {
  return {
    name: `kill-${service}`,
    summary: `kill -9 of ${service}-service mid-load; the supervisor restarts it`,
    async inject({ platform, progress }) {
      const [instance] = platform.instances[service];
      progress(`SIGKILL ${instance.instance} (pid ${instance.pid})`);
      await instance.kill();
    },
  };
}

/** The points the product's TEST_CRASH_POINT hook knows, and which services get there at all. */
const crashPoints = {
  'after-commit': {
    summary: 'between commit and publish: SIGKILL after a unit of work with outbox rows commits',
    reachedBy: ['order', 'inventory', 'payment'],
    after: 50,
  },
  'before-ack': {
    summary: 'between commit and ack: SIGKILL after a consumed message commits, before the ack',
    reachedBy: ['order', 'inventory', 'payment', 'notification'],
    after: 50,
  },
  'mid-batch': {
    summary: 'inside a relay batch: SIGKILL after part of a claimed batch is published, before it is marked',
    reachedBy: ['order', 'inventory', 'payment'],
    after: 10,
  },
} as const;

/**
 * Every service armed with a crash point (TEST_CRASH_POINT, crashing the TEST_CRASH_AFTER-th time it gets
 * there); the supervisor restarts a crashed service without the variable, so each crashes once.
 */
export function crashAt(point: keyof typeof crashPoints): Fault {
  const { summary, reachedBy, after } = crashPoints[point];
  const armed = { TEST_CRASH_POINT: point, TEST_CRASH_AFTER: String(after) };
  const crashed = ({ platform }: FaultContext) =>
    platform
      .exits()
      .filter((exit) => exit.cause === 'crash-point')
      .map((exit) => exit.instance);
  return {
    name: `crash-${point}`,
    summary: `crash point ${summary}`,
    shape: { environment: Object.fromEntries(SERVICES.map((service) => [service, armed])) },
    async inject(context) {
      context.progress(`every service armed with TEST_CRASH_POINT=${point} TEST_CRASH_AFTER=${after}`);
      await waitFor(
        'the armed services to crash',
        () => crashed(context).length >= reachedBy.length,
        20_000,
      ).catch(() => undefined);
      context.progress(`crashed at ${point}: ${crashed(context).join(', ') || 'none'}`);
    },
    async verify(context) {
      const missing = reachedBy.filter((service) => !crashed(context).includes(`${service}-1`));
      return missing.length === reachedBy.length
        ? `no service crashed at ${point} (is TEST_CRASH_POINT implemented?)`
        : undefined;
    },
  };
}

/** inventory-service stalled four fifths of the time (SIGSTOP/SIGCONT) for 15 s: a slow consumer on both its queues. */
export function slowConsumer(): Fault {
  let timer: NodeJS.Timeout | undefined;
  let pauses = 0;
  return {
    name: 'slow-consumer',
    summary: 'inventory-service stopped 80% of the time (SIGSTOP 800 ms / SIGCONT 200 ms) for 15 s',
    holdMs: 15_000,
    async inject({ platform, progress }) {
      const [inventory] = platform.instances.inventory;
      pauses = 0;
      const cycle = async () => {
        inventory.pause();
        pauses += 1;
        await sleep(800);
        inventory.resume();
      };
      timer = setInterval(() => void cycle(), 1_000);
      progress(`pausing ${inventory.instance} 800 ms of every second`);
    },
    async restore({ platform }) {
      clearInterval(timer);
      await sleep(900);
      platform.instances.inventory[0].resume();
    },
    async verify() {
      return pauses === 0 ? 'inventory-service was never paused' : undefined;
    },
  };
}

/**
 * Two replicas of every service competing on the same queues, outbox and database, with each order's first
 * request sent to both order-service replicas at once (the same Idempotency-Key racing).
 */
export function twoReplicas(): Fault {
  return {
    name: 'two-replicas',
    summary: 'two replicas of each service; every order first posted to both order replicas at once',
    shape: { replicas: 2 },
    load: { raceTargets: true },
    holdMs: 10_000,
    async inject({ progress }) {
      progress('running with two replicas of each service');
    },
    async verify({ platform }) {
      const idle: string[] = [];
      for (const instance of platform.all()) {
        if ((await consumedMessages(instance.url, 'handled')) === 0) idle.push(instance.instance);
      }
      return idle.length > 0 ? `replicas that handled no message: ${idle.join(', ')}` : undefined;
    },
  };
}
