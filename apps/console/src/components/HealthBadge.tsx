import type { HealthStatus } from '../gql/graphql.js';

/** Each health status as a word and a shape, so colour is never the only signal. */
export const HEALTH: Record<HealthStatus, { word: string; symbol: string; tone: 'good' | 'warn' | 'bad' }> = {
  GREEN: { word: 'Green', symbol: '●', tone: 'good' },
  YELLOW: { word: 'Yellow', symbol: '▲', tone: 'warn' },
  RED: { word: 'Red', symbol: '■', tone: 'bad' },
};

export interface HealthReasonView {
  rule: string;
  status: HealthStatus;
  message: string;
}

/** Reasons that made the status, worst first; a Green release with nothing wrong says so. */
export function reasonsWorstFirst(reasons: readonly HealthReasonView[]): HealthReasonView[] {
  const rank: Record<HealthStatus, number> = { RED: 0, YELLOW: 1, GREEN: 2 };
  return [...reasons].sort((a, b) => rank[a.status] - rank[b.status]);
}

export function HealthBadge({
  status,
  reasons,
  compact = false,
}: {
  status: HealthStatus;
  reasons?: readonly HealthReasonView[];
  compact?: boolean;
}) {
  const h = HEALTH[status];
  const sorted = reasons ? reasonsWorstFirst(reasons) : [];
  const shown = compact ? sorted.filter((r) => r.status !== 'GREEN').slice(0, 2) : sorted;
  return (
    <span className="health">
      <span className={`badge tone-${h.tone}`} aria-label={`Health: ${h.word}`}>
        <span aria-hidden="true">{h.symbol}</span> {h.word}
      </span>
      {shown.length > 0 && (
        <ul className="reasons" aria-label={`Why it is ${h.word}`}>
          {shown.map((r) => (
            <li key={`${r.rule}:${r.message}`}>
              <span className={`dot tone-${HEALTH[r.status].tone}`} aria-hidden="true">
                {HEALTH[r.status].symbol}
              </span>{' '}
              <span className="sr-only">{HEALTH[r.status].word}: </span>
              {r.message}
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
