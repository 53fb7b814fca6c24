import { randomBytes } from 'node:crypto';
import { PrivateRabbitmq } from './private-rabbitmq';

/** Where a quorum queue's leader and its replicas are. */
export interface QueuePlacement {
  name: string;
  leader: string;
  members: string[];
}

/**
 * A RabbitMQ cluster of throwaway nodes on this machine (PrivateRabbitmq each: own node name, ports, config and
 * data folder, one shared Erlang cookie), for tests of what a service does when a node dies. The machine's
 * own node is never touched; every node is killed and removed however the test ends (`destroy`).
 */
export class RabbitmqCluster {
  private constructor(readonly nodes: PrivateRabbitmq[]) {}

  /** Starts `size` nodes and joins them into one cluster with the first (about half a minute for three). */
  static async start(size = 3): Promise<RabbitmqCluster> {
    const cookie = randomBytes(16).toString('hex').toUpperCase();
    const started = await Promise.allSettled(
      Array.from({ length: size }, () => PrivateRabbitmq.start({ cookie })),
    );
    const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const cluster = new RabbitmqCluster(nodes);
    try {
      const failed = started.find((result) => result.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      for (const node of nodes.slice(1)) await node.joinCluster(nodes[0]);
      const status = JSON.parse(await nodes[0].ctl(['cluster_status', '--formatter', 'json'])) as {
        running_nodes: string[];
      };
      if (status.running_nodes.length !== size) {
        throw new Error(`the cluster runs ${status.running_nodes.join(', ')}, not ${size} nodes`);
      }
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  /** The nodes still running. */
  live(): PrivateRabbitmq[] {
    return this.nodes.filter((node) => node.alive);
  }

  /** The AMQP URLs of the running nodes, comma-separated, as a service's RABBITMQ_URL takes them. */
  urls(vhost = '/'): string {
    return this.live()
      .map((node) => node.url(vhost))
      .join(',');
  }

  /** Each queue's leader and members, as a running node reports them. */
  async placement(vhost = '/'): Promise<QueuePlacement[]> {
    const output = await this.live()[0].ctl([
      ...['list_queues', '-p', vhost, 'name', 'leader', 'members'],
      ...['--formatter', 'json'],
    ]);
    return (JSON.parse(output) as QueuePlacement[]).map(({ name, leader, members }) => ({
      name,
      leader,
      members,
    }));
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.destroy()));
  }
}
