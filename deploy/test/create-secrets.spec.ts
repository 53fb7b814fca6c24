/**
 * The credentials Job's script (deploy/k8s/base/credentials/create-secrets.mjs) against a small in-process
 * stand-in for the Kubernetes Secrets API of one namespace: it creates each Secret of the generated list
 * (deploy/k8s/base/generated/credentials.yaml) with a random password, keeps those that exist, changes nothing
 * when run again, and fails with a clear message on a refused request, a malformed list or an unreachable API.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { promisify } from 'node:util';
import { repositoryRoot } from '@platform/workspace';
import { parse } from 'yaml';

const run = promisify(execFile);
const script = join(repositoryRoot, 'deploy/k8s/base/credentials/create-secrets.mjs');

interface Entry {
  name: string;
  type?: string;
  username: string;
  extra?: Record<string, string>;
}

interface Secret {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  type?: string;
  stringData?: Record<string, string>;
  data?: Record<string, string>;
}

interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The list the Job is given: the secrets.json of the generated ConfigMap. */
const generatedList = (
  parse(readFileSync(join(repositoryRoot, 'deploy/k8s/base/generated/credentials.yaml'), 'utf8')) as {
    data: Record<string, string>;
  }
).data['secrets.json'];
const entries = JSON.parse(generatedList) as Entry[];

/** Answers like the API server's Secrets endpoints for one namespace and one service account token. */
class FakeSecretsApi {
  readonly secrets = new Map<string, Secret>();
  readonly requests: Recorded[] = [];
  /** False: the token may read Secrets but not create them (403 on POST). */
  canCreate = true;
  private readonly server = createServer((request, response) => void this.handle(request, response));

  constructor(
    private readonly namespace: string,
    private readonly token: string,
  ) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  get posts(): Recorded[] {
    return this.requests.filter((request) => request.method === 'POST');
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const method = request.method ?? '';
    const path = new URL(request.url ?? '/', 'http://api').pathname;
    this.requests.push({ method, path, authorization: request.headers.authorization, body });
    const reply = (code: number, object: unknown): void => {
      response.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(object));
    };
    const status = (code: number, reason: string, message: string): void =>
      reply(code, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason,
        code,
      });

    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return status(403, 'Forbidden', 'secrets is forbidden: User "system:anonymous" cannot access secrets');
    }
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/]+))?$/.exec(path);
    if (!match) return status(404, 'NotFound', 'the server could not find the requested resource');
    const namespace = decodeURIComponent(match[1]);
    const name = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    if (namespace !== this.namespace) {
      return status(
        403,
        'Forbidden',
        `secrets is forbidden: cannot access secrets in the namespace "${namespace}"`,
      );
    }
    if (method === 'GET' && name !== undefined) {
      const found = this.secrets.get(name);
      return found ? reply(200, found) : status(404, 'NotFound', `secrets "${name}" not found`);
    }
    if (method === 'POST' && name === undefined) {
      if (!this.canCreate) {
        return status(403, 'Forbidden', `secrets is forbidden: cannot create secrets in "${namespace}"`);
      }
      const secret = JSON.parse(body) as Secret;
      const created = secret.metadata?.name;
      if (!created) return status(422, 'Invalid', 'Secret is invalid: metadata.name: Required value');
      if (this.secrets.has(created))
        return status(409, 'AlreadyExists', `secrets "${created}" already exists`);
      const stored = { ...secret, metadata: { ...secret.metadata, namespace } };
      this.secrets.set(created, stored);
      return reply(201, stored);
    }
    return status(405, 'MethodNotAllowed', `${method} is not allowed here`);
  }
}

/** A port nothing listens on: one the system just gave out and that was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const namespace = 'shop';
const token = `token-${randomBytes(16).toString('hex')}`;
let folder: string;
let api: FakeSecretsApi;
let url: string;

/** Writes the service account folder and the list, and runs the script with only the variables given. */
async function createSecrets(
  options: { list?: string; token?: string; namespace?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Outcome> {
  writeFileSync(join(folder, 'token'), `${options.token ?? token}\n`);
  writeFileSync(join(folder, 'namespace'), `${options.namespace ?? namespace}\n`);
  writeFileSync(join(folder, 'secrets.json'), options.list ?? generatedList);
  const env = options.env ?? { KUBERNETES_API: url };
  try {
    const { stdout, stderr } = await run(process.execPath, [script], {
      env: { ...env, SERVICE_ACCOUNT_DIR: folder, SECRETS_FILE: join(folder, 'secrets.json') },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof code !== 'number') throw error;
    return { code, stdout: stdout ?? '', stderr: stderr ?? '' };
  }
}

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'create-secrets-'));
  api = new FakeSecretsApi(namespace, token);
  url = await api.start();
});

afterEach(async () => {
  await api.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('create-secrets.mjs', () => {
  it('is given a list of basic-auth and opaque Secrets', () => {
    expect(entries.length).toBeGreaterThan(1);
    expect(entries.filter((entry) => entry.type === undefined)).not.toHaveLength(0);
    expect(entries.filter((entry) => entry.type === 'kubernetes.io/basic-auth')).not.toHaveLength(0);
    expect(
      entries.every((entry) => entry.type === undefined || entry.type === 'kubernetes.io/basic-auth'),
    ).toBe(true);
  });

  it('creates every Secret of the list with its username and a new random password', async () => {
    const outcome = await createSecrets();

    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect([...api.secrets.keys()].sort()).toEqual(entries.map((entry) => entry.name).sort());
    for (const entry of entries) {
      const secret = api.secrets.get(entry.name);
      expect(secret).toMatchObject({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: entry.name },
        type: entry.type ?? 'Opaque',
        stringData: { username: entry.username },
      });
      expect(secret?.stringData?.password).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      expect(outcome.stdout).toContain(`${namespace}/${entry.name}: created\n`);
    }
    const passwords = [...api.secrets.values()].map((secret) => secret.stringData?.password);
    expect(new Set(passwords).size).toBe(entries.length);

    const keda = api.secrets.get('keda-rabbitmq');
    expect(keda?.stringData?.host).toBe(
      `http://keda:${keda?.stringData?.password}@rabbitmq.${namespace}.svc:15672/platform`,
    );

    expect(api.posts).toHaveLength(entries.length);
    expect(api.requests.map((request) => request.authorization)).toEqual(
      api.requests.map(() => `Bearer ${token}`),
    );
  });

  it('changes nothing when run again', async () => {
    expect((await createSecrets()).code).toBe(0);
    const before = structuredClone([...api.secrets]);
    const posts = api.posts.length;

    const again = await createSecrets();

    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(api.posts).toHaveLength(posts);
    expect([...api.secrets]).toEqual(before);
    expect(again.stdout.trim().split('\n')).toEqual(
      entries.map((entry) => `${namespace}/${entry.name}: kept`),
    );
  });

  it('keeps a Secret made another way and creates the missing ones', async () => {
    const ownSecret: Secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'keda-rabbitmq',
        namespace,
        labels: { 'app.kubernetes.io/managed-by': 'external-secrets' },
      },
      type: 'Opaque',
      data: {
        username: Buffer.from('keda').toString('base64'),
        password: Buffer.from('brought-my-own').toString('base64'),
      },
    };
    api.secrets.set('keda-rabbitmq', structuredClone(ownSecret));

    const outcome = await createSecrets();

    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(api.secrets.get('keda-rabbitmq')).toEqual(ownSecret);
    expect(outcome.stdout).toContain(`${namespace}/keda-rabbitmq: kept\n`);
    const created = api.posts.map((post) => (JSON.parse(post.body) as Secret).metadata.name);
    expect(created.sort()).toEqual(
      entries
        .map((entry) => entry.name)
        .filter((name) => name !== 'keda-rabbitmq')
        .sort(),
    );
  });

  it.each<[string, { token?: string; namespace?: string; canCreate?: boolean }, string]>([
    ['a token the API refuses', { token: 'stale-token' }, 'reading'],
    ['a namespace the token may not read', { namespace: 'elsewhere' }, 'reading'],
    ['a token that may read but not create', { canCreate: false }, 'creating'],
  ])('fails on a 403 (%s), naming the Secret', async (_, setup, action) => {
    api.canCreate = setup.canCreate ?? true;

    const outcome = await createSecrets({ token: setup.token, namespace: setup.namespace });

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`create-secrets: ${action} Secret ${entries[0].name}: HTTP 403`);
    expect(api.secrets.size).toBe(0);
  });

  it.each([
    ['no username', { name: 'extra-secret' }],
    ['an empty username', { name: 'extra-secret', username: '' }],
    ['no name', { username: 'extra' }],
    ['an uppercase name', { name: 'Extra-secret', username: 'extra' }],
    ['an underscore in its name', { name: 'extra_secret', username: 'extra' }],
  ])('fails on an entry with %s, naming the file, before creating anything', async (_, entry) => {
    const outcome = await createSecrets({ list: JSON.stringify([...entries, entry]) });

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`create-secrets: ${join(folder, 'secrets.json')}: entry `);
    expect(outcome.stderr).toContain('needs a Secret name and a username');
    expect(api.requests).toEqual([]);
  });

  it('fails when the API cannot be reached', async () => {
    const port = await closedPort();

    const outcome = await createSecrets({ env: { KUBERNETES_API: `http://127.0.0.1:${port}` } });

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      new RegExp(`^create-secrets: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}`),
    );
  });

  it('reaches the in-cluster API at an IPv6 KUBERNETES_SERVICE_HOST', async () => {
    // No TLS server here: a closed port shows that the script built a valid https URL for [::1] and tried it.
    writeFileSync(join(folder, 'ca.crt'), rootCertificates[0]);
    const port = await closedPort();

    const outcome = await createSecrets({
      env: { KUBERNETES_SERVICE_HOST: '::1', KUBERNETES_SERVICE_PORT: String(port) },
    });

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).not.toContain('Invalid URL');
    expect(outcome.stderr).toContain(`::1:${port}`);
  });
});
