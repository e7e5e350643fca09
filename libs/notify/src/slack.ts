import type { Notification } from './notification.js';

const EMOJI = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' } as const;

/** Slack's mrkdwn: *bold* with single asterisks, links as <url|label>. */
function mrkdwn(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '*$1*').replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, '<$2|$1>');
}

/** The JSON an incoming webhook takes (Block Kit), with `text` as the fallback for notifications. */
export function slackMessage(n: Notification): Record<string, unknown> {
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: n.title.slice(0, 150) } },
    // A section's text is limited to 3000 characters.
    { type: 'section', text: { type: 'mrkdwn', text: `${EMOJI[n.severity]} ${mrkdwn(n.text)}`.slice(0, 3000) } },
  ];
  if (n.link)
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: n.link.label.slice(0, 75) }, url: n.link.url }],
    });
  return { text: `${n.title}${n.link ? ` — ${n.link.url}` : ''}`, blocks };
}
