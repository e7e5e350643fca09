import type { Notification } from './notification.js';

const COLOR = { info: 'Default', warning: 'Warning', critical: 'Attention' } as const;

/**
 * The JSON a Teams incoming webhook (a Workflows "post to a channel when a webhook request is received" flow, or a
 * legacy connector) takes: a message with one Adaptive Card attachment.
 */
export function teamsMessage(n: Notification): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', size: 'Large', weight: 'Bolder', wrap: true, color: COLOR[n.severity], text: n.title },
    // Adaptive Cards read a subset of Markdown in TextBlocks; one block per paragraph keeps line breaks.
    ...n.text.split(/\n{2,}/).map((p) => ({ type: 'TextBlock', wrap: true, text: p })),
  ];
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    ...(n.link ? { actions: [{ type: 'Action.OpenUrl', title: n.link.label, url: n.link.url }] } : {}),
  };
  return {
    type: 'message',
    summary: n.title,
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}
