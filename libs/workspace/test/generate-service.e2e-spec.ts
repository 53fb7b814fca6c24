import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import {
  BrokerProbe,
  databaseUrl,
  dropDatabase,
  freePort,
  httpClient,
  spawnScript,
  uniqueSuffix,
  waitFor,
} from '@platform/testing';
import { ensureDevKey, repositoryRoot } from '@platform/workspace';

const SKIPPED = new Set(['node_modules', 'dist', '.git', '.build', 'coverage']);

/** Every file of a copy with its content hash, to prove a refused generation changed nothing. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      if (SKIPPED.has(entry)) continue;
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), createHash('sha1').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(root);
  return files;
}

type Outcome = { code: number; output: string };

/** Fails with the end of the command's output (why it failed) unless it exited 0. */
function expectSuccess({ code, output }: Outcome): void {
  if (code !== 0) throw new Error(`exit code ${code}; the end of its output:\n${output.slice(-4000)}`);
}

/**
 * `npm run generate:service` in a copy of the repository (its node_modules linked, not copied): refusals
 * change nothing; a generated service passes lint, builds, passes its own specs against the real RabbitMQ and
 * PostgreSQL, and starts ready.
 */
describe('npm run generate:service', () => {
  let copy: string;

  const run = async (command: string, args: string[], env: Record<string, string> = {}): Promise<Outcome> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(command, args, {
        cwd: copy,
        env: { ...process.env, ...env },
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
  };
  const generator = (...args: string[]) =>
    run(process.execPath, ['dist/libs/workspace/src/cli/generate-service.js', ...args]);

  beforeAll(async () => {
    copy = mkdtempSync(join(tmpdir(), 'generate-service-'));
    // The copy's services trust the development key the tests sign with: it must exist before it is copied.
    ensureDevKey();
    cpSync(repositoryRoot, copy, {
      recursive: true,
      filter: (source) => !SKIPPED.has(relative(repositoryRoot, source).split('/')[0]),
    });
    symlinkSync(join(repositoryRoot, 'node_modules'), join(copy, 'node_modules'));
    const build = await run('npm', ['run', 'build']);
    if (build.code !== 0) throw new Error(`the copy does not build:\n${build.output}`);
  }, 180_000);

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it.each([
    ['Shipping', 'is not a service name'],
    ['ship_ping', 'is not a service name'],
    ['../apps/x', 'is not a service name'],
    ['order', 'order-service already exists'],
    ['payments', 'payment-service already uses the database payments'],
    ['events', 'is reserved'],
  ])('refuses %j, saying why, and changes nothing', async (name, problem) => {
    const before = snapshot(copy);
    const outcome = await generator(name);
    expect(outcome.code).toBe(2);
    expect(outcome.output).toContain(problem);
    expect(snapshot(copy)).toEqual(before);
  });

  it('prints its usage without a name', async () => {
    const outcome = await generator();
    expect(outcome.code).toBe(2);
    expect(outcome.output).toContain('usage: npm run generate:service -- <name>');
  });

  describe('a generated service', () => {
    beforeAll(async () => {
      const outcome = await run('npm', ['run', 'generate:service', '--', 'shipping']);
      if (outcome.code !== 0) throw new Error(`generate:service failed:\n${outcome.output}`);
    }, 240_000);

    it('takes port 3004 and its place in every list', () => {
      const manifest = JSON.parse(readFileSync(join(copy, 'apps/shipping-service/service.json'), 'utf8'));
      expect(manifest).toMatchObject({ name: 'shipping', port: 3004, database: 'shipping' });
      const read = (file: string) => readFileSync(join(copy, file), 'utf8');
      expect(read('package.json')).toContain('"start:shipping-service"');
      expect(read('docker-compose.yml')).toContain('  shipping-service:');
      expect(read('docker-compose.yml')).toContain('SHIPPING_SERVICE_DB: shipping');
      expect(read('libs/contracts/src/consumers.ts')).toContain('shipping: { commands: [StartShippingJob] }');
      const definitions = JSON.parse(read('deploy/rabbitmq/definitions.json'));
      expect(definitions.users.map((user: { name: string }) => user.name)).toContain('shipping-service');
      expect(definitions.queues.map((queue: { name: string }) => queue.name)).toEqual(
        expect.arrayContaining(['shipping.commands', 'shipping.dlq']),
      );
      expect(read('README.md')).toContain('| shipping-service ');
      const kubernetes = read('deploy/k8s/base/generated/services.yaml');
      expect(kubernetes).toContain('name: shipping-service');
      expect(read('deploy/k8s/base/generated/broker-topology.yaml')).toContain('name: shipping.commands');
      expect(read('deploy/k8s/base/generated/postgres.yaml')).toContain('owner: shipping_service_migrator');
    });

    it('passes npm run lint', async () => {
      const lint = await run('npm', ['run', 'lint']);
      expectSuccess(lint);
      expect(lint.output).not.toMatch(/error|warn/i);
    }, 240_000);

    it('passes the unit specs (its own, the lint rules, the broker definitions and Kubernetes checks)', async () => {
      // The operators' CRD schemas beside this repository, not beside the copy.
      const crds = process.env.K8S_CRDS_DIR ?? join(repositoryRoot, '../shared/k8s-crds');
      const unit = await run('npx', ['jest', '--selectProjects', 'unit'], { K8S_CRDS_DIR: crds });
      expectSuccess(unit);
      expect(unit.output).toMatch(/PASS unit apps\/shipping-service\/src\/jobs\/domain\/job\.spec\.ts/);
      expect(unit.output).toMatch(/PASS unit deploy\/test\/kubernetes-deployment\.spec\.ts/);
    }, 240_000);

    it('passes its integration spec on the real broker and database', async () => {
      const integration = await run('npx', ['jest', 'apps/shipping-service/test']);
      expectSuccess(integration);
      expect(integration.output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    }, 240_000);

    it('starts and answers ready', async () => {
      const database = `shipping_generated_${uniqueSuffix()}`;
      const port = String(await freePort());
      const service = spawnScript('shipping-service', join(copy, 'dist/apps/shipping-service/src/main.js'), {
        PORT: port,
        DATABASE_URL: databaseUrl(database),
      });
      const http = httpClient(service.url);
      try {
        await waitFor('the generated service to answer ready', async () =>
          (await http.get('/health/ready').catch(() => undefined))?.status === 200 ? true : undefined,
        );
        expect((await http.get('/jobs/not-a-uuid')).status).toBe(400);
      } finally {
        await service.stop();
        await dropDatabase(database);
      }
    }, 120_000);

    // The generated service and its integration spec declared `shipping.*` on the machine's broker. Its retry
    // queues are named by delay, which depends on the retry settings each run used: delete those of every
    // base in use (the default 1000 ms, the tests' 100 ms) and up to ten attempts. Deleting a queue that
    // does not exist is not an error in RabbitMQ.
    afterAll(async () => {
      const delays = [100, 1000].flatMap((base) =>
        Array.from({ length: 9 }, (_, index) => base * 2 ** index),
      );
      const probe = await BrokerProbe.open();
      await probe.deleteServiceTopology('shipping', [...new Set(delays)]).catch(() => undefined);
      await probe.close();
    });
  });
});
