import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One mail as the catcher received it: envelope recipients and the decoded subject and text. */
export interface CaughtMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string;
}

/**
 * A real SMTP server on 127.0.0.1 for tests, accepting any mail without authentication or TLS. It can be
 * stopped and started again on the same port to play a mail server that goes down and comes back.
 */
export class MailCatcher {
  readonly mails: CaughtMail[] = [];
  port = 0;
  private server?: SMTPServer;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const parsed = parseMail(Buffer.concat(chunks).toString('latin1'));
          this.mails.push({ ...parsed, to: session.envelope.rcptTo.map(({ address }) => address) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Just enough RFC 5322/2047 parsing for the mails nodemailer writes: unfolded headers, Q/B words, QP body. */
function parseMail(raw: string): Omit<CaughtMail, 'to'> {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const headers = new Map(
    head
      .replace(/\r\n[ \t]+/g, ' ')
      .split('\r\n')
      .map((line) => [
        line.slice(0, line.indexOf(':')).toLowerCase(),
        line.slice(line.indexOf(':') + 1).trim(),
      ]),
  );
  const body = rest.join('\r\n\r\n');
  const text = /quoted-printable/i.test(headers.get('content-transfer-encoding') ?? '')
    ? decodeQuotedPrintable(body.replace(/=\r\n/g, ''))
    : Buffer.from(body, 'latin1').toString('utf8');
  return {
    from: decodeWords(headers.get('from') ?? ''),
    subject: decodeWords(headers.get('subject') ?? ''),
    text: text.replace(/\r\n/g, '\n').trimEnd(),
    messageId: headers.get('message-id') ?? '',
  };
}

function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QB]\?[^?]*\?=)\s+(?==\?)/gi, '$1')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_, _charset: string, encoding: string, word: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(word, 'base64').toString('utf8')
        : decodeQuotedPrintable(word.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(value: string): string {
  const bytes = Buffer.from(
    value.replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
  return bytes.toString('utf8');
}
