/** The one stream holding every Flightdeck event; the NATS subject of an event is its type. */
export const EVENTS_STREAM = 'FLIGHTDECK';
export const EVENTS_SUBJECTS = 'flightdeck.>';

/** Dead letters live outside `flightdeck.>` so no event consumer ever sees them. */
export const DEAD_LETTER_STREAM = 'FLIGHTDECK_DEAD_LETTERS';
export const DEAD_LETTER_SUBJECTS = 'flightdeck_deadletter.>';

export function deadLetterSubject(consumer: string): string {
  return `flightdeck_deadletter.${consumer}`;
}

/**
 * Header of an event published again from the dead letters for one durable consumer: only that consumer handles it,
 * every other one acknowledges it unread (they applied it the first time).
 */
export const REPLAY_FOR_HEADER = 'Flightdeck-Replay-For';

const durablePattern = /^[A-Za-z0-9_-]{1,64}$/;

export function assertDurableName(name: string): void {
  if (!durablePattern.test(name)) {
    throw new Error(
      `durable consumer name "${name}" is invalid: use 1-64 letters, digits, "_" or "-" (no dots, spaces or wildcards)`,
    );
  }
}

/** NATS subject matching: `*` matches one token, `>` one or more trailing tokens. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}

export function assertFilter(filter: string): void {
  const tokens = filter.split('.');
  if (tokens[0] !== 'flightdeck' || tokens.length < 2) {
    throw new Error(
      `subscription filter "${filter}" is outside the event stream: expected a subject under flightdeck.> such as flightdeck.planning.>`,
    );
  }
  if (tokens.some((t, i) => t === '' || (t === '>' && i !== tokens.length - 1) || (t.length > 1 && /[*>]/.test(t)))) {
    throw new Error(
      `subscription filter "${filter}" is not a valid NATS subject: tokens are separated by ".", "*" stands alone and ">" only at the end`,
    );
  }
}
