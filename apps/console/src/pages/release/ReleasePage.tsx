import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { usePolling } from '../../api/usePolling.js';
import { can } from '../../auth/permissions.js';
import { useSession } from '../../auth/SessionContext.js';
import { ApiError } from '../../components/ApiError.js';
import { HealthBadge } from '../../components/HealthBadge.js';
import { formatDate, humanize } from '../../format/dates.js';
import { graphql } from '../../gql/index.js';
import { AuditSection } from './AuditSection.js';
import { DocumentsSection } from './DocumentsSection.js';
import { FreezeSection } from './FreezeSection.js';
import { GatesSection } from './GatesSection.js';
import { NotificationsSection } from './NotificationsSection.js';
import { ReadinessSection } from './ReadinessSection.js';
import { RolloutsSection } from './RolloutsSection.js';
import { ScopeSection } from './ScopeSection.js';
import { TimelineSection } from './TimelineSection.js';

const Release = graphql(`
  query ReleasePage($id: ID!) {
    release(id: $id) {
      id
      product
      version
      type
      status
      theme
      owner
      targetDate
      baseVersion
      hotfix {
        reason
        details
      }
      revision
      allowedTransitions
      health {
        status
        reasons {
          rule
          status
          message
        }
        progress {
          featuresDone
          featuresTotal
          percentComplete
          pointsDone
          pointsTotal
          expectedPercent
          velocityTrend
          qualityScore
          failedGates
          conditionalGates
          criticalPathDelayDays
        }
      }
      features {
        id
        title
        priority
        businessValue
        timeCriticality
        riskReduction
        effort
        status
        dependsOn
        costOfDelay
        wsjf
        kind
        breakingChange
        migration
        exclusion {
          reason
          targetRelease
        }
      }
      timeline {
        milestones {
          name
          date
          description
        }
        developmentStart
        featureComplete
        developmentWeeks
        velocity
        capacityPoints
        scopePoints
        remainingPoints
        criticalPathDelayDays
        warnings
        criticalPath {
          points
          weeks
          features {
            id
            title
          }
        }
      }
      forecast {
        at
        runs
        basis
        p50
        p85
        p95
        probabilityOnTime
        bufferDays
        recommendedBufferDays
      }
      documents {
        scope
        weeklyStatus
        releaseNotes
      }
      transitions {
        from
        to
        by
        at
        reason
      }
    }
  }
`);

const SECTIONS = [
  ['health', 'Health'],
  ['scope', 'Scope'],
  ['timeline', 'Timeline'],
  ['freeze', 'Code freeze'],
  ['gates', 'Gates'],
  ['readiness', 'Readiness'],
  ['rollouts', 'Rollouts'],
  ['documents', 'Documents'],
  ['notifications', 'Notifications'],
  ['audit', 'Audit trail'],
] as const;

export function ReleasePage() {
  const { session } = useSession();
  const { id = '' } = useParams();
  const [result, refetch] = useQuery({ query: Release, variables: { id } });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  // Other people and the services' events change a release: look again every 10 s.
  usePolling(refresh, 10_000, true);
  const release = result.data?.release;
  if (result.error) return <ApiError error={result.error} />;
  if (!result.data) return <p aria-live="polite">Loading the release…</p>;
  if (!release)
    return (
      <section>
        <h1>No such release</h1>
        <p>
          The API knows no release {id}. <Link to="/">Back to the releases</Link>.
        </p>
      </section>
    );
  const p = release.health.progress;
  return (
    <article>
      <div className="page-head">
        <div>
          <p className="muted">
            <Link to={`/?product=${encodeURIComponent(release.product)}`}>{release.product}</Link>
          </p>
          <h1>
            {release.product} {release.version}
          </h1>
          <p>
            {humanize(release.type)} release · {humanize(release.status)} · target {formatDate(release.targetDate)} ·
            owner {release.owner}
            {release.baseVersion && <> · from {release.baseVersion}</>}
          </p>
          <p className="theme">{release.theme}</p>
          {release.hotfix && (
            <p>
              <strong>Hotfix:</strong> {humanize(release.hotfix.reason)} — {release.hotfix.details}
            </p>
          )}
        </div>
      </div>
      <nav aria-label="Sections of this release" className="in-page">
        {SECTIONS.filter(([anchor]) => anchor !== 'notifications' || can(session, 'readDeliveries')).map(
          ([anchor, label]) => (
            <a
              key={anchor}
              href={`#${anchor}`}
              onClick={(e) => {
                e.preventDefault();
                document.getElementById(anchor)?.scrollIntoView();
                document.getElementById(anchor)?.focus();
              }}
            >
              {label}
            </a>
          ),
        )}
      </nav>
      <section id="health" tabIndex={-1} aria-labelledby="health-h" className="card">
        <h2 id="health-h">Health</h2>
        <HealthBadge status={release.health.status} reasons={release.health.reasons} />
        <dl className="facts">
          <dt>Features done</dt>
          <dd>
            {p.featuresDone} of {p.featuresTotal} ({p.percentComplete.toFixed(0)}%, expected{' '}
            {p.expectedPercent.toFixed(0)}%)
          </dd>
          <dt>Story points</dt>
          <dd>
            {p.pointsDone} of {p.pointsTotal}
          </dd>
          <dt>Velocity trend</dt>
          <dd>{humanize(p.velocityTrend)}</dd>
          <dt>Quality score</dt>
          <dd>{p.qualityScore ?? '—'}</dd>
          <dt>Critical-path delay</dt>
          <dd>{p.criticalPathDelayDays.toFixed(1)} days</dd>
          <dt>Failed gates</dt>
          <dd>{p.failedGates.join(', ') || 'none'}</dd>
          <dt>Conditional gates</dt>
          <dd>{p.conditionalGates.join(', ') || 'none'}</dd>
        </dl>
      </section>
      <ScopeSection release={release} onChange={refresh} />
      <TimelineSection release={release} onChange={refresh} />
      <FreezeSection releaseId={release.id} />
      <GatesSection releaseId={release.id} owner={release.owner} />
      <ReadinessSection releaseId={release.id} />
      <RolloutsSection releaseId={release.id} />
      <DocumentsSection documents={release.documents} />
      <NotificationsSection releaseId={release.id} product={release.product} />
      <AuditSection releaseId={release.id} transitions={release.transitions} />
    </article>
  );
}
