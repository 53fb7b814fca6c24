import { createTransport, Transporter } from 'nodemailer';
import { recipientAddress } from '../domain/recipient-address';
import { NotificationChannel, NotificationMessage } from './notification-channel';

/**
 * Sends notifications as plain-text mail through the SMTP server at SMTP_URL, from NOTIFICATION_FROM.
 * Customers are known only by id: an id that is an e-mail address is the recipient, any other id is sent
 * to `<id>@customers.example.com` (see recipientAddress), which the compose file's mail catcher accepts.
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
  async send({ id, customerId, subject, body }: NotificationMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: recipientAddress(customerId),
      subject,
      text: body,
      messageId: `<${id}@notifications.nest-saga-platform>`,
    });
  }
}
