import { execFile } from 'node:child_process';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignJWT, UnsecuredJWT } from 'jose';
import { DEV_AUTH } from '@platform/config';
import {
  databaseUrl,
  dropDatabase,
  freePort,
  httpClient,
  Platform,
  repositoryRoot,
  startPlatform,
  startService,
  uniqueSuffix,
  waitFor,
} from '@platform/testing';
import { ensureDevKey, issueDevToken } from '@platform/workspace';

/**
 * SPEC section 8 over the public API of all four services: who may call what with which token, what a bad
 * token gets, the throttle on POST /orders, and `npm run token` as a user runs it.
 */
describe('bearer tokens on the public API', () => {
  let platform: Platform;
  const run = uniqueSuffix();
  const alice = `alice-${run}`;
  const bob = `bob-${run}`;
  const sku = `AUTH-${run}`;
  const orderLimit = 4;
  let aliceOrderId: string;

  beforeAll(async () => {
    platform = await startPlatform({ order: { ORDER_RATE_LIMIT_PER_MINUTE: String(orderLimit) } });
    expect(
      (await platform.http.inventory.put(`/products/${sku}`, { name: 'x', price: 1, stock: 100 })).status,
    ).toBe(201);
    const placed = await platform.http.order
      .as({ customer: alice })
      .post('/orders', { items: [{ sku, quantity: 1 }] });
    expect(placed.status).toBe(202);
    expect(placed.body.customerId).toBe(alice);
    aliceOrderId = placed.body.id;
    await waitFor('the order to be charged and notified', async () => {
      const payments = await platform.http.payment.get(`/payments?orderId=${aliceOrderId}`);
      const notifications = await platform.http.notification.get(`/notifications?orderId=${aliceOrderId}`);
      return payments.body?.length > 0 && notifications.body?.length > 0 ? true : undefined;
    });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const protectedCalls = () => {
    const { order, inventory, payment, notification } = platform.http;
    return [
      { client: order, method: 'POST', path: '/orders', body: { items: [{ sku, quantity: 1 }] } },
      { client: order, method: 'GET', path: `/orders/${aliceOrderId}` },
      { client: order, method: 'GET', path: `/orders?customerId=${alice}` },
      { client: inventory, method: 'PUT', path: `/products/${sku}`, body: { name: 'y', price: 1, stock: 1 } },
      { client: payment, method: 'PUT', path: `/accounts/${alice}`, body: { credit: 1_000_000_000 } },
      { client: payment, method: 'GET', path: `/accounts/${alice}` },
      { client: payment, method: 'GET', path: `/payments?orderId=${aliceOrderId}` },
      { client: notification, method: 'GET', path: `/notifications?customerId=${alice}` },
    ];
  };

  it('answers 401 with WWW-Authenticate: Bearer without a token, on every protected endpoint', async () => {
    for (const { client, method, path, body } of protectedCalls()) {
      const answer = await client.as('anonymous').call(method, path, body);
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 401 });
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(answer.body.message).toMatch(/bearer token/);
    }
  });

  it('leaves health, metrics, docs and the catalog open', async () => {
    const { order, inventory, payment, notification } = platform.http;
    for (const client of [order, inventory, payment, notification]) {
      for (const path of ['/health/live', '/health/ready', '/metrics', '/docs']) {
        expect({ path, status: (await client.as('anonymous').get(path)).status }).toEqual({
          path,
          status: 200,
        });
      }
    }
    expect((await inventory.as('anonymous').get(`/products/${sku}`)).status).toBe(200);
    expect((await inventory.as('anonymous').get('/products')).status).toBe(200);
  });

  it('refuses forged, expired, unsigned and foreign tokens with 401, saying why', async () => {
    const devKey = ensureDevKey();
    const strangerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const signed = (key = devKey, claims: { iss?: string; aud?: string; exp?: number } = {}) =>
      new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject(alice)
        .setIssuer(claims.iss ?? DEV_AUTH.issuer)
        .setAudience(claims.aud ?? DEV_AUTH.audience)
        .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
        .sign(key);
    const valid = await signed();
    const [header, payload] = valid.split('.');
    const elevated = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: bob }),
    ).toString('base64url');
    const cases: Array<[string, string, RegExp]> = [
      ['garbage', 'Bearer not-a-token', /not valid/],
      ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`, /Bearer <JWT>/],
      ['signed by another key', `Bearer ${await signed(strangerKey)}`, /not valid/],
      ['payload changed after signing', `Bearer ${header}.${elevated}.${valid.split('.')[2]}`, /not valid/],
      ['expired', `Bearer ${await signed(devKey, { exp: Math.floor(Date.now() / 1000) - 60 })}`, /expired/],
      ['another issuer', `Bearer ${await signed(devKey, { iss: 'https://evil.example' })}`, /iss/],
      ['another audience', `Bearer ${await signed(devKey, { aud: 'another-api' })}`, /aud/],
      [
        'unsigned (alg none)',
        `Bearer ${new UnsecuredJWT({ roles: ['admin'] }).setSubject(alice).setIssuer(DEV_AUTH.issuer).setAudience(DEV_AUTH.audience).setExpirationTime('10m').encode()}`,
        /ES256|not valid/,
      ],
      ['over-long', `Bearer ${'a'.repeat(9000)}`, /too long/],
    ];
    for (const [what, authorization, reason] of cases) {
      const answer = await platform.http.payment
        .as('anonymous')
        .call('GET', `/accounts/${alice}`, undefined, {
          authorization,
        });
      expect({ what, status: answer.status }).toEqual({ what, status: 401 });
      expect({ what, message: answer.body.message }).toEqual({
        what,
        message: expect.stringMatching(reason),
      });
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    }
    expect(
      (
        await platform.http.payment
          .as('anonymous')
          .call('GET', `/accounts/${alice}`, undefined, { authorization: `Bearer ${valid}` })
      ).status,
    ).toBe(200);
  });

  it("lets a customer order only for itself and read only its own data; someone else's is 404", async () => {
    const { order, payment, notification, inventory } = platform.http;
    const asAlice = { customer: alice } as const;
    const asBob = { customer: bob } as const;
    expect(
      (await order.as(asAlice).post('/orders', { customerId: bob, items: [{ sku, quantity: 1 }] })).status,
    ).toBe(403);
    expect((await order.as(asAlice).get(`/orders/${aliceOrderId}`)).body.id).toBe(aliceOrderId);
    expect((await order.as(asBob).get(`/orders/${aliceOrderId}`)).status).toBe(404);
    expect((await order.as(asAlice).get('/orders')).body.items.map((o: { id: string }) => o.id)).toEqual([
      aliceOrderId,
    ]);
    expect((await order.as(asBob).get(`/orders?customerId=${alice}`)).status).toBe(404);
    expect((await order.as(asBob).get('/orders')).body.items).toEqual([]);
    expect((await payment.as(asAlice).get(`/payments?orderId=${aliceOrderId}`)).body).toHaveLength(1);
    expect((await payment.as(asBob).get(`/payments?orderId=${aliceOrderId}`)).status).toBe(404);
    expect((await payment.as(asBob).get(`/payments?customerId=${alice}`)).status).toBe(404);
    expect((await payment.as(asAlice).get(`/accounts/${alice}`)).status).toBe(200);
    expect((await payment.as(asBob).get(`/accounts/${alice}`)).status).toBe(404);
    expect(
      (await notification.as(asAlice).get(`/notifications?orderId=${aliceOrderId}`)).body.length,
    ).toBeGreaterThan(0);
    expect((await notification.as(asBob).get(`/notifications?orderId=${aliceOrderId}`)).status).toBe(404);
    expect((await notification.as(asBob).get(`/notifications?customerId=${alice}`)).status).toBe(404);
    // Operators' rights: a customer gets 403, and nothing changed.
    expect((await payment.as(asAlice).put(`/accounts/${alice}`, { credit: 1_000_000_000 })).status).toBe(403);
    expect(
      (await inventory.as(asAlice).put(`/products/${sku}`, { name: 'free', price: 0, stock: 1 })).status,
    ).toBe(403);
    expect((await inventory.get(`/products/${sku}`)).body.name).toBe('x');
  });

  it('lets an admin act for any customer, and asks it to name the customer', async () => {
    const { order, payment } = platform.http;
    expect((await order.get(`/orders/${aliceOrderId}`)).status).toBe(200);
    expect((await payment.get(`/accounts/${alice}`)).status).toBe(200);
    const missing = await order.post('/orders', { items: [{ sku, quantity: 1 }] });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/customerId is required/);
    expect((await order.get('/orders')).status).toBe(400);
  });

  it('throttles POST /orders per customer with 429 and Retry-After', async () => {
    const carol = platform.http.order.as({ customer: `carol-${run}` });
    const statuses: number[] = [];
    let refused;
    for (let index = 0; index <= orderLimit; index += 1) {
      const answer = await carol.post('/orders', { items: [{ sku, quantity: 1 }] });
      statuses.push(answer.status);
      if (answer.status === 429) refused = answer;
    }
    expect(statuses).toEqual([...Array(orderLimit).fill(202), 429]);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused?.body.message).toMatch(/too many orders/);
    // Another customer is not held back by carol's orders.
    expect(
      (
        await platform.http.order
          .as({ customer: `dave-${run}` })
          .post('/orders', { items: [{ sku, quantity: 1 }] })
      ).status,
    ).toBe(202);
  });

  it('accepts the token `npm run token` prints on its last line', async () => {
    const printed = await promisify(execFile)('npm', ['run', '--silent', 'token', '--', `erin-${run}`], {
      cwd: repositoryRoot,
    });
    const token = printed.stdout.trim().split('\n').pop() ?? '';
    const answer = await platform.http.order
      .as('anonymous')
      .call('GET', '/orders', undefined, { authorization: `Bearer ${token}` });
    expect(answer.status).toBe(200);
    const admin = await promisify(execFile)('npm', ['run', '--silent', 'token', '--', 'ops', '--admin'], {
      cwd: repositoryRoot,
    });
    const adminToken = admin.stdout.trim().split('\n').pop() ?? '';
    const put = await platform.http.inventory
      .as('anonymous')
      .call(
        'PUT',
        `/products/${sku}-2`,
        { name: 'z', price: 1, stock: 1 },
        { authorization: `Bearer ${adminToken}` },
      );
    expect(put.status).toBe(201);
  });
});

describe('a service started before the development key exists', () => {
  it('refuses tokens until the key is made, then accepts them without a restart', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dev-key-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'other-key-'));
    const database = `payment_key_${uniqueSuffix()}`;
    const service = await startService('payment-service', {
      PORT: String(await freePort()),
      DATABASE_URL: databaseUrl(database),
      AUTH_PUBLIC_KEY_FILE: join(root, DEV_AUTH.publicKeyFile),
    });
    try {
      const http = httpClient(service.url, { as: 'anonymous' });
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
      const early = await http.call(
        'GET',
        '/accounts/frank',
        undefined,
        bearer(await issueDevToken('frank', { root: elsewhere })),
      );
      expect(early.status).toBe(401);
      expect(early.body.message).toMatch(/no key to verify tokens with yet.*npm run token/);
      const made = await issueDevToken('frank', { root });
      expect((await http.call('GET', '/accounts/frank', undefined, bearer(made))).status).toBe(200);
    } finally {
      await service.stop();
      await dropDatabase(database);
      rmSync(root, { recursive: true, force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe("a service that trusts an identity provider's key set (AUTH_JWKS_URL)", () => {
  const issuer = 'https://idp.example.test/';
  const audience = 'orders-api';
  const provider = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const impostor = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keySet = { keys: [{ ...provider.publicKey.export({ format: 'jwk' }), kid: 'idp-1', alg: 'RS256' }] };
  /** What the provider's endpoint answers: the key set, or a broken page. */
  let answer: 'key set' | 'error page' = 'error page';
  let jwksPort = 0;
  const jwks = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json' || answer === 'error page') {
      response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keySet));
  });
  const database = `payment_jwks_${uniqueSuffix()}`;
  let service: Awaited<ReturnType<typeof startService>>;

  beforeAll(async () => {
    jwksPort = await freePort();
    await new Promise<void>((resolve) => jwks.listen(jwksPort, '127.0.0.1', resolve));
    service = await startService('payment-service', {
      PORT: String(await freePort()),
      DATABASE_URL: databaseUrl(database),
      AUTH_JWKS_URL: `http://127.0.0.1:${jwksPort}/.well-known/jwks.json`,
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: audience,
    });
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await dropDatabase(database);
    await new Promise((resolve) => jwks.close(resolve));
  });

  const sign = (
    key: KeyObject,
    { kid = 'idp-1', subject = 'grace', iss = issuer, aud = audience } = {},
  ): Promise<string> =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject(subject)
      .setIssuer(iss)
      .setAudience(aud)
      .setExpirationTime('5m')
      .sign(key);
  const call = async (token: string) =>
    httpClient(service.url, { as: 'anonymous' }).call('GET', '/accounts/grace', undefined, {
      authorization: `Bearer ${token}`,
    });

  it('answers 503 while the key set cannot be had, then accepts its tokens once it can', async () => {
    const token = await sign(provider.privateKey);
    const early = await call(token);
    expect(early.status).toBe(503);
    expect(early.body.message).toMatch(/identity provider \(AUTH_JWKS_URL\) could not be reached/);
    answer = 'key set';
    expect((await call(token)).status).toBe(200);
  });

  it.each([
    ['signed by another key under the same kid', () => sign(impostor.privateKey)],
    ['naming a kid the set does not have', () => sign(impostor.privateKey, { kid: 'idp-2' })],
    ['from another issuer', () => sign(provider.privateKey, { iss: 'https://elsewhere.test/' })],
    ['for another audience', () => sign(provider.privateKey, { aud: 'platform-api' })],
  ])('refuses a token %s with 401', async (_, token) => {
    answer = 'key set';
    const refused = await call(await token());
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
  });
});
