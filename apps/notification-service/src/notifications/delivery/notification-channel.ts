import { DueNotification } from '../domain/notification';

/** What a channel delivers: the rendered text and who it is for. */
export type NotificationMessage = Omit<DueNotification, 'attempts' | 'trace'>;

/**
 * Where notifications leave the service, one adapter per medium (chosen by NOTIFICATION_CHANNEL).
 * `send` resolves once the medium has accepted the message and rejects if it has not.
 */
export abstract class NotificationChannel {
  abstract readonly name: string;
  abstract send(message: NotificationMessage): Promise<void>;
}

/** A notification no attempt can deliver (e.g. no address to mail): FAILED at once, not retried. */
export class Undeliverable extends Error {
  override readonly name = 'Undeliverable';
}
