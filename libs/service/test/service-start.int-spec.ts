import {
  dropDatabase,
  databaseUrl,
  freePort,
  freePorts,
  query,
  spawnService,
  startService,
  uniqueSuffix,
  tokenFor,
  within,
} from '@platform/testing';
import { createServer } from 'node:net';
import { listServices } from '@platform/workspace';

/** Tables each service's migrations create besides the messaging tables (a new service: add its own). */
const tablesOf: Record<string, string[]> = {
  'order-service': ['orders'],
  'inventory-service': ['products'],
  'payment-service': ['payments', 'accounts'],
  'notification-service': ['notifications'],
};
const services = listServices().map(({ app }) => ({ name: app, ownTables: tablesOf[app] ?? [] }));

const port = async () => String(await freePort());

describe.each(services)('$name', ({ name, ownTables }) => {
  describe('when started against a database that does not exist yet', () => {
    const database = `${name.replace('-service', '')}_start_${uniqueSuffix()}`;
    afterAll(() => dropDatabase(database));

    it('creates and migrates it, answers ready, serves metrics and docs, and stops cleanly on SIGTERM', async () => {
      const service = await startService(name, { PORT: await port(), DATABASE_URL: databaseUrl(database) });
      try {
        const tables = await query<{ table_name: string }>(
          database,
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
        );
        expect(tables.map((table) => table.table_name)).toEqual(
          expect.arrayContaining(['outbox', 'inbox', 'migrations', ...ownTables]),
        );
        const ready = await fetch(`${service.url}/health/ready`);
        expect(await ready.json()).toMatchObject({
          status: 'ok',
          info: { database: { status: 'up' }, rabbitmq: { status: 'up' } },
        });
        const metrics = await (await fetch(`${service.url}/metrics`)).text();
        for (const metric of [
          'outbox_pending_messages',
          'messages_consumed_total',
          'process_cpu_seconds_total',
        ]) {
          expect(metrics).toContain(metric);
        }
        expect((await fetch(`${service.url}/docs`)).status).toBe(200);
        const openApi = (await (await fetch(`${service.url}/docs-json`)).json()) as { paths: object };
        expect(Object.keys(openApi.paths)).toEqual(expect.arrayContaining(['/health/ready']));
      } finally {
        const started = Date.now();
        // SIGTERM runs the shutdown hooks, then the service exits 0 by itself.
        expect(await service.stop()).toBe(0);
        expect(Date.now() - started).toBeLessThan(10_000);
      }
    });
  });

  describe('when three replicas start together on a database that does not exist yet', () => {
    const database = `${name.replace('-service', '')}_replicas_${uniqueSuffix()}`;
    afterAll(() => dropDatabase(database));

    it('brings every replica up and migrates the database once', async () => {
      const ports = await freePorts(3);
      const started = await Promise.allSettled(
        ports.map((free) => startService(name, { PORT: String(free), DATABASE_URL: databaseUrl(database) })),
      );
      try {
        expect(started.filter((replica) => replica.status === 'rejected')).toEqual([]);
        const applied = await query<{ name: string; runs: number }>(
          database,
          `SELECT name, count(*)::int AS runs FROM migrations GROUP BY name`,
        );
        expect(applied.length).toBeGreaterThanOrEqual(2);
        expect(applied.filter((migration) => migration.runs !== 1)).toEqual([]);
      } finally {
        await Promise.all(
          started.map((replica) => (replica.status === 'fulfilled' ? replica.value.stop() : undefined)),
        );
      }
    });
  });

  describe('when its database is unreachable at start', () => {
    it('stops with the reason instead of serving nothing', async () => {
      const service = spawnService(name, {
        PORT: await port(),
        DATABASE_URL: databaseUrl(`never_${uniqueSuffix()}`).replace(':5432', ':1'),
      });
      try {
        const code = await within(service.exited, 20_000);
        // A service that cannot reach its database at start stops with the reason rather than serving nothing.
        expect(code).not.toBe('timeout');
        expect(code).not.toBe(0);
        expect(service.logs.join('\n')).toMatch(/ECONNREFUSED|connect/);
      } finally {
        await service.kill();
      }
    });
  });

  describe('when its migration role may not log in', () => {
    it('stops naming DATABASE_MIGRATION_URL and the role, without its password', async () => {
      const database = `${name.replace('-service', '')}_roles_${uniqueSuffix()}`;
      const migrationUrl = new URL(databaseUrl(database));
      migrationUrl.username = `nobody_${uniqueSuffix().replace(/-/g, '_')}`;
      migrationUrl.password = 'S3cret-Never-Shown';
      const service = spawnService(name, {
        PORT: await port(),
        DATABASE_URL: databaseUrl(database),
        DATABASE_MIGRATION_URL: migrationUrl.toString(),
      });
      try {
        expect(await within(service.exited, 20_000)).not.toBe('timeout');
        const log = service.logs.join('\n');
        expect(log).toContain(
          `DATABASE_MIGRATION_URL: creating and migrating the database as ${migrationUrl.username}`,
        );
        expect(log).not.toContain('S3cret-Never-Shown');
      } finally {
        await service.kill();
        await dropDatabase(database).catch(() => undefined);
      }
    });
  });

  describe('when its port is taken', () => {
    it('stops and says which port, instead of running without serving', async () => {
      const holder = createServer();
      const taken = await port();
      await new Promise<void>((resolve) => holder.listen(Number(taken), resolve));
      const database = `${name.replace('-service', '')}_port_${uniqueSuffix()}`;
      const service = spawnService(name, { PORT: taken, DATABASE_URL: databaseUrl(database) });
      try {
        const code = await within(service.exited, 30_000);
        expect(code).toBe(1);
        expect(service.logs.join('\n')).toContain(`cannot listen on port ${taken} (PORT): it is in use`);
      } finally {
        await service.kill();
        holder.close();
        await dropDatabase(database);
      }
    });
  });

  describe.each([
    ['PORT', 'not-a-port'],
    ['RABBITMQ_URL', 'http://svc:NotForLogs-42@localhost:5672'],
    ['MESSAGING_MAX_ATTEMPTS', '0'],
    ['DATABASE_URL', 'mysql://x'],
  ])('when %s is %s', (variable, value) => {
    it('refuses to start and names the variable', async () => {
      const service = spawnService(name, { PORT: await port(), [variable]: value });
      const code = await within(service.exited, 20_000);
      await service.kill();
      expect(code).toBe(1);
      expect(service.logs.join('\n')).toContain(variable);
      expect(service.logs.join('\n')).toContain('Invalid configuration');
      // The message goes to logs: a password in a malformed URL is masked.
      expect(service.logs.join('\n')).not.toContain('NotForLogs-42');
    });
  });
});

describe('a service whose trace collector is absent', () => {
  it.each(['grpc', 'http/protobuf', 'http/json'])(
    'starts, serves and stops normally when exporting over %s to nowhere',
    async (protocol) => {
      const database = `order_otel_${uniqueSuffix()}`;
      const service = await startService('order-service', {
        PORT: await port(),
        DATABASE_URL: databaseUrl(database),
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
        OTEL_BSP_SCHEDULE_DELAY: '50',
      });
      try {
        const answer = await fetch(`${service.url}/orders`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${await tokenFor({ customer: 'otel' })}`,
          },
          body: JSON.stringify({ customerId: 'otel', items: [{ sku: 'none', quantity: 1 }] }),
        });
        expect(answer.status).toBe(202);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
      } finally {
        expect(await service.stop()).toBe(0);
        await dropDatabase(database);
      }
    },
  );
});

describe('HTTP security headers and /docs', () => {
  it('sends the usual security headers and no X-Powered-By, on API, docs and error responses alike', async () => {
    const database = `order_headers_${uniqueSuffix()}`;
    const service = await startService('order-service', {
      PORT: await port(),
      DATABASE_URL: databaseUrl(database),
    });
    try {
      for (const path of ['/health/live', '/docs', '/orders/not-a-uuid', '/no-such-path']) {
        const answer = await fetch(`${service.url}${path}`);
        expect({ path, poweredBy: answer.headers.get('x-powered-by') }).toEqual({ path, poweredBy: null });
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
        expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(answer.headers.get('content-security-policy')).toContain("script-src 'self'");
        // Plain HTTP behind a TLS terminator: an upgrade would break /docs on http://localhost.
        expect(answer.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      }
      // Swagger UI's page loads its scripts from /docs itself, which script-src 'self' allows.
      const page = await (await fetch(`${service.url}/docs`)).text();
      const scripts = [...page.matchAll(/<script([^>]*)>/g)].map((match) => match[1]);
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.every((attributes) => /src="\.\/docs\//.test(attributes))).toBe(true);
    } finally {
      expect(await service.stop()).toBe(0);
      await dropDatabase(database);
    }
  });

  it('serves no /docs with DOCS_ENABLED=false, and refuses a value that is not a boolean', async () => {
    const database = `order_nodocs_${uniqueSuffix()}`;
    const service = await startService('order-service', {
      PORT: await port(),
      DATABASE_URL: databaseUrl(database),
      DOCS_ENABLED: 'false',
    });
    try {
      expect((await fetch(`${service.url}/docs`)).status).toBe(404);
      expect((await fetch(`${service.url}/docs-json`)).status).toBe(404);
      expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    } finally {
      expect(await service.stop()).toBe(0);
      await dropDatabase(database);
    }
    const refused = spawnService('order-service', { PORT: await port(), DOCS_ENABLED: 'maybe' });
    const code = await within(refused.exited, 20_000);
    await refused.kill();
    expect(code).toBe(1);
    expect(refused.logs.join('\n')).toContain('DOCS_ENABLED: must be true or false');
  });
});

describe('a service running as PID 1 in a container', () => {
  // PID 1 gets no default action for SIGTERM: a shutdown that re-raised the signal to end the process would
  // be ignored there, and any handle still open would keep it running until the orchestrator's SIGKILL.
  // The preload stands in for both: it swallows SIGTERM and keeps a timer running.
  const pid1 = `--import=data:text/javascript,process.on('SIGTERM',()=>{});setInterval(()=>{},1000)`;

  it('exits 0 on SIGTERM once closed, whatever handle is left open', async () => {
    const database = `order_pid1_${uniqueSuffix()}`;
    const service = await startService('order-service', {
      PORT: await port(),
      DATABASE_URL: databaseUrl(database),
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${pid1}`.trim(),
      SHUTDOWN_TIMEOUT_MS: '20000',
    });
    try {
      const started = Date.now();
      expect(await within(service.stop(), 15_000)).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await service.kill();
      await dropDatabase(database);
    }
  });
});
