/** Who produced a piece of advice: an AI model, or the deterministic baseline (and why the AI was not used). */
export function AdviceSource({
  source,
  model,
  confidence,
  fallbackReason,
}: {
  source: string;
  model?: string | null;
  confidence?: number | null;
  fallbackReason?: string | null;
}) {
  const ai = source.toUpperCase() === 'AI';
  return (
    <p className="advice-source">
      <span className={`badge ${ai ? 'tone-info' : 'tone-neutral'}`}>
        {ai ? `AI${model ? ` (${model})` : ''}` : 'Deterministic baseline'}
      </span>
      {confidence !== undefined && confidence !== null && <span> confidence {(confidence * 100).toFixed(0)}%</span>}
      {!ai && fallbackReason && <span className="muted"> — {fallbackReason}</span>}
    </p>
  );
}
