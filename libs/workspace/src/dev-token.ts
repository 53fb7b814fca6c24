/**
 * The development identity behind `npm run token`: an ES256 key pair under `.dev-keys/` (created on first use,
 * never committed; the services trust its public half by default) and bearer tokens signed with it, carrying
 * the claims SPEC section 8 names (`sub`, `roles`, `iss`, `aud`, `exp`). Production uses a real identity
 * provider instead (AUTH_JWKS_URL); SECURITY.md says how.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SignJWT } from 'jose';
import { DEV_AUTH } from '@platform/config';
import { repositoryRoot } from './services';

export interface DevTokenOptions {
  /** Adds `roles: ["admin"]`: an operator. */
  admin?: boolean;
  /** An `email` claim, as an identity provider that verified the address would put it. */
  email?: string;
  /** Lifetime; one hour by default. */
  ttlSeconds?: number;
  /** The repository whose `.dev-keys/` holds the key. */
  root?: string;
  issuer?: string;
  audience?: string;
}

/**
 * The development private key, created with its public half if missing. Safe when several processes call it
 * at once: the first key linked into place wins and the others read it.
 */
export function ensureDevKey(root = repositoryRoot): KeyObject {
  const privatePath = resolve(root, DEV_AUTH.privateKeyFile);
  const publicPath = resolve(root, DEV_AUTH.publicKeyFile);
  // Readable directories, the private key readable by its owner only; compose mounts only the public key's folder.
  mkdirSync(dirname(privatePath), { recursive: true, mode: 0o755 });
  mkdirSync(dirname(publicPath), { recursive: true, mode: 0o755 });
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(privatePath));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${privatePath} is not a private key; delete it to have a new one made`, {
        cause: error,
      });
    }
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const temporary = `${privatePath}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(temporary, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    try {
      linkSync(temporary, privatePath);
    } catch (linkError) {
      if ((linkError as NodeJS.ErrnoException).code !== 'EEXIST') throw linkError;
    } finally {
      unlinkSync(temporary);
    }
    privateKey = createPrivateKey(readFileSync(privatePath));
  }
  const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  if (readIfThere(publicPath) !== publicPem) {
    const temporary = `${publicPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(temporary, publicPem, { mode: 0o644 });
    chmodSync(temporary, 0o644);
    renameSync(temporary, publicPath);
  }
  return privateKey;
}

/** A bearer token for `subject`, signed with the development key (made if needed). */
export async function issueDevToken(subject: string, options: DevTokenOptions = {}): Promise<string> {
  const key = ensureDevKey(options.root);
  const claims: Record<string, unknown> = {};
  if (options.admin) claims['roles'] = ['admin'];
  if (options.email !== undefined) claims['email'] = options.email;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(options.issuer ?? process.env['AUTH_ISSUER'] ?? DEV_AUTH.issuer)
    .setAudience(options.audience ?? process.env['AUTH_AUDIENCE'] ?? DEV_AUTH.audience)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 3600}s`)
    .sign(key);
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
