/** The rollout's decisions as sentences a person reads in an incident: pure, shared by the timeline and its tests. */

export interface DecisionInput {
  at: string;
  action: string;
  message: string;
  measurements: readonly { metric: string; value?: number | null; phase: string; detail: string }[];
}

export type DecisionTone = 'good' | 'bad' | 'warn' | 'info' | 'neutral';

export interface DecisionLine {
  at: string;
  action: string;
  tone: DecisionTone;
  sentence: string;
  evidence: string[];
}

const TONE: Record<string, DecisionTone> = {
  START_ROLLBACK: 'bad',
  APPLY_ROLLBACK: 'bad',
  FINISH_ROLLBACK: 'bad',
  RESTORE_STABLE: 'bad',
  START_PROMOTION: 'good',
  APPLY_PROMOTION: 'good',
  FINISH_PROMOTION: 'good',
  COMPLETE_STEP: 'good',
  PAUSE: 'warn',
  PAUSE_INCONCLUSIVE: 'warn',
  AWAIT_APPROVAL: 'warn',
  HOLD: 'warn',
  START: 'info',
  START_STEP: 'info',
  SET_WEIGHT: 'info',
  APPLY_STEP: 'info',
  ANALYSIS: 'info',
  MEASURE: 'info',
  ROLLING_UPDATE: 'info',
};

function value(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'no value';
  return Math.abs(v) >= 100 || Number.isInteger(v) ? String(v) : v.toPrecision(3);
}

/** Oldest first; each measurement behind a decision as "metric = value (PHASE): detail". */
export function decisionLines(decisions: readonly DecisionInput[]): DecisionLine[] {
  return [...decisions]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((d) => {
      const sentence = d.message.trim();
      return {
        at: d.at,
        action: d.action,
        tone: TONE[d.action] ?? 'neutral',
        sentence: /[.!?]$/.test(sentence) ? sentence : `${sentence}.`,
        evidence: d.measurements.map((m) => `${m.metric} = ${value(m.value)} (${m.phase.toLowerCase()}): ${m.detail}`),
      };
    });
}
