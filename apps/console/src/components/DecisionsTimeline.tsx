import { formatTime, humanize } from '../format/dates.js';
import { decisionLines, type DecisionInput } from './decisions.js';

const SYMBOL = { good: '✓', bad: '✗', warn: '!', info: '→', neutral: '·' } as const;

export function DecisionsTimeline({ decisions }: { decisions: readonly DecisionInput[] }) {
  const lines = decisionLines(decisions);
  if (lines.length === 0) return <p className="muted">No decisions yet.</p>;
  return (
    <ol className="timeline" aria-label="Decisions, oldest first">
      {lines.map((l, i) => (
        <li key={`${l.at}:${i}`} className={`tone-border-${l.tone}`}>
          <span className={`dot tone-${l.tone}`} aria-hidden="true">
            {SYMBOL[l.tone]}
          </span>
          <time dateTime={l.at}>{formatTime(l.at)}</time> <span className="muted">{humanize(l.action)}</span>
          <p>{l.sentence}</p>
          {l.evidence.length > 0 && (
            <ul className="evidence" aria-label="Measurements behind it">
              {l.evidence.map((e) => (
                <li key={e}>
                  <code>{e}</code>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
