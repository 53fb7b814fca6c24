import { createPublicKey, KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { AuthSettings } from '@platform/config';
import { Caller } from './caller';
import { VerifiedTokens } from './verified-tokens';

/** Signature algorithms accepted (SPEC section 8); anything else, `none` included, is refused. */
const ALGORITHMS = ['RS256', 'ES256'];
const MAX_TOKEN_LENGTH = 8192;
const MAX_SUBJECT_LENGTH = 100;

/** Why a request's credentials were refused; `unavailable` when the identity provider could not be asked. */
export type Verification =
  | { kind: 'verified'; caller: Caller }
  | { kind: 'missing' | 'invalid'; reason: string }
  | { kind: 'unavailable'; reason: string };

/**
 * Checks `Authorization: Bearer <JWT>`: the signature against the issuer's JWKS (AUTH_JWKS_URL) or a public key
 * file (AUTH_PUBLIC_KEY_FILE, the development key by default), then `iss`, `aud`, `exp` and `sub`. The key file
 * is read when first needed and again when it changes, so a service may start before `npm run token` made it.
 */
export class TokenVerifier {
  private readonly key: JWTVerifyGetKey | PublicKeyFile;
  /** Tokens that passed, so a repeated one costs no signature check; emptied when the key file changes. */
  private readonly verified = new VerifiedTokens();
  private verifiedWith?: JWTVerifyGetKey | KeyObject;

  constructor(private readonly settings: AuthSettings) {
    this.key = settings.jwksUrl
      ? createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5_000 })
      : new PublicKeyFile(settings.publicKeyFile);
  }

  async verify(authorization: string | undefined): Promise<Verification> {
    if (authorization === undefined || authorization === '') {
      return { kind: 'missing', reason: 'this needs a bearer token: Authorization: Bearer <JWT>' };
    }
    const match = /^Bearer +([A-Za-z0-9._~+/=-]+) *$/i.exec(authorization);
    if (!match) return { kind: 'invalid', reason: 'the Authorization header must be "Bearer <JWT>"' };
    const token = match[1];
    if (token.length > MAX_TOKEN_LENGTH) return { kind: 'invalid', reason: 'the token is too long' };
    let payload: JWTPayload;
    try {
      const key = this.key instanceof PublicKeyFile ? await this.key.current() : this.key;
      if (key === undefined) {
        return {
          kind: 'invalid',
          reason: `no key to verify tokens with yet (${this.settings.publicKeyFile}): run npm run token`,
        };
      }
      if (key !== this.verifiedWith) {
        this.verified.clear();
        this.verifiedWith = key;
      }
      const known = this.verified.get(token, Date.now());
      if (known) return { kind: 'verified', caller: known };
      const options = {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
      };
      ({ payload } =
        key instanceof KeyObject
          ? await jwtVerify(token, key, options)
          : await jwtVerify(token, key, options));
    } catch (error) {
      return this.settings.jwksUrl && jwksUnavailable(error)
        ? { kind: 'unavailable', reason: 'the identity provider (AUTH_JWKS_URL) could not be reached' }
        : refusal(error);
    }
    const verification = callerOf(payload);
    // requiredClaims makes exp present.
    if (verification.kind === 'verified') {
      this.verified.add(token, verification.caller, payload.exp ?? 0, Date.now());
    }
    return verification;
  }
}

/** The caller a verified token names: `sub` is the customer, `roles` containing `admin` an operator. */
function callerOf(payload: JWTPayload): Verification {
  const subject = payload.sub ?? '';
  // eslint-disable-next-line no-control-regex
  if (subject.length < 1 || subject.length > MAX_SUBJECT_LENGTH || /[\u0000-\u001f\u007f]/.test(subject)) {
    return {
      kind: 'invalid',
      reason: `the token's sub must be 1 to ${MAX_SUBJECT_LENGTH} printable characters`,
    };
  }
  const roles = payload['roles'];
  const admin = Array.isArray(roles) && roles.includes('admin');
  const email = payload['email'];
  const verifiedEmail =
    typeof email === 'string' && email.length <= 254 && payload['email_verified'] !== false
      ? email
      : undefined;
  return { kind: 'verified', caller: { subject, admin, email: verifiedEmail } };
}

/** A jose failure as the reason given to the client: what is wrong, never the token itself. */
function refusal(error: unknown): Verification {
  if (error instanceof errors.JWTExpired) return { kind: 'invalid', reason: 'the token has expired' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    return { kind: 'invalid', reason: `the token is not accepted: ${error.message.replace(/"/g, '')}` };
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return { kind: 'invalid', reason: `the token must be signed with ${ALGORITHMS.join(' or ')}` };
  }
  if (error instanceof errors.JOSEError) return { kind: 'invalid', reason: 'the token is not valid' };
  return { kind: 'invalid', reason: 'the token is not valid' };
}

/**
 * Whether fetching the key set failed, rather than the token: no answer in time, a failed connection (fetch
 * rejects with a TypeError), or an answer that is not a key set (jose's generic error: not 200, not JSON).
 */
function jwksUnavailable(error: unknown): boolean {
  return (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error instanceof TypeError ||
    (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC')
  );
}

/** A PEM public key on disk: read lazily, re-read (at most once a second) when its modification time changes. */
class PublicKeyFile {
  private key?: KeyObject;
  private loadedAt = -1;
  private checkedAt = 0;

  constructor(private readonly path: string) {}

  async current(): Promise<KeyObject | undefined> {
    const now = Date.now();
    if (this.key !== undefined && now - this.checkedAt < 1_000) return this.key;
    this.checkedAt = now;
    const modified = await stat(this.path).then(
      (info) => info.mtimeMs,
      () => undefined,
    );
    if (modified === undefined) {
      this.key = undefined;
    } else if (modified !== this.loadedAt || this.key === undefined) {
      try {
        this.key = createPublicKey(await readFile(this.path));
        this.loadedAt = modified;
      } catch {
        this.key = undefined;
      }
    }
    return this.key;
  }
}
