import { MailCatcher, PrivatePostgres, PrivateRabbitmq } from '@platform/testing';

/** The suite's own broker node, database server and mail catcher: nothing the machine or other runs share. */
export interface ChaosInfrastructure {
  /** The node the suite itself talks to (probes, queue depths); a cluster run moves it off a node it kills. */
  rabbitmq: PrivateRabbitmq;
  /** The services' RABBITMQ_URL when it is not `rabbitmq`'s alone: every node of a cluster. */
  brokerUrls?: (vhost: string) => string;
  postgres: PrivatePostgres;
  mail: MailCatcher;
  /** Where service logs and the run's notes go; kept after the run. */
  runDirectory: string;
}

/** Starts the three side by side; on failure, removes whatever had started. */
export async function startInfrastructure(runDirectory: string): Promise<ChaosInfrastructure> {
  const [rabbitmq, postgres, mail] = await Promise.allSettled([
    PrivateRabbitmq.start(),
    PrivatePostgres.start(),
    MailCatcher.start(),
  ]);
  if (rabbitmq.status === 'fulfilled' && postgres.status === 'fulfilled' && mail.status === 'fulfilled') {
    return { rabbitmq: rabbitmq.value, postgres: postgres.value, mail: mail.value, runDirectory };
  }
  await Promise.all([
    rabbitmq.status === 'fulfilled' ? rabbitmq.value.destroy() : undefined,
    postgres.status === 'fulfilled' ? postgres.value.destroy() : undefined,
    mail.status === 'fulfilled' ? mail.value.stop() : undefined,
  ]);
  const failure = [rabbitmq, postgres, mail].find((result) => result.status === 'rejected');
  throw (failure as PromiseRejectedResult).reason;
}

export async function destroyInfrastructure(infrastructure: ChaosInfrastructure): Promise<void> {
  await Promise.all([
    infrastructure.rabbitmq.destroy(),
    infrastructure.postgres.destroy(),
    infrastructure.mail.stop(),
  ]);
}
