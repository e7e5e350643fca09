import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpReceiver, startSmtpSink, freePort, type HttpReceiver, type SmtpSink } from '@flightdeck/testing';
import {
  Channels,
  DeliveryError,
  parseChannelTarget,
  verifyWebhookSignature,
  type Notification,
} from '../src/index.js';

const note: Notification = {
  id: 'd-1f2e',
  event: 'gate.failed',
  title: 'shop 2.6.0: the Alpha gate FAILED',
  text: '**system-tests**: 3 of 120 failed.\n\n- Fix or waive them, then re-evaluate.',
  severity: 'critical',
  link: { label: 'Open the release', url: 'http://127.0.0.1:4000/#/releases/r-1' },
  data: { releaseId: 'r-1', gate: 'ALPHA', outcome: 'FAIL' },
};

describe('channels against real receivers', () => {
  let http: HttpReceiver;
  let smtp: SmtpSink;
  let channels: Channels;
  const at = new Date('2030-01-07T09:00:00Z');

  beforeAll(async () => {
    [http, smtp] = await Promise.all([startHttpReceiver(), startSmtpSink()]);
    channels = new Channels({
      smtp: { url: smtp.url, from: 'Flightdeck <flightdeck@example.com>', timeoutMs: 5000 },
      now: () => at,
      timeoutMs: 5000,
    });
  });
  afterAll(async () => {
    channels.close();
    await Promise.all([http.stop(), smtp.stop()]);
  });

  it('posts Block Kit to a Slack incoming webhook, with the link as a button', async () => {
    await channels.send(note, parseChannelTarget({ kind: 'SLACK', url: `${http.url}/slack/T0/B0/x` }));
    const body = JSON.parse(http.received.at(-1)!.body);
    expect(body.text).toBe('shop 2.6.0: the Alpha gate FAILED — http://127.0.0.1:4000/#/releases/r-1');
    expect(body.blocks[1].text.text).toBe(
      ':rotating_light: *system-tests*: 3 of 120 failed.\n\n- Fix or waive them, then re-evaluate.',
    );
    expect(body.blocks[2].elements[0]).toMatchObject({ type: 'button', url: 'http://127.0.0.1:4000/#/releases/r-1' });
  });

  it('posts an Adaptive Card to a Teams webhook', async () => {
    await channels.send(note, parseChannelTarget({ kind: 'TEAMS', url: `${http.url}/teams` }));
    const body = JSON.parse(http.received.at(-1)!.body);
    const card = body.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.body.map((b: { text: string }) => b.text)).toEqual([
      note.title,
      '**system-tests**: 3 of 120 failed.',
      '- Fix or waive them, then re-evaluate.',
    ]);
    expect(card.content.actions[0]).toEqual({ type: 'Action.OpenUrl', title: 'Open the release', url: note.link!.url });
  });

  it('signs a generic webhook over timestamp and body; the receiver verifies it and a changed body fails', async () => {
    const secret = 'a-shared-secret-of-32-characters';
    await channels.send(note, parseChannelTarget({ kind: 'WEBHOOK', url: `${http.url}/hook`, secret }));
    const req = http.received.at(-1)!;
    expect(req.headers['x-flightdeck-delivery']).toBe('d-1f2e');
    expect(req.headers['x-flightdeck-event']).toBe('gate.failed');
    const header = req.headers['x-flightdeck-signature'] as string;
    expect(verifyWebhookSignature(req.body, header, secret, { now: at })).toEqual({ valid: true });
    expect(verifyWebhookSignature(req.body.replace('FAIL', 'PASS'), header, secret, { now: at })).toEqual({
      valid: false,
      reason: 'the signature does not match the body',
    });
    expect(verifyWebhookSignature(req.body, header, 'another-secret-of-32-characters!', { now: at }).valid).toBe(false);
    expect(verifyWebhookSignature(req.body, header, secret, { now: new Date(at.getTime() + 3_600_000) })).toEqual({
      valid: false,
      reason: "the signature's timestamp is 3600 s away from now (at most 300 s)",
    });
    expect(JSON.parse(req.body)).toMatchObject({ id: 'd-1f2e', data: { outcome: 'FAIL' }, sentAt: at.toISOString() });
  });

  it('sends e-mail over SMTP with the delivery id as Message-ID', async () => {
    await channels.send(note, parseChannelTarget({ kind: 'EMAIL', to: ['qa@example.com', 'rm@example.com'] }));
    const [mail] = (await smtp.waitFor(1)).slice(-1);
    expect(mail!.from).toBe('flightdeck@example.com');
    expect(mail!.to).toEqual(['qa@example.com', 'rm@example.com']);
    expect(mail!.raw).toContain('Message-ID: <d-1f2e@example.com>');
    expect(mail!.raw).toContain('Subject: shop 2.6.0: the Alpha gate FAILED');
    expect(mail!.raw).toContain('Open the release: http://127.0.0.1:4000/#/releases/r-1');
  });

  it('says a busy receiver is worth another try, with its Retry-After, and a refusal is not', async () => {
    http.failNext(1, 429, 7);
    const busy = await channels
      .send(note, parseChannelTarget({ kind: 'SLACK', url: `${http.url}/slack` }))
      .catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(DeliveryError);
    expect(busy).toMatchObject({
      retryable: true,
      retryAfterMs: 7000,
      message: 'slack http://127.0.0.1:' + new URL(http.url).port + '/… answered HTTP 429: rate_limited',
    });
    http.failNext(1, 404);
    await expect(
      channels.send(note, parseChannelTarget({ kind: 'TEAMS', url: `${http.url}/gone` })),
    ).rejects.toMatchObject({ retryable: false });
  });

  it('an SMTP 4xx reply is retryable, a 5xx is not', async () => {
    const target = parseChannelTarget({ kind: 'EMAIL', to: ['qa@example.com'] });
    smtp.failNext(1, 451);
    await expect(channels.send(note, target)).rejects.toMatchObject({
      retryable: true,
      message: expect.stringMatching(/^the SMTP server 127\.0\.0\.1:\d+ answered 451/),
    });
    smtp.failNext(1, 550);
    await expect(channels.send(note, target)).rejects.toMatchObject({
      retryable: false,
      message: expect.stringMatching(/answered 550/),
    });
  });
});

describe('bad targets and unreachable servers', () => {
  it('an unknown channel is named with the known ones', () => {
    expect(() => parseChannelTarget({ kind: 'PAGER', url: 'https://x' })).toThrow(
      'channel "PAGER" is unknown; expected one of SLACK, TEAMS, EMAIL, WEBHOOK',
    );
    expect(() => parseChannelTarget({ url: 'https://x' })).toThrow('channel null is unknown');
  });

  it('a bad address names the field', () => {
    expect(() => parseChannelTarget({ kind: 'EMAIL', to: ['not-an-address'] })).toThrow(/EMAIL target: to\.0: /);
    expect(() => parseChannelTarget({ kind: 'WEBHOOK', url: 'https://hooks.example.com/x', secret: 'short' })).toThrow(
      'WEBHOOK target: secret: a shared secret of at least 16 characters',
    );
    expect(() => parseChannelTarget({ kind: 'SLACK', url: 'http://hooks.slack.com/x' })).toThrow(/an https:\/\/ URL/);
  });

  it('an unreachable SMTP server is a retryable error naming the server', async () => {
    const port = await freePort();
    const channels = new Channels({
      smtp: { url: `smtp://127.0.0.1:${port}`, from: 'flightdeck@example.com', timeoutMs: 2000 },
    });
    const error = await channels
      .send(note, parseChannelTarget({ kind: 'EMAIL', to: ['a@example.com'] }))
      .catch((e: unknown) => e);
    channels.close();
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).retryable).toBe(true);
    expect((error as DeliveryError).message).toMatch(
      new RegExp(`^could not reach the SMTP server 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
  });

  it('e-mail without SMTP settings says what to set', async () => {
    await expect(
      new Channels().send(note, parseChannelTarget({ kind: 'EMAIL', to: ['a@example.com'] })),
    ).rejects.toThrow('e-mail is not configured (set NOTIFY_SMTP_URL and NOTIFY_EMAIL_FROM)');
  });

  it('an unreachable webhook is retryable', async () => {
    const port = await freePort();
    await expect(
      new Channels({ timeoutMs: 2000 }).send(
        note,
        parseChannelTarget({ kind: 'WEBHOOK', url: `http://127.0.0.1:${port}/x`, secret: '0123456789abcdef' }),
      ),
    ).rejects.toMatchObject({
      retryable: true,
      message: expect.stringMatching(/^could not reach webhook .*ECONNREFUSED/),
    });
  });
});
