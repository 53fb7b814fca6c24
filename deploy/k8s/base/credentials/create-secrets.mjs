// Creates the platform's credentials in its namespace, once: for each entry of secrets.json (written by
// `npm run generate:k8s`) a Secret with that username and a new random password, unless the Secret exists.
// Existing Secrets are never changed, so running it again (every `kubectl apply`) is safe, and a Secret made
// another way (External Secrets, Vault, by hand) is kept. The operators read these Secrets: the Messaging
// Topology Operator for the RabbitMQ users, CloudNativePG for the database roles; the services read them too.
// Runs in the credentials Job (deploy/k8s/base/credentials.yaml) with its service account's token; the
// variables below exist for its test (deploy/test/create-secrets.spec.ts).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const account = process.env.SERVICE_ACCOUNT_DIR ?? '/var/run/secrets/kubernetes.io/serviceaccount';
const host = process.env.KUBERNETES_SERVICE_HOST ?? '';
const api =
  process.env.KUBERNETES_API ??
  `https://${host.includes(':') ? `[${host}]` : host}:${process.env.KUBERNETES_SERVICE_PORT ?? 443}`;
const listFile = process.env.SECRETS_FILE ?? '/etc/platform/credentials/secrets.json';

/** A password that needs no escaping in a URL, a header or SQL: 32 random bytes as base64url (256 bits). */
const newPassword = () => randomBytes(32).toString('base64url');

function call(method, path, body) {
  const url = new URL(path, api);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const token = readFileSync(`${account}/token`, 'utf8').trim();
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (body) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const options = { method, headers, timeout: 10_000 };
    if (url.protocol === 'https:') options.ca = readFileSync(`${account}/ca.crt`);
    const req = request(url, options, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

function secretOf(entry, namespace) {
  const password = newPassword();
  const fill = (template) =>
    template
      .replaceAll('{username}', () => entry.username)
      .replaceAll('{password}', () => password)
      .replaceAll('{namespace}', () => namespace);
  const extra = Object.fromEntries(
    Object.entries(entry.extra ?? {}).map(([key, value]) => [key, fill(value)]),
  );
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: entry.name, labels: { 'app.kubernetes.io/part-of': 'nest-saga-platform' } },
    type: entry.type ?? 'Opaque',
    stringData: { username: entry.username, password, ...extra },
  };
}

/** Creates one Secret unless it exists; says which it did. */
async function ensure(entry, namespace) {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
  const found = await call('GET', `${path}/${encodeURIComponent(entry.name)}`);
  if (found.status === 200) return 'kept';
  if (found.status !== 404)
    throw new Error(`reading Secret ${entry.name}: HTTP ${found.status} ${found.text}`);
  const created = await call('POST', path, secretOf(entry, namespace));
  if (created.status === 201) return 'created';
  if (created.status === 409) return 'kept'; // another run made it meanwhile
  throw new Error(`creating Secret ${entry.name}: HTTP ${created.status} ${created.text}`);
}

async function main() {
  const namespace = readFileSync(`${account}/namespace`, 'utf8').trim();
  const entries = JSON.parse(readFileSync(listFile, 'utf8'));
  if (!Array.isArray(entries)) throw new Error(`${listFile}: not a list`);
  for (const entry of entries) {
    const named = typeof entry?.name === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(entry.name);
    if (!named || typeof entry.username !== 'string' || !entry.username) {
      throw new Error(`${listFile}: entry ${JSON.stringify(entry)} needs a Secret name and a username`);
    }
  }
  for (const entry of entries) {
    console.log(`${namespace}/${entry.name}: ${await ensure(entry, namespace)}`);
  }
}

main().catch((error) => {
  console.error(`create-secrets: ${error.message}`);
  process.exit(1);
});
