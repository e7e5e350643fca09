import { AdviceSource } from '../../components/AdviceSource.js';
import { Badge } from '../../components/Badge.js';
import { MetricChart } from '../../components/MetricChart.js';
import { formatTime, humanize } from '../../format/dates.js';
import type { RolloutData } from './rollout-data.js';

export function AnalysisRuns({ runs }: { runs: RolloutData['analysisRuns'] }) {
  return (
    <section className="card" aria-labelledby="analysis-h">
      <h2 id="analysis-h">Analysis</h2>
      {runs.length === 0 && <p className="muted">No analysis has run yet.</p>}
      {runs.map((run) => (
        <section key={run.id} className="analysis-run" aria-label={`Analysis of step ${run.stepIndex + 1}`}>
          <h3>
            Step {run.stepIndex + 1}: <Badge value={run.phase} /> score {run.score ?? '—'} (pass {run.passScore},
            warning {run.warningScore})
          </h3>
          <p className="muted">
            {formatTime(run.startedAt)} → {formatTime(run.completedAt)}
            {run.message ? ` — ${run.message}` : ''}
          </p>
          <div className="charts">
            {run.metrics.map((m) => (
              <div key={m.name}>
                <h4>
                  {m.name} <Badge value={m.phase} />
                </h4>
                <MetricChart metric={m} />
                <details>
                  <summary>Query and measurements</summary>
                  <pre>
                    <code>{m.query}</code>
                  </pre>
                  <p className="muted">
                    every {m.intervalSeconds} s, {m.count} measurements, at most {m.failureLimit} failed and{' '}
                    {m.inconclusiveLimit} inconclusive
                  </p>
                  <ul>
                    {m.measurements.map((x) => (
                      <li key={x.at}>
                        {formatTime(x.at)}: {x.value ?? 'no value'} ({x.phase.toLowerCase()}) {x.detail}
                      </li>
                    ))}
                  </ul>
                </details>
              </div>
            ))}
          </div>
          {run.advice && (
            <div className="advice">
              <h4>Advice beside the verdict (never acted on)</h4>
              <AdviceSource
                source={run.advice.source}
                confidence={run.advice.confidence}
                fallbackReason={run.advice.fallbackReason}
              />
              <p>
                <Badge
                  value={
                    run.advice.recommendation === 'PROMOTE'
                      ? 'PASS'
                      : run.advice.recommendation === 'ROLLBACK'
                        ? 'FAIL'
                        : 'WARN'
                  }
                  label={humanize(run.advice.recommendation)}
                />{' '}
                {run.advice.rationale}
              </p>
            </div>
          )}
        </section>
      ))}
    </section>
  );
}
