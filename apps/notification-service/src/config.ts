import { z } from 'zod';
import { integer, loadConfig, loadServiceConfig, ServiceConfig, url } from '@platform/config';
import identity from '../service.json';

/** notification-service configuration: the common settings plus the delivery channel and its retries. */
export abstract class NotificationConfig extends ServiceConfig {
  abstract readonly channel: 'log' | 'smtp';
  abstract readonly smtpUrl: string;
  abstract readonly from: string;
  /** Attempts to deliver one notification before it is marked FAILED. */
  abstract readonly deliveryMaxAttempts: number;
  /** Wait after the first failed attempt; doubles after each further one. */
  abstract readonly deliveryRetryBaseMs: number;
}

const notificationEnvironment = z.object({
  NOTIFICATION_CHANNEL: z.enum(['log', 'smtp'], { message: 'must be log or smtp' }).default('log'),
  SMTP_URL: url(['smtp:', 'smtps:'], 'smtp://127.0.0.1:1025'),
  NOTIFICATION_FROM: z.email({ message: 'must be an e-mail address' }).default('orders@example.com'),
  NOTIFICATION_MAX_ATTEMPTS: integer(5, 1, 20),
  NOTIFICATION_RETRY_BASE_MS: integer(1000, 10, 3_600_000),
});

/** Reads and validates notification-service's environment; throws ConfigurationError naming the bad variable. */
export function loadNotificationConfig(env: Record<string, string | undefined>): NotificationConfig {
  const common = loadServiceConfig(identity, env);
  const own = loadConfig(notificationEnvironment, env);
  return {
    ...common,
    channel: own.NOTIFICATION_CHANNEL,
    smtpUrl: own.SMTP_URL ?? 'smtp://127.0.0.1:1025',
    from: own.NOTIFICATION_FROM,
    deliveryMaxAttempts: own.NOTIFICATION_MAX_ATTEMPTS,
    deliveryRetryBaseMs: own.NOTIFICATION_RETRY_BASE_MS,
  };
}
