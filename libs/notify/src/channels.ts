import { DeliveryError } from './delivery-error.js';
import { EmailSender, type SmtpSettings } from './email.js';
import { post } from './http-post.js';
import { describeTarget, type ChannelTarget, type Notification } from './notification.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook } from './signature.js';
import { slackMessage } from './slack.js';
import { teamsMessage } from './teams.js';

export interface ChannelsOptions {
  /** Without it, e-mail targets fail with a DeliveryError saying e-mail is not configured. */
  smtp?: SmtpSettings;
  /** Per HTTP attempt. */
  timeoutMs?: number;
  now?: () => Date;
}

/** The body a signed webhook receives. */
export function webhookBody(n: Notification, at: Date): string {
  return JSON.stringify({
    id: n.id,
    event: n.event,
    title: n.title,
    text: n.text,
    severity: n.severity,
    link: n.link ?? null,
    data: n.data ?? {},
    sentAt: at.toISOString(),
  });
}

/** Sends one notification to one target, once: the caller (a delivery worker) decides about retries from the DeliveryError. */
export class Channels {
  private readonly email?: EmailSender;
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(options: ChannelsOptions = {}) {
    this.email = options.smtp ? new EmailSender(options.smtp) : undefined;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? (() => new Date());
  }

  async send(n: Notification, target: ChannelTarget): Promise<void> {
    const name = describeTarget(target);
    switch (target.kind) {
      case 'SLACK':
        await post(name, target.url, JSON.stringify(slackMessage(n)), { timeoutMs: this.timeoutMs });
        return;
      case 'TEAMS':
        await post(name, target.url, JSON.stringify(teamsMessage(n)), { timeoutMs: this.timeoutMs });
        return;
      case 'EMAIL':
        if (!this.email)
          throw new DeliveryError('e-mail is not configured (set NOTIFY_SMTP_URL and NOTIFY_EMAIL_FROM)', false);
        await this.email.send(n, target.to);
        return;
      case 'WEBHOOK': {
        const at = this.now();
        const body = webhookBody(n, at);
        const headers = {
          [SIGNATURE_HEADER]: signWebhook(body, target.secret, at),
          [DELIVERY_HEADER]: n.id,
          [EVENT_HEADER]: n.event,
        };
        await post(name, target.url, body, { timeoutMs: this.timeoutMs, headers });
        return;
      }
    }
  }

  close(): void {
    this.email?.close();
  }
}
