import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { can } from '../../auth/permissions.js';
import { useSession } from '../../auth/SessionContext.js';
import { ApiError } from '../../components/ApiError.js';
import { graphql } from '../../gql/index.js';
import { FreezeChecklist } from './FreezeChecklist.js';

const Freeze = graphql(`
  query ReleaseFreeze($id: ID!) {
    release(id: $id) {
      id
      freezeChecklist {
        id
        phase
        title
        ticked
        evidence
        byName
        at
      }
      freezeExceptions {
        changeId
        reason
        byName
        at
      }
    }
  }
`);
const Tick = graphql(`
  mutation TickFreezeItem($releaseId: ID!, $item: String!, $evidence: String!) {
    tickFreezeItem(releaseId: $releaseId, item: $item, evidence: $evidence) {
      id
    }
  }
`);

export function FreezeSection({ releaseId }: { releaseId: string }) {
  const { session } = useSession();
  const [result, refetch] = useQuery({ query: Freeze, variables: { id: releaseId } });
  const [ticked, tick] = useMutation(Tick);
  const [ticking, setTicking] = useState<string>();
  const release = result.data?.release;
  return (
    <section id="freeze" tabIndex={-1} aria-labelledby="freeze-h" className="card">
      <h2 id="freeze-h">Code freeze</h2>
      <ApiError error={result.error} />
      {release && (
        <FreezeChecklist
          items={release.freezeChecklist}
          ticking={ticking}
          {...(can(session, 'tickFreezeItem')
            ? {
                onTick: (item: string, evidence: string) => {
                  setTicking(item);
                  void tick({ releaseId, item, evidence })
                    .then(() => refetch({ requestPolicy: 'network-only' }))
                    .finally(() => setTicking(undefined));
                },
              }
            : {})}
        />
      )}
      <ApiError error={ticked.error} action="Ticking the item" />
      {release && release.freezeExceptions.length > 0 && (
        <>
          <h3>Changes let in during the freeze</h3>
          <ul>
            {release.freezeExceptions.map((x) => (
              <li key={x.changeId}>
                <strong>{x.changeId}</strong>: {x.reason} — {x.byName}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
