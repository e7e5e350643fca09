import { useCallback, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { usePolling } from '../../api/usePolling.js';
import { approvalRoles, can } from '../../auth/permissions.js';
import { useSession } from '../../auth/SessionContext.js';
import { ApiError } from '../../components/ApiError.js';
import { Badge } from '../../components/Badge.js';
import { formatTime, humanize } from '../../format/dates.js';
import { graphql } from '../../gql/index.js';
import type { GateRole, ReleaseGatesQuery } from '../../gql/graphql.js';

const Gates = graphql(`
  query ReleaseGates($id: ID!) {
    release(id: $id) {
      id
      product
      version
      gates {
        name
        title
        outcome
        passedAt
        definition {
          version
          fourEyes
          appliesTo
          approvals {
            role
            count
          }
        }
        latestEvaluation {
          id
          outcome
          approvalsPending
          reasons
          evaluatedAt
          evaluatedBy
          trigger
          definitionVersion
          override {
            by
            reason
            measuredOutcome
          }
          criteria {
            criterionId
            name
            kind
            hard
            result
            value
            measured
            threshold
            explanation
            evidence
          }
          approvals {
            role
            required
            approvedBy
            satisfied
          }
        }
        evidence {
          id
          kind
          name
          submittedBy
          submittedAt
          bytes
        }
        checklist {
          criterionId
          itemId
          label
          ticked
          by
          at
          evidenceUrl
          note
        }
        approvals {
          id
          by
          role
          comment
          at
          active
          withdrawnAt
          withdrawnReason
        }
      }
    }
  }
`);

const Approve = graphql(`
  mutation ApproveGate($release: String!, $gate: String!, $role: GateRole, $comment: String) {
    approveGate(release: $release, gate: $gate, role: $role, comment: $comment) {
      name
      outcome
    }
  }
`);
const Evaluate = graphql(`
  mutation EvaluateGate($release: String!, $gate: String!) {
    evaluateGate(release: $release, gate: $gate) {
      name
      outcome
    }
  }
`);
const Tick = graphql(`
  mutation TickChecklist($release: String!, $gate: String!, $criterion: String!, $item: String!) {
    tickChecklistItem(release: $release, gate: $gate, criterion: $criterion, item: $item) {
      name
    }
  }
`);

type Gate = NonNullable<ReleaseGatesQuery['release']>['gates'][number];

export function GatesSection({ releaseId, owner }: { releaseId: string; owner: string }) {
  const [result, refetch] = useQuery({ query: Gates, variables: { id: releaseId } });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  usePolling(refresh, 5_000, true);
  const gates = result.data?.release?.gates ?? [];
  return (
    <section id="gates" tabIndex={-1} aria-labelledby="gates-h" className="card">
      <h2 id="gates-h">Gates</h2>
      <ApiError error={result.error} />
      {result.data && gates.length === 0 && (
        <p className="muted">
          The gates service has not heard of this release yet (it learns it from planning's events within a second or
          two).
        </p>
      )}
      {gates.map((g) => (
        <GateCard key={g.name} gate={g} releaseId={releaseId} owner={owner} onChange={refresh} />
      ))}
    </section>
  );
}

function GateCard({
  gate,
  releaseId,
  owner,
  onChange,
}: {
  gate: Gate;
  releaseId: string;
  owner: string;
  onChange(): void;
}) {
  const { session } = useSession();
  const [approval, approve] = useMutation(Approve);
  const [evaluation, evaluate] = useMutation(Evaluate);
  const [ticking, tick] = useMutation(Tick);
  const [comment, setComment] = useState('');
  const latest = gate.latestEvaluation;
  const statuses =
    latest?.approvals ??
    gate.definition.approvals.map((a) => ({
      role: a.role,
      required: a.count,
      approvedBy: [] as string[],
      satisfied: false,
    }));
  const mine = gate.passedAt ? [] : approvalRoles(session, statuses);
  const headingId = `gate-${gate.name}`;
  return (
    <section className="gate" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {gate.title} {gate.outcome ? <Badge value={gate.outcome} /> : <Badge value="PENDING" label="not evaluated" />}
        {latest?.approvalsPending && (
          <>
            {' '}
            <Badge value="PAUSED" label="waiting for approvals" />
          </>
        )}
      </h3>
      {gate.passedAt && <p>Passed {formatTime(gate.passedAt)}.</p>}
      {latest && (
        <>
          <p className="muted">
            Evaluated {formatTime(latest.evaluatedAt)} by {latest.evaluatedBy} ({latest.trigger}), definition version{' '}
            {latest.definitionVersion}.
          </p>
          {latest.reasons.length > 0 && (
            <ul aria-label={`Why ${gate.title} is ${latest.outcome}`}>
              {latest.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
          {latest.override && (
            <p>
              <strong>Overridden</strong> by {latest.override.by} (measured {latest.override.measuredOutcome}):{' '}
              {latest.override.reason}
            </p>
          )}
          <div className="table-wrap">
            <table>
              <caption>Criteria of {gate.title}</caption>
              <thead>
                <tr>
                  <th scope="col">Criterion</th>
                  <th scope="col">Result</th>
                  <th scope="col">Measured</th>
                  <th scope="col">Threshold</th>
                  <th scope="col">Why</th>
                  <th scope="col">Evidence</th>
                </tr>
              </thead>
              <tbody>
                {latest.criteria.map((c) => (
                  <tr key={c.criterionId}>
                    <th scope="row">
                      {c.name}{' '}
                      <span className="muted">
                        ({c.kind}, {c.hard ? 'hard' : 'soft'})
                      </span>
                    </th>
                    <td>
                      <Badge value={c.result} />
                    </td>
                    <td>{c.measured}</td>
                    <td>{c.threshold}</td>
                    <td>{c.explanation}</td>
                    <td>{c.evidence.join(', ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h4>Approvals</h4>
      {gate.definition.fourEyes && (
        <p>
          <Badge value="INFO" tone="info" label="Four-eyes" /> The requester ({owner}) cannot be this gate's only
          approver.
        </p>
      )}
      <ul>
        {statuses.map((s) => (
          <li key={s.role}>
            <Badge value={s.satisfied ? 'PASS' : 'PENDING'} label={s.satisfied ? 'satisfied' : 'waiting'} />{' '}
            {humanize(s.role)}: {s.approvedBy.length} of {s.required}
            {s.approvedBy.length > 0 && <> ({s.approvedBy.join(', ')})</>}
          </li>
        ))}
      </ul>
      {gate.approvals.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption>Approvals given</caption>
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">Role</th>
                <th scope="col">When</th>
                <th scope="col">Comment</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {gate.approvals.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{a.by}</th>
                  <td>{humanize(a.role)}</td>
                  <td>{formatTime(a.at)}</td>
                  <td>{a.comment || '—'}</td>
                  <td>{a.active ? 'active' : `withdrawn ${formatTime(a.withdrawnAt)}: ${a.withdrawnReason ?? ''}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {mine.length > 0 && (
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            void approve({
              release: releaseId,
              gate: gate.name,
              role: mine[0] as GateRole,
              comment: comment || null,
            }).then(onChange);
          }}
        >
          <label>
            Comment <input value={comment} onChange={(e) => setComment(e.target.value)} />
          </label>
          <button type="submit" disabled={approval.fetching}>
            Approve {gate.title} as {humanize(mine[0]!)}
          </button>
        </form>
      )}
      <ApiError error={approval.error} action={`Approving ${gate.title}`} />
      {gate.checklist.length > 0 && (
        <>
          <h4>Checklist</h4>
          <ul className="checklist">
            {gate.checklist.map((item) => (
              <li key={`${item.criterionId}:${item.itemId}`}>
                <Badge value={item.ticked ? 'DONE' : 'PENDING'} label={item.ticked ? 'done' : 'open'} /> {item.label}
                {item.ticked && (
                  <span className="muted">
                    {' '}
                    — {item.by}, {formatTime(item.at)}
                    {item.note ? `: ${item.note}` : ''}
                  </span>
                )}
                {!item.ticked && can(session, 'tickChecklist') && (
                  <button
                    type="button"
                    className="small"
                    disabled={ticking.fetching}
                    onClick={() =>
                      void tick({
                        release: releaseId,
                        gate: gate.name,
                        criterion: item.criterionId,
                        item: item.itemId,
                      }).then(onChange)
                    }
                  >
                    Tick “{item.label}”
                  </button>
                )}
              </li>
            ))}
          </ul>
          <ApiError error={ticking.error} action="Ticking the item" />
        </>
      )}
      {gate.evidence.length > 0 && (
        <>
          <h4>Evidence</h4>
          <ul>
            {gate.evidence.map((e) => (
              <li key={e.id}>
                {e.kind} <code>{e.name}</code> — {e.submittedBy}, {formatTime(e.submittedAt)}, {e.bytes} bytes
              </li>
            ))}
          </ul>
        </>
      )}
      {can(session, 'evaluateGate') && (
        <button
          type="button"
          className="secondary"
          disabled={evaluation.fetching}
          onClick={() => void evaluate({ release: releaseId, gate: gate.name }).then(onChange)}
        >
          {latest ? `Evaluate ${gate.title} again` : `Evaluate ${gate.title}`}
        </button>
      )}
      <ApiError error={evaluation.error} action={`Evaluating ${gate.title}`} />
    </section>
  );
}
