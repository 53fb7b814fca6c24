import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployedServices } from './deployed-services';

describe('deployedServices', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'deployed-services-'));
    for (const [name, port, database] of [
      ['order', 3000, 'orders'],
      ['loyalty-points', 3004, 'loyalty_points'],
    ] as const) {
      mkdirSync(join(root, 'apps', `${name}-service`), { recursive: true });
      writeFileSync(
        join(root, 'apps', `${name}-service`, 'service.json'),
        JSON.stringify({ name, port, database, description: 'x' }),
      );
    }
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gives a generated service the variables of the compose conventions', () => {
    const [, loyalty] = deployedServices({}, root);
    expect(loyalty).toMatchObject({
      app: 'loyalty-points-service',
      hostPortVariable: 'LOYALTY_POINTS_SERVICE_HOST_PORT',
      brokerUser: 'loyalty-points-service',
      brokerPassword: 'loyalty-points-service',
      databaseRole: 'loyalty_points_service',
      databasePassword: 'loyalty_points_service',
      migrationRole: 'loyalty_points_service_migrator',
      migrationPassword: 'loyalty_points_service_migrator',
    });
  });

  it('takes the passwords from <PREFIX>_AMQP_PASSWORD, <PREFIX>_DB_PASSWORD and <PREFIX>_DB_MIGRATION_PASSWORD when they are set', () => {
    const environment = {
      ORDER_SERVICE_AMQP_PASSWORD: 'amqp-secret',
      ORDER_SERVICE_DB_PASSWORD: 'db-secret',
      ORDER_SERVICE_DB_MIGRATION_PASSWORD: 'migration-secret',
    };
    const [order, loyalty] = deployedServices(environment, root);
    expect(order).toMatchObject({
      brokerPassword: 'amqp-secret',
      databasePassword: 'db-secret',
      migrationPassword: 'migration-secret',
    });
    expect(loyalty).toMatchObject({ brokerPassword: 'loyalty-points-service' });
  });
});
