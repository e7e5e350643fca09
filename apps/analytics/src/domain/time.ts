export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A half-open window of instants [from, to). */
export interface Window {
  from: Date;
  to: Date;
  /** IANA time zone in which calendar days are counted (default UTC). */
  timeZone?: string;
}

export function inWindow(at: Date | undefined, w: Window): at is Date {
  return at !== undefined && at.getTime() >= w.from.getTime() && at.getTime() < w.to.getTime();
}

/** Offset of `timeZone` from UTC at `at`, in ms (Europe/Berlin in summer: +2 h). */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function zoneOffsetMs(at: Date, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  let format = formatters.get(timeZone);
  if (!format) {
    // Building a formatter costs far more than using one; there are few zones.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The wall-clock reading of `at` in `timeZone`, as ms since the epoch of that reading taken as UTC. */
function wallClock(at: Date, timeZone: string): number {
  return at.getTime() + zoneOffsetMs(at, timeZone);
}

/**
 * Calendar days the window spans in its time zone: a window from local midnight to the next local
 * midnight is one day even across a DST change (23 or 25 elapsed hours).
 */
export function calendarDays(w: Window): number {
  const tz = w.timeZone ?? 'UTC';
  return Math.max(0, (wallClock(w.to, tz) - wallClock(w.from, tz)) / DAY);
}

/** The local day of an instant in a time zone, as days since 1970-01-01 (cheaper than the date's text). */
export function localDay(at: Date, timeZone = 'UTC'): number {
  return Math.floor(wallClock(at, timeZone) / DAY);
}

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Date, timeZone = 'UTC'): string {
  return new Date(wallClock(at, timeZone)).toISOString().slice(0, 10);
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Median of the values (mean of the two middle ones for an even count); undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function mean(values: readonly number[]): number | undefined {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

export const minDate = (dates: (Date | undefined)[]): Date | undefined =>
  dates.reduce<Date | undefined>((m, d) => (d && (!m || d.getTime() < m.getTime()) ? d : m), undefined);

/** The instant at which a wall-clock reading (ms since the epoch of that reading taken as UTC) occurs in `timeZone`. */
export function instantOfWallClock(wall: number, timeZone: string): Date {
  // The offset at the answer can differ from the offset at `wall` read as UTC (near a DST change): settle it twice.
  let t = wall - zoneOffsetMs(new Date(wall), timeZone);
  t = wall - zoneOffsetMs(new Date(t), timeZone);
  return new Date(t);
}

export type TrendInterval = 'DAY' | 'WEEK' | 'MONTH';

/** Start (as a wall-clock reading) of the calendar period after the one containing `wall`: next day, next Monday, next 1st. */
function nextPeriodStart(wall: number, interval: TrendInterval): number {
  const d = new Date(Math.floor(wall / DAY) * DAY);
  if (interval === 'DAY') return d.getTime() + DAY;
  if (interval === 'WEEK') return d.getTime() + (7 - ((d.getUTCDay() + 6) % 7)) * DAY;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * The window cut at calendar boundaries of its time zone (local midnight; weeks start on Monday; months on the 1st).
 * The first and last parts are clipped to the window, so the parts cover it exactly and never overlap.
 */
export function calendarPeriods(window: Window, interval: TrendInterval): Window[] {
  const tz = window.timeZone ?? 'UTC';
  const periods: Window[] = [];
  let from = window.from;
  while (from.getTime() < window.to.getTime()) {
    const boundary = instantOfWallClock(nextPeriodStart(wallClock(from, tz), interval), tz);
    // A period is at least a day and an offset changes by hours, so each boundary is after the last.
    if (boundary.getTime() <= from.getTime())
      throw new Error(`calendarPeriods: no progress at ${from.toISOString()} in ${tz}`);
    const to = boundary.getTime() < window.to.getTime() ? boundary : window.to;
    periods.push({ from, to, ...(window.timeZone ? { timeZone: window.timeZone } : {}) });
    from = to;
  }
  return periods;
}
