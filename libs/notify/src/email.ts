import nodemailer, { type Transporter, type TransportOptions } from 'nodemailer';
import { DeliveryError } from './delivery-error.js';
import type { Notification } from './notification.js';

export interface SmtpSettings {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS from the start). */
  url: string;
  /** The From address, e.g. `Flightdeck <flightdeck@example.com>`. */
  from: string;
  timeoutMs: number;
}

interface SmtpFailure extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** What the mail server or the connection said, as a sentence; 4xx replies and connection trouble are worth another try. */
function describe(error: SmtpFailure, where: string): DeliveryError {
  if (error.responseCode) {
    const retryable = error.responseCode >= 400 && error.responseCode < 500;
    return new DeliveryError(
      `the SMTP server ${where} answered ${error.response ?? error.responseCode}`,
      retryable,
      undefined,
      { cause: error },
    );
  }
  if (error.code === 'EAUTH')
    return new DeliveryError(`the SMTP server ${where} refused the credentials: ${error.message}`, false, undefined, {
      cause: error,
    });
  if (error.code === 'EENVELOPE' || error.code === 'EMESSAGE')
    return new DeliveryError(`the message was refused before sending: ${error.message}`, false, undefined, {
      cause: error,
    });
  return new DeliveryError(`could not reach the SMTP server ${where}: ${error.message}`, true, undefined, {
    cause: error,
  });
}

function where(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol === 'smtps:' ? 465 : 587)}`;
}

/** Plain text with the link at the end; the Message-ID comes from the delivery id, so a resent copy is recognisable as the same message. */
export function emailMessage(n: Notification, from: string, to: string[]) {
  const domain = from.match(/@([^>\s]+)/)?.[1] ?? 'flightdeck.invalid';
  return {
    from,
    to,
    subject: n.title,
    text: `${n.text}\n${n.link ? `\n${n.link.label}: ${n.link.url}\n` : ''}`,
    messageId: `<${n.id}@${domain}>`,
    headers: { 'X-Flightdeck-Event': n.event },
  };
}

/** Sends over SMTP with nodemailer; one transport (and its connection settings) for every message. */
export class EmailSender {
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    const u = new URL(settings.url);
    if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
      throw new Error(`SMTP URL must start with smtp:// or smtps://, got ${u.protocol}//`);
    this.transport = nodemailer.createTransport({
      url: settings.url,
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
    } as TransportOptions);
  }

  async send(n: Notification, to: string[]): Promise<void> {
    try {
      await this.transport.sendMail(emailMessage(n, this.settings.from, to));
    } catch (error) {
      throw describe(error as SmtpFailure, where(this.settings.url));
    }
  }

  close(): void {
    this.transport.close();
  }
}
