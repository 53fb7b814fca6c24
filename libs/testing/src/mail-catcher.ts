import { SMTPServer } from 'smtp-server';
import { unusedStablePort } from './unused-port';

/** One mail as the catcher received it, with its body decoded from its transfer encoding. */
export interface CaughtMail extends ParsedMail {
  to: string[];
  receivedAt: Date;
}

/** The headers a test looks at, and the decoded text. */
export interface ParsedMail {
  from: string;
  subject: string;
  messageId: string;
  text: string;
}

/**
 * A local SMTP server that keeps every mail it is sent, for tests that count what customers were really
 * told (a notification service with SMTP_URL pointing here). Accepts any sender and recipient, no TLS. It can
 * be stopped and started again on the same port, to play a mail server that goes away and comes back.
 */
export class MailCatcher {
  readonly mails: CaughtMail[] = [];
  private server?: SMTPServer;

  private constructor(readonly port: number) {}

  static async start(): Promise<MailCatcher> {
    const catcher = new MailCatcher(await unusedStablePort());
    await catcher.resume();
    return catcher;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Listens again on the same port after `stop()`. */
  async resume(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((address) => address.address);
          this.mails.push({
            ...parseMail(Buffer.concat(chunks).toString('latin1')),
            to,
            receivedAt: new Date(),
          });
          callback();
        });
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Headers and text of a single-part mail (what nodemailer sends for a plain-text body). */
export function parseMail(raw: string): ParsedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : Buffer.from(body, 'latin1');
  return {
    from: decodeHeaderWords(headers.get('from') ?? ''),
    subject: decodeHeaderWords(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? '',
    text: bytes.toString('utf8'),
  };
}

function decodeQuotedPrintable(text: string): Buffer {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let index = 0; index < joined.length; index++) {
    const hex = joined.slice(index + 1, index + 3);
    if (joined[index] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(joined.charCodeAt(index) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`) in a header value. */
function decodeHeaderWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, kind: string, word: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(word, 'base64').toString('utf8')
        : decodeQuotedPrintable(word.replace(/_/g, ' ')).toString('utf8'),
    );
}
