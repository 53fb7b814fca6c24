import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ChargePayment, PaymentCaptured } from '@platform/contracts';
import {
  databaseUrl,
  query,
  queryDatabase,
  ServiceHarness,
  testPostgresUrl,
  uniqueSuffix,
} from '@platform/testing';

const run = promisify(execFile);
const ROLES_SQL = join(__dirname, '../../../deploy/postgres/service-roles.sql');
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Least privilege in PostgreSQL, with the SQL compose's database init runs (deploy/postgres/service-roles.sql):
 * a service started with a migration role and a runtime role migrates as the first, works as the second, and
 * the second can read and write rows and nothing more.
 */
describe('a service on its migration role and its runtime role', () => {
  const suffix = uniqueSuffix().replace(/-/g, '_');
  const roles = { runtime: `roles_${suffix}`, migrator: `roles_${suffix}_migrator` };
  const otherService = {
    database: `other_${suffix}`,
    roles: { runtime: `other_${suffix}`, migrator: `other_${suffix}_migrator` },
  };
  let harness: ServiceHarness;

  /** What init.sh does for one service (passwords do not matter: the test server trusts local logins). */
  const createServiceDatabase = (database: string, { runtime, migrator }: typeof roles) =>
    run('psql', [
      ...['-v', 'ON_ERROR_STOP=1', '--no-psqlrc', '--quiet', '-d', `${testPostgresUrl}/postgres`],
      ...['-v', `db=${database}`, '-v', `migrator=${migrator}`, '-v', `runtime=${runtime}`],
      ...['-v', 'migrator_password=unused', '-v', 'runtime_password=unused', '-f', ROLES_SQL],
    ]);

  beforeAll(async () => {
    harness = await ServiceHarness.prepare('payment', {
      env: { PAYMENT_DEFAULT_CREDIT: '1000' },
      databaseRoles: roles,
    });
    await createServiceDatabase(harness.database, roles);
    await createServiceDatabase(otherService.database, otherService.roles);
    await harness.restart();
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
    await query('postgres', `DROP DATABASE IF EXISTS "${otherService.database}"`).catch(() => undefined);
    for (const role of [...Object.values(roles), ...Object.values(otherService.roles)])
      await query('postgres', `DROP ROLE IF EXISTS "${role}"`).catch(() => undefined);
  });

  /** A statement run as the runtime role on the service's database: the error code, or 'ok'. */
  const asRuntime = async (sql: string, database = harness.database) =>
    queryDatabase(databaseUrl(database, roles.runtime), sql).then(
      () => 'ok',
      (error: { code?: string }) => error.code,
    );

  it('migrated as the migration role, which owns every table', async () => {
    const owners = await harness.query<{ tablename: string; tableowner: string }>(
      `SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'`,
    );
    expect(owners.map((row) => row.tablename)).toEqual(
      expect.arrayContaining(['accounts', 'payments', 'outbox', 'inbox', 'migrations']),
    );
    expect(new Set(owners.map((row) => row.tableowner))).toEqual(new Set([roles.migrator]));
  });

  it('serves, handles a command and publishes through its outbox as the runtime role', async () => {
    const [{ count }] = await harness.query<{ count: string }>(
      `SELECT count(*) FROM pg_stat_activity WHERE usename = $1 AND datname = $2`,
      [roles.runtime, harness.database],
    );
    expect(Number(count)).toBeGreaterThan(0);
    const customerId = `roles-${suffix}`;
    expect((await harness.http.put(`/accounts/${customerId}`, { credit: 50 })).status).toBe(201);
    const orderId = randomUUID();
    await harness.publish(ChargePayment.v2({ orderId, customerId, amount: 20, validForMs: 60_000 }));
    await harness.waitForSent(PaymentCaptured, (payload) => payload.orderId === orderId);
    await harness.settled();
    expect((await harness.http.get(`/accounts/${customerId}`)).body.credit).toBe(30);
  });

  it.each([
    ['create a table', 'CREATE TABLE intruder (id int)'],
    ['alter a table', 'ALTER TABLE accounts ADD COLUMN intruder int'],
    ['drop a table', 'DROP TABLE payments'],
    ['truncate a table', 'TRUNCATE outbox'],
    ['mark a migration as run', `INSERT INTO migrations (timestamp, name) VALUES (1, 'Forged1')`],
    ['delete the record of a migration', 'DELETE FROM migrations'],
    ['create a function', 'CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$'],
  ])('may not %s', async (_, sql) => {
    expect(await asRuntime(sql)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('reads and writes rows, and reads which migrations ran', async () => {
    expect(await asRuntime(`UPDATE accounts SET credit_cents = credit_cents WHERE false`)).toBe('ok');
    expect(await asRuntime('SELECT count(*) FROM migrations')).toBe('ok');
  });

  it("may not open another service's database", async () => {
    expect(await asRuntime('SELECT 1', otherService.database)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('starts again with nothing left to migrate', async () => {
    await harness.restart();
    expect((await harness.http.get('/health/ready')).status).toBe(200);
  });
});

/**
 * A database set up the way CloudNativePG sets one up (deploy/k8s: a `Database` owned by the migration role,
 * both roles managed, no SQL script): the service grants its runtime role what it needs itself, after migrating.
 */
describe('a service on a database that only has its owner set up', () => {
  const suffix = uniqueSuffix().replace(/-/g, '_');
  const roles = { runtime: `owned_${suffix}`, migrator: `owned_${suffix}_migrator` };
  const stranger = `stranger_${suffix}`;
  let harness: ServiceHarness;

  beforeAll(async () => {
    harness = await ServiceHarness.prepare('payment', {
      env: { PAYMENT_DEFAULT_CREDIT: '1000' },
      databaseRoles: roles,
    });
    for (const role of [...Object.values(roles), stranger])
      await query('postgres', `CREATE ROLE "${role}" LOGIN`);
    await query('postgres', `CREATE DATABASE "${harness.database}" OWNER "${roles.migrator}"`);
    await harness.restart();
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
    for (const role of [...Object.values(roles), stranger])
      await query('postgres', `DROP ROLE IF EXISTS "${role}"`).catch(() => undefined);
  });

  const as = async (role: string, sql: string) =>
    queryDatabase(databaseUrl(harness.database, role), sql).then(
      () => 'ok',
      (error: { code?: string }) => error.code,
    );

  it('handles a command and publishes through its outbox as the runtime role', async () => {
    const customerId = `owned-${suffix}`;
    expect((await harness.http.put(`/accounts/${customerId}`, { credit: 50 })).status).toBe(201);
    const orderId = randomUUID();
    await harness.publish(ChargePayment.v2({ orderId, customerId, amount: 20, validForMs: 60_000 }));
    await harness.waitForSent(PaymentCaptured, (payload) => payload.orderId === orderId);
    await harness.settled();
    expect((await harness.http.get(`/accounts/${customerId}`)).body.credit).toBe(30);
  });

  it('leaves the runtime role rows only', async () => {
    expect(await as(roles.runtime, 'CREATE TABLE intruder (id int)')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await as(roles.runtime, 'DELETE FROM migrations')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await as(roles.runtime, 'SELECT count(*) FROM migrations')).toBe('ok');
  });

  it('lets no other role connect', async () => {
    expect(await as(stranger, 'SELECT 1')).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('grants the same again on the next start', async () => {
    await harness.restart();
    expect((await harness.http.get('/health/ready')).status).toBe(200);
  });
});
