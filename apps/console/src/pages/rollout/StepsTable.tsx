import { Badge } from '../../components/Badge.js';
import { formatTime, humanize } from '../../format/dates.js';
import type { RolloutData } from './rollout-data.js';

function what(s: RolloutData['steps'][number]): string {
  switch (s.kind) {
    case 'SET_WEIGHT':
      return `canary to ${s.weight}%`;
    case 'PAUSE':
      return s.pauseSeconds === null || s.pauseSeconds === undefined
        ? 'pause until approved'
        : `pause ${s.pauseSeconds} s`;
    case 'ANALYSIS':
      return `analyse ${s.templates?.join(', ') ?? ''}`;
    default:
      return humanize(s.kind);
  }
}

export function StepsTable({ steps, current }: { steps: RolloutData['steps']; current: number }) {
  return (
    <section className="card" aria-labelledby="steps-h">
      <h2 id="steps-h">Steps</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Step</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col">Completed</th>
              <th scope="col">Approved by</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => (
              <tr
                key={s.index}
                aria-current={s.index === current ? 'step' : undefined}
                className={s.index === current ? 'current' : undefined}
              >
                <td>
                  {s.index + 1}
                  {s.index === current && <span className="sr-only"> (current)</span>}
                </td>
                <th scope="row">{what(s)}</th>
                <td>
                  <Badge value={s.status} />
                </td>
                <td>{formatTime(s.startedAt)}</td>
                <td>{formatTime(s.completedAt)}</td>
                <td>{s.approvedBy ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
