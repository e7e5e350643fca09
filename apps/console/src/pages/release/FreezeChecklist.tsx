import { useState } from 'react';
import { formatTime } from '../../format/dates.js';

export interface FreezeItem {
  id: string;
  phase: 'PRE_FREEZE' | 'FREEZE' | 'STABILISATION';
  title: string;
  ticked: boolean;
  evidence?: string | null;
  byName?: string | null;
  at?: string | null;
}

const PHASES = [
  ['PRE_FREEZE', 'Pre-freeze (48 h before)'],
  ['FREEZE', 'Freeze'],
  ['STABILISATION', 'Stabilisation'],
] as const;

/**
 * The code-freeze checklist by phase: ticked items with their evidence, who and when; open items with an evidence
 * field and a Tick button for those who may tick (`onTick` absent: read only).
 */
export function FreezeChecklist({
  items,
  onTick,
  ticking,
}: {
  items: readonly FreezeItem[];
  onTick?: (item: string, evidence: string) => void;
  /** The item being ticked now, whose button waits. */
  ticking?: string;
}) {
  const [evidence, setEvidence] = useState<Record<string, string>>({});
  const done = items.filter((i) => i.ticked).length;
  return (
    <>
      <p>
        {done} of {items.length} items ticked.
      </p>
      {PHASES.map(([phase, label]) => (
        <div key={phase}>
          <h3>{label}</h3>
          <ul className="checklist">
            {items
              .filter((i) => i.phase === phase)
              .map((i) => (
                <li key={i.id}>
                  <span aria-hidden="true">{i.ticked ? '☑' : '☐'}</span> <strong>{i.title}</strong>{' '}
                  <span className="muted">({i.id})</span>
                  {i.ticked ? (
                    <p className="muted">
                      {i.evidence} — {i.byName}, {i.at ? formatTime(i.at) : ''}
                    </p>
                  ) : (
                    onTick && (
                      <form
                        onSubmit={(e) => {
                          e.preventDefault();
                          onTick(i.id, (evidence[i.id] ?? '').trim());
                        }}
                      >
                        <label>
                          Evidence for {i.id}{' '}
                          <input
                            value={evidence[i.id] ?? ''}
                            placeholder="a link or a sentence showing it is done"
                            onChange={(e) => setEvidence({ ...evidence, [i.id]: e.target.value })}
                          />
                        </label>{' '}
                        <button type="submit" disabled={ticking === i.id || !(evidence[i.id] ?? '').trim()}>
                          {ticking === i.id ? 'Ticking…' : 'Tick'}
                        </button>
                      </form>
                    )
                  )}
                </li>
              ))}
          </ul>
        </div>
      ))}
    </>
  );
}
