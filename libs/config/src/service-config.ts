import { z } from 'zod';
import { flag, integer, loadConfig, port, url, urlList } from './load-config';

/** What every service must say about itself to get its common configuration. */
export interface ServiceIdentity {
  /** Short name used in queue names and routing keys, e.g. `order`. */
  name: string;
  /** Default HTTP port. */
  port: number;
  /** Its own database on the shared PostgreSQL server. */
  database: string;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/** Where a process may be told to kill itself, to prove that a crash there loses and doubles nothing. */
export const crashPoints = ['before-commit', 'after-commit', 'before-ack', 'mid-batch'] as const;
export type CrashPoint = (typeof crashPoints)[number];

/** The environment variables every service reads, with working local defaults. */
export const commonEnvironment = (identity: ServiceIdentity) =>
  z.object({
    PORT: port(identity.port),
    DATABASE_URL: url(['postgres:', 'postgresql:']),
    DATABASE_MIGRATION_URL: url(['postgres:', 'postgresql:']),
    POSTGRES_URL: url(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432'),
    DATABASE_POOL_SIZE: integer(10, 4, 500),
    RABBITMQ_URL: urlList(['amqp:', 'amqps:'], 'amqp://guest:guest@127.0.0.1:5672'),
    MESSAGING_MAX_ATTEMPTS: integer(5, 1, 20),
    MESSAGING_RETRY_BASE_MS: integer(1000, 10, 3_600_000),
    MESSAGING_RETENTION_HOURS: integer(72, 1, 24 * 365),
    MESSAGING_PREFETCH: integer(32, 1, 1000),
    MESSAGING_BATCH_SIZE: integer(16, 1, 1000),
    OUTBOX_BATCH_SIZE: integer(200, 1, 5000),
    OUTBOX_POLL_INTERVAL_MS: integer(1000, 10, 60_000),
    OUTBOX_CONFIRM_TIMEOUT_MS: integer(5000, 100, 600_000),
    OUTBOX_STALL_TIMEOUT_MS: integer(30_000, 500, 3_600_000),
    SHUTDOWN_TIMEOUT_MS: integer(10_000, 1000, 600_000),
    DOCS_ENABLED: flag(true),
    AUTH_JWKS_URL: url(['https:', 'http:']),
    AUTH_PUBLIC_KEY_FILE: z.string().max(4096, 'must be a file path').default(DEV_AUTH.publicKeyFile),
    AUTH_ISSUER: z.string().max(2048, 'must be at most 2048 characters').default(DEV_AUTH.issuer),
    AUTH_AUDIENCE: z.string().max(2048, 'must be at most 2048 characters').default(DEV_AUTH.audience),
    LOG_LEVEL: z.enum(logLevels, { message: `must be one of ${logLevels.join(', ')}` }).default('info'),
    TEST_CRASH_POINT: z.enum(crashPoints, { message: `must be one of ${crashPoints.join(', ')}` }).optional(),
    TEST_CRASH_AFTER: integer(1, 1, 1_000_000),
    TEST_PUBLISH_COPIES: integer(1, 1, 10),
  });

/** Configuration common to every service, injected under this class as token. */
export abstract class ServiceConfig {
  abstract readonly service: string;
  abstract readonly port: number;
  /** What the service runs as: in a deployment, a role that may only read and write its tables. */
  abstract readonly databaseUrl: string;
  /** What migrations run as (DATABASE_MIGRATION_URL): the role that owns the schema; databaseUrl when unset. */
  abstract readonly databaseMigrationUrl: string;
  abstract readonly databaseName: string;
  abstract readonly databasePoolSize: number;
  /** The first of rabbitmqUrls: whose user the service is, and where the tools connect. */
  abstract readonly rabbitmqUrl: string;
  /** Every broker node RABBITMQ_URL names (comma-separated); connections go to the next when one fails. */
  abstract readonly rabbitmqUrls: string[];
  abstract readonly messaging: MessagingSettings;
  abstract readonly shutdownTimeoutMs: number;
  abstract readonly logLevel: string;
  /** Serves the OpenAPI document and Swagger UI at `/docs` (DOCS_ENABLED). */
  abstract readonly docsEnabled: boolean;
  /** Whose bearer tokens the public API accepts (SPEC section 8). */
  abstract readonly auth: AuthSettings;
  abstract readonly testFaults: TestFaults;
}

/**
 * The development identity: `npm run token` signs with a key it creates under `.dev-keys/` (never committed),
 * and services trust its public half unless AUTH_JWKS_URL points at a real identity provider.
 */
export const DEV_AUTH = {
  publicKeyFile: '.dev-keys/public/key.pem',
  privateKeyFile: '.dev-keys/private.pem',
  issuer: 'platform-dev',
  audience: 'platform-api',
} as const;

/** How tokens are verified: a JWKS endpoint when set, else a public key file; `iss` and `aud` must match. */
export interface AuthSettings {
  jwksUrl?: string;
  publicKeyFile: string;
  issuer: string;
  audience: string;
}

/** Retry, prefetch and outbox settings of libs/messaging. */
export interface MessagingSettings {
  maxAttempts: number;
  retryBaseMs: number;
  retentionHours: number;
  prefetch: number;
  /** At most this many deliveries that arrived while a consumer transaction ran share the next one. */
  batchSize: number;
  outboxBatchSize: number;
  outboxPollIntervalMs: number;
  /** How long the relay waits for RabbitMQ to confirm a batch before it gives the rows back. */
  outboxConfirmTimeoutMs: number;
  /** How long due outbox rows may wait without any publish before the relay counts as stalled. */
  outboxStallTimeoutMs: number;
}

/**
 * Faults a test can ask a service to inflict on itself (TEST_* variables), so fault tests can crash it at
 * the exact points where a message could be lost or doubled. Unset in every real deployment.
 */
export interface TestFaults {
  /** SIGKILL itself the `crashAfter`-th time it reaches this point. */
  crashPoint?: CrashPoint;
  crashAfter: number;
  /** The relay publishes every message this many times (same message id), as a duplicating network would. */
  publishCopies: number;
}

/** Reads the common variables; a service-specific schema may add its own keys on top. */
export function loadServiceConfig(
  identity: ServiceIdentity,
  env: Record<string, string | undefined>,
): ServiceConfig {
  const raw = loadConfig(commonEnvironment(identity), env);
  const server = raw.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const databaseUrl = raw.DATABASE_URL ?? `${server.replace(/\/+$/, '')}/${identity.database}`;
  return {
    service: identity.name,
    port: raw.PORT,
    databaseUrl,
    databaseMigrationUrl: raw.DATABASE_MIGRATION_URL ?? databaseUrl,
    databaseName: decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, '')) || identity.database,
    databasePoolSize: raw.DATABASE_POOL_SIZE,
    rabbitmqUrl: raw.RABBITMQ_URL[0],
    rabbitmqUrls: raw.RABBITMQ_URL,
    messaging: {
      maxAttempts: raw.MESSAGING_MAX_ATTEMPTS,
      retryBaseMs: raw.MESSAGING_RETRY_BASE_MS,
      retentionHours: raw.MESSAGING_RETENTION_HOURS,
      prefetch: raw.MESSAGING_PREFETCH,
      batchSize: raw.MESSAGING_BATCH_SIZE,
      outboxBatchSize: raw.OUTBOX_BATCH_SIZE,
      outboxPollIntervalMs: raw.OUTBOX_POLL_INTERVAL_MS,
      outboxConfirmTimeoutMs: raw.OUTBOX_CONFIRM_TIMEOUT_MS,
      outboxStallTimeoutMs: raw.OUTBOX_STALL_TIMEOUT_MS,
    },
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    logLevel: raw.LOG_LEVEL,
    docsEnabled: raw.DOCS_ENABLED,
    auth: {
      jwksUrl: raw.AUTH_JWKS_URL,
      publicKeyFile: raw.AUTH_PUBLIC_KEY_FILE,
      issuer: raw.AUTH_ISSUER,
      audience: raw.AUTH_AUDIENCE,
    },
    testFaults: {
      crashPoint: raw.TEST_CRASH_POINT,
      crashAfter: raw.TEST_CRASH_AFTER,
      publishCopies: raw.TEST_PUBLISH_COPIES,
    },
  };
}
