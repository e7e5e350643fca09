export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'neutral';

const TONES: Record<string, Tone> = {
  PASS: 'good',
  PASSED: 'good',
  SUCCESSFUL: 'good',
  PROMOTED: 'good',
  COMPLETED: 'good',
  GO: 'good',
  RELEASED: 'good',
  DONE: 'good',
  ELITE: 'good',
  HIGH: 'good',
  WARN: 'warn',
  CONDITIONAL: 'warn',
  CONDITIONAL_GO: 'warn',
  INCONCLUSIVE: 'warn',
  PAUSED: 'warn',
  MEDIUM: 'warn',
  STUCK: 'warn',
  PENDING: 'neutral',
  FAIL: 'bad',
  FAILED: 'bad',
  ROLLED_BACK: 'bad',
  ROLLING_BACK: 'bad',
  NO_GO: 'bad',
  CANCELLED: 'neutral',
  LOW: 'bad',
  critical: 'bad',
  warning: 'warn',
  RUNNING: 'info',
  PROGRESSING: 'info',
  PROMOTING: 'info',
};

const SYMBOLS: Record<Tone, string> = { good: '✓', warn: '!', bad: '✗', info: '↻', neutral: '·' };

/** A state in words, with a symbol and a colour that only repeat what the word says. */
export function Badge({ value, label, tone }: { value: string; label?: string; tone?: Tone }) {
  const t = tone ?? TONES[value] ?? 'neutral';
  return (
    <span className={`badge tone-${t}`}>
      <span aria-hidden="true">{SYMBOLS[t]}</span> {label ?? value.replace(/_/g, ' ')}
    </span>
  );
}
