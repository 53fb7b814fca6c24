import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { TokenVerifier } from './token-verifier';

/** The verifier against a real key file and real ES256 signatures; only the clock waits are real too. */
describe('a token verifier reading its key from a file', () => {
  const settings = { issuer: 'https://issuer.test', audience: 'orders-test', publicKeyFile: '' };
  let directory: string;
  let signingKey: KeyObject;

  const useNewKey = (modifiedAt: Date) => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    signingKey = pair.privateKey;
    writeFileSync(settings.publicKeyFile, pair.publicKey.export({ type: 'spki', format: 'pem' }));
    utimesSync(settings.publicKeyFile, modifiedAt, modifiedAt);
  };
  const token = (expiresInSeconds: number) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('customer-1')
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
      .sign(signingKey);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'token-verifier-'));
    settings.publicKeyFile = join(directory, 'public.pem');
    useNewKey(new Date(2026, 0, 1));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('accepts a token each time it comes, and refuses it once it has expired', async () => {
    const verifier = new TokenVerifier(settings);
    const bearer = `Bearer ${await token(2)}`;
    expect(await verifier.verify(bearer)).toEqual({
      kind: 'verified',
      caller: { subject: 'customer-1', admin: false },
    });
    expect((await verifier.verify(bearer)).kind).toBe('verified');
    await sleep(2_100);
    expect(await verifier.verify(bearer)).toEqual({ kind: 'invalid', reason: 'the token has expired' });
  });

  it('refuses a token it accepted before once the key file holds another key', async () => {
    const verifier = new TokenVerifier(settings);
    const bearer = `Bearer ${await token(3600)}`;
    expect((await verifier.verify(bearer)).kind).toBe('verified');
    useNewKey(new Date(2026, 0, 2));
    // The file is looked at again at most once a second.
    await sleep(1_100);
    expect(await verifier.verify(bearer)).toEqual({ kind: 'invalid', reason: 'the token is not valid' });
    expect((await verifier.verify(`Bearer ${await token(3600)}`)).kind).toBe('verified');
  });
});
