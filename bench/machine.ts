/** The machine and the versions a benchmark run was taken on, as its table heading names them. */
import { cpus, totalmem } from 'node:os';

export interface MachineVersions {
  postgres: string;
  rabbitmq: string;
}

/** One line: CPU model and count, memory, Node, PostgreSQL and RabbitMQ versions. */
export function describeMachine(versions: MachineVersions): string {
  const processors = cpus();
  const model = processors[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${Math.round(totalmem() / 2 ** 30)} GiB`;
  return (
    `${processors.length} × ${model}, ${memory}, Node ${process.version}, ` +
    `PostgreSQL ${versions.postgres}, RabbitMQ ${versions.rabbitmq}`
  );
}
