import { createTransport, Transporter } from 'nodemailer';
import { NotificationChannel, NotificationMessage, Undeliverable } from './notification-channel';

/**
 * Sends notifications as plain-text mail through the SMTP server at SMTP_URL, from NOTIFICATION_FROM, to the
 * address the customer's token vouched for (carried with the order) and to no other: a notification without
 * one is Undeliverable. A customer id is never taken for an address, whatever it looks like.
 */
export class SmtpChannel implements NotificationChannel {
  readonly name = 'smtp';
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // Bounded waits: a hanging server fails the attempt (and it is retried) instead of stalling delivery.
    // Together well below the dispatcher's claim lease, so no other pass takes a notification still in flight.
    this.transport = createTransport({
      url: smtpUrl,
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: 15_000,
    });
  }

  /** The Message-ID is the notification's: a copy sent again after a crash is the same message to the reader. */
  async send({ id, recipient, subject, body }: NotificationMessage): Promise<void> {
    if (recipient === null) {
      throw new Undeliverable('no verified e-mail address for this customer (its token had no email claim)');
    }
    await this.transport.sendMail({
      from: this.from,
      to: recipient,
      subject,
      text: body,
      messageId: `<${id}@notifications.nest-saga-platform>`,
    });
  }
}
