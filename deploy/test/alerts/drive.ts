import { gateEvaluationCompleted } from '@flightdeck/events';
import { DEADLINES, eventually } from '@flightdeck/testing';
import type { Flightdeck } from './flightdeck.js';

const DAY = 86_400_000;

/**
 * Makes the series that exist only once something happened appear, through each service's own use cases and
 * events: a release whose Production gate was evaluated (gates) and recorded (planning); a second release cleared
 * for production (the event gates publishes when that gate passes), rolled out on the simulated cluster (by its context name, as with several clusters) and
 * promoted (deployment); a critical incident on its workload from Alertmanager (analytics).
 */
export async function driveFlightdeck(fd: Flightdeck): Promise<void> {
  const rita = { by: 'rita' };
  const team = { velocityHistory: [10] };
  const { release: gated } = await fd.planning.planning.create(rita, {
    product: 'shop',
    version: '2.1.0',
    theme: 'Checkout',
    owner: 'rita',
    targetDate: new Date(Date.now() + 5 * DAY),
    team,
  });
  const manager = { subject: 'rita', roles: ['RELEASE_MANAGER' as const], machine: false };
  // Gates learns of the release from planning's event; evaluated without evidence, its Production gate does not pass.
  await eventually('gates to know shop@2.1.0 and evaluate its Production gate', () =>
    fd.gates.gates.evidence.evaluate('shop@2.1.0', 'PRODUCTION', manager),
  );
  await eventually('planning to record the Production gate', async () =>
    (await fd.planning.planning.get(gated.id)).release.signals.gates.PRODUCTION ? true : undefined,
  );

  const { release: shipped } = await fd.planning.planning.create(rita, {
    product: 'shop',
    version: '2.2.0',
    theme: 'Payments',
    owner: 'rita',
    targetDate: new Date(Date.now() + 2 * DAY),
    team,
  });
  await fd.bus.publish(
    gateEvaluationCompleted.create({
      source: '/flightdeck/gates',
      subject: shipped.id,
      data: {
        releaseId: shipped.id,
        evaluationId: 'ev-alerts-test',
        gate: 'PRODUCTION',
        outcome: 'PASS',
        evaluatedAt: new Date().toISOString(),
      },
    }),
  );
  const labels = { app: 'web' };
  await fd.apps.createNamespacedDeployment({
    namespace: 'default',
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'shop/web:1.0.0' }] } },
      },
    },
  });
  await eventually('the web Deployment ready', async () =>
    (await fd.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })).status?.readyReplicas === 2
      ? true
      : undefined,
  );
  const started = await eventually('deployment to hear the Production gate passed and start the rollout', () =>
    fd.deployment.commands.start(
      {
        releaseId: shipped.id,
        environment: 'production',
        target: { cluster: 'kube-sim', namespace: 'default', deployment: 'web', container: 'app' },
        image: 'shop/web:2.0.0',
        strategy: 'CANARY',
        steps: [{ kind: 'SET_WEIGHT', weight: 50 }],
        progressDeadlineSeconds: 120,
      },
      { by: 'sam' },
    ),
  );
  await eventually(
    'the rollout promoted',
    async () =>
      (await fd.deployment.commands.get(started.rollout.id)).rollout.phase === 'PROMOTED' ? true : undefined,
    DEADLINES.cluster,
  );

  const alert = {
    status: 'firing',
    labels: { alertname: 'CheckoutErrors', severity: 'critical', namespace: 'default', deployment: 'web' },
    annotations: {},
    startsAt: new Date().toISOString(),
  };
  const res = await fetch(`${fd.urls.analytics}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ version: '4', status: 'firing', alerts: [alert] }),
  });
  if (!res.ok) throw new Error(`the Alertmanager webhook answered ${res.status}: ${await res.text()}`);
  await eventually(
    'analytics to count the critical incident against the promoted release',
    async () =>
      (await (await fetch(`${fd.urls.analytics}/metrics`)).text()).includes(
        `flightdeck_analytics_release_critical_incidents{product="shop",release="${shipped.id}",version="2.2.0",service="analytics"} 1`,
      )
        ? true
        : undefined,
    DEADLINES.cluster,
  );
}
