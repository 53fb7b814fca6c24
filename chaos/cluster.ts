/**
 * `npm run test:cluster`: the saga on a three-node RabbitMQ cluster of this machine (its own node names, ports,
 * configuration and data folders; the machine's broker is left alone), every service given all three nodes.
 * Under steady order load it checks that the quorum queues are replicated on all three nodes, kills with
 * `kill -9` the node that leads most of them, and judges the run by the fault suite's rules: none lost, none
 * charged or notified twice, every order terminal within 60 s, no service exiting. The recovery time printed
 * (`recover s`) runs from the kill until every order accepted before it has ended.
 * The cluster, the database server and the mail catcher are torn down however it ends. Exit code 0 if it passed.
 */
import { randomBytes } from 'node:crypto';
import { MailCatcher, PrivatePostgres, RabbitmqCluster } from '@platform/testing';
import { ChaosInfrastructure } from './chaos-infrastructure';
import { Fault } from './fault';
import { passed, tableHeader, tableLine } from './report';
import { runFault, SuiteState } from './run-fault';
import { runDirectory } from './run-suite';

const NODES = 3;
const WORK_QUEUE = /^[a-z0-9-]+\.(commands|events)$/;

/** `kill -9` of the node leading most work queues, after checking that every one has a replica on each node. */
function killQueueLeader(cluster: RabbitmqCluster): Fault {
  let killed: string | undefined;
  return {
    name: 'kill-queue-leader',
    summary: `kill -9 of the RabbitMQ node leading most work queues, of ${NODES}, mid-load`,
    async inject({ infrastructure, progress }) {
      const queues = (await cluster.placement()).filter((queue) => WORK_QUEUE.test(queue.name));
      const thin = queues.filter((queue) => queue.members.length !== NODES);
      if (queues.length === 0 || thin.length > 0) {
        throw new Error(
          `work queues not replicated on all ${NODES} nodes: ${thin.map((q) => `${q.name} on ${q.members.join(' ')}`).join('; ') || 'no work queue'}`,
        );
      }
      const led = new Map<string, string[]>();
      for (const queue of queues) led.set(queue.leader, [...(led.get(queue.leader) ?? []), queue.name]);
      const [leader, its] = [...led].sort((a, b) => b[1].length - a[1].length)[0];
      const node = cluster.nodes.find((each) => each.node === leader);
      if (!node) throw new Error(`leader ${leader} is not a node of this cluster`);
      progress(`${queues.length} work queues on ${NODES} nodes each; ${leader} leads ${its.join(', ')}`);
      // The suite's own probes move to a node that stays.
      infrastructure.rabbitmq = cluster.live().find((each) => each !== node)!;
      node.kill();
      killed = leader;
      progress(`kill -9 ${leader}`);
    },
    async verify({ progress }) {
      if (!killed) return 'no node was killed';
      const queues = (await cluster.placement()).filter((queue) => WORK_QUEUE.test(queue.name));
      progress(`leaders now: ${queues.map((queue) => `${queue.name} ${queue.leader}`).join(', ')}`);
      const orphaned = queues.filter((queue) => queue.leader === killed || !queue.leader);
      return orphaned.length > 0
        ? `queues without a new leader: ${orphaned.map((queue) => queue.name).join(', ')}`
        : undefined;
    },
  };
}

async function main(): Promise<number> {
  const logs = runDirectory();
  const print = (line: string) => console.log(line);
  print(
    `starting a ${NODES}-node RabbitMQ cluster, a PostgreSQL server and a mail catcher (logs in ${logs})`,
  );
  const started = Date.now();
  const [cluster, postgres, mail] = await Promise.allSettled([
    RabbitmqCluster.start(NODES),
    PrivatePostgres.start(),
    MailCatcher.start(),
  ]);
  const teardown = async () => {
    await Promise.all([
      cluster.status === 'fulfilled' ? cluster.value.destroy() : undefined,
      postgres.status === 'fulfilled' ? postgres.value.destroy() : undefined,
      mail.status === 'fulfilled' ? mail.value.stop() : undefined,
    ]);
  };
  if (cluster.status !== 'fulfilled' || postgres.status !== 'fulfilled' || mail.status !== 'fulfilled') {
    await teardown();
    const failure = [cluster, postgres, mail].find((result) => result.status === 'rejected');
    throw (failure as PromiseRejectedResult).reason;
  }
  print(`cluster: ${cluster.value.nodes.map((node) => `${node.node} :${node.port}`).join(', ')}`);
  const infrastructure: ChaosInfrastructure = {
    rabbitmq: cluster.value.nodes[0],
    brokerUrls: (vhost) => cluster.value.urls(vhost),
    postgres: postgres.value,
    mail: mail.value,
    runDirectory: logs,
  };
  const state: SuiteState = { infrastructure, runId: randomBytes(2).toString('hex'), reusable: false };
  try {
    const fault = killQueueLeader(cluster.value);
    print(`${fault.name}: ${fault.summary}`);
    const result = await runFault(fault, state, 0, print);
    print(`\n${tableHeader()}\n${tableLine(result)}`);
    for (const note of result.verdict.notes) print(`  note: ${note}`);
    print(`\n${passed(result) ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 60_000).toFixed(1)} min`);
    return passed(result) ? 0 : 1;
  } finally {
    await state.platform?.stop();
    await teardown();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
  },
);
