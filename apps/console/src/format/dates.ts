const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZone: 'UTC',
});

/** A calendar date, in UTC like the API's dates: "1 Mar 2027". */
export function formatDate(iso: string | null | undefined): string {
  return iso ? dateFormat.format(new Date(iso)) : '—';
}

/** A moment, in UTC: "1 Mar, 14:05:09 UTC". */
export function formatTime(iso: string | null | undefined): string {
  return iso ? `${timeFormat.format(new Date(iso))} UTC` : '—';
}

export function formatPercent(ratio: number | null | undefined, digits = 0): string {
  return ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(digits)}%`;
}

export function formatNumber(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

export function humanize(constant: string): string {
  const words = constant
    .toLowerCase()
    .replace(/_/g, ' ')
    .replace(/\b(qa|ai|sre|ci|mvp)\b/g, (w) => w.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
}
