/**
 * The services as docker-compose.yml deploys them: every service of libs/workspace's list with the
 * variables the compose file reads for it, by the same convention (`<PREFIX>_HOST_PORT`,
 * `<PREFIX>_AMQP_PASSWORD`, `<PREFIX>_DB_PASSWORD`, `<PREFIX>_DB_MIGRATION_PASSWORD`, defaulting to the
 * broker user and the database roles).
 * A generated service is covered by the compose test without an edit here.
 */
import { listServices, repositoryRoot, ServiceFacts } from '@platform/workspace';

export interface DeployedService extends ServiceFacts {
  /** The variable that publishes its HTTP port on the host, e.g. `ORDER_SERVICE_HOST_PORT`. */
  readonly hostPortVariable: string;
  readonly brokerPassword: string;
  readonly databasePassword: string;
  /** The role that owns the schema and runs the migrations (deploy/postgres/service-roles.sql). */
  readonly migrationRole: string;
  readonly migrationPassword: string;
}

/** Every service, with the credentials compose gives it in `environment` (the variables, else their defaults). */
export function deployedServices(
  environment: NodeJS.ProcessEnv = process.env,
  root = repositoryRoot,
): DeployedService[] {
  return listServices(root).map((service) => ({
    ...service,
    hostPortVariable: `${service.environmentPrefix}_HOST_PORT`,
    brokerPassword: environment[`${service.environmentPrefix}_AMQP_PASSWORD`] || service.brokerUser,
    databasePassword: environment[`${service.environmentPrefix}_DB_PASSWORD`] || service.databaseRole,
    migrationRole: `${service.databaseRole}_migrator`,
    migrationPassword:
      environment[`${service.environmentPrefix}_DB_MIGRATION_PASSWORD`] || `${service.databaseRole}_migrator`,
  }));
}

/** One of the saga's services by short name; the error says which are there. */
export function sagaService(services: DeployedService[], name: string): DeployedService {
  const found = services.find((service) => service.name === name);
  if (!found) {
    throw new Error(
      `the order saga needs ${name}-service; apps/ has ${services.map((s) => s.app).join(', ')}`,
    );
  }
  return found;
}
