import { useState } from 'react';
import { useMutation } from 'urql';
import { can } from '../../auth/permissions.js';
import { useSession } from '../../auth/SessionContext.js';
import { ApiError } from '../../components/ApiError.js';
import { formatTime } from '../../format/dates.js';
import { graphql } from '../../gql/index.js';
import type { RolloutData } from './rollout-data.js';

const ApproveStep = graphql(`
  mutation ApproveStep($id: ID!) {
    approveStep(id: $id) {
      id
      phase
    }
  }
`);
const Abort = graphql(`
  mutation AbortRollout($id: ID!, $reason: String!) {
    abortRollout(id: $id, reason: $reason) {
      id
      phase
    }
  }
`);
const Retry = graphql(`
  mutation RetryRollout($id: ID!) {
    retryRollout(id: $id) {
      id
      phase
    }
  }
`);

const ABORTABLE = ['PROGRESSING', 'PAUSED', 'PROMOTING', 'STUCK', 'FAILED'];
const RETRYABLE = ['PAUSED', 'ROLLED_BACK', 'FAILED', 'STUCK'];

/** The actions the viewer's roles allow, where the rollout's phase admits them; the API's refusal is shown as is. */
export function RolloutActions({ rollout, onChange }: { rollout: RolloutData; onChange(): void }) {
  const { session } = useSession();
  const [approving, approve] = useMutation(ApproveStep);
  const [aborting, abort] = useMutation(Abort);
  const [retrying, retry] = useMutation(Retry);
  const [reason, setReason] = useState('');
  // A promoted rollout can still be rolled back: fast (the warm previous version scaled up) until warmUntil, by redeploying after.
  const promoted = rollout.phase === 'PROMOTED';
  const show = {
    approve: rollout.phase === 'PAUSED' && can(session, 'approveStep'),
    abort: (ABORTABLE.includes(rollout.phase) || promoted) && can(session, 'abortRollout'),
    retry: RETRYABLE.includes(rollout.phase) && can(session, 'retryRollout'),
  };
  if (!show.approve && !show.abort && !show.retry) return null;
  return (
    <section className="card" aria-labelledby="actions-h">
      <h2 id="actions-h">Actions</h2>
      {promoted && rollout.warmUntil && (
        <p className="muted">
          The previous version stays warm until {formatTime(rollout.warmUntil)}: a rollback before then is a scale-up,
          not a redeploy.
        </p>
      )}
      <div className="actions">
        {show.approve && (
          <button
            type="button"
            disabled={approving.fetching}
            onClick={() => void approve({ id: rollout.id }).then(onChange)}
          >
            Approve the step
          </button>
        )}
        {show.retry && (
          <button
            type="button"
            className="secondary"
            disabled={retrying.fetching}
            onClick={() => void retry({ id: rollout.id }).then(onChange)}
          >
            Retry
          </button>
        )}
        {show.abort && (
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              void abort({ id: rollout.id, reason }).then(onChange);
            }}
          >
            <label>
              Reason to roll back <input value={reason} onChange={(e) => setReason(e.target.value)} required />
            </label>
            <button type="submit" className="danger" disabled={aborting.fetching}>
              {promoted ? 'Roll back' : 'Abort and roll back'}
            </button>
          </form>
        )}
      </div>
      <ApiError error={approving.error} action="Approving the step" />
      <ApiError error={retrying.error} action="Retrying" />
      <ApiError error={aborting.error} action="Aborting" />
    </section>
  );
}
