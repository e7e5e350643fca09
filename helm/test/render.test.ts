import { isDeepStrictEqual } from 'node:util';
import type { V1Deployment, V1HorizontalPodAutoscaler, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { cases, namespace, release } from './cases.js';
import { chartArgs, ciValuesFiles, helm, template } from './helm.js';
import { ofKind } from '@flightdeck/deploy/test/objects';

it('every values file in helm/flightdeck/ci has its expectations in cases.ts, and the other way round', () => {
  expect(ciValuesFiles()).toEqual(cases.map((c) => c.file).sort());
});

describe.each(cases)('$file', (c) => {
  it('passes helm lint --strict', () => {
    const lint = helm(['lint', '--strict', ...chartArgs({ valuesFiles: [c.file] }).slice(1)]);
    expect(lint.stdout + lint.stderr).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(lint.stdout, 'lint findings').not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(lint.status).toBe(0);
  });

  const { objects } = template({ release, namespace, valuesFiles: [c.file] });

  it(`renders ${Object.entries(c.kinds)
    .filter(([, n]) => n)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ')}`, () => {
    const counts: Record<string, number> = {};
    for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
    expect(counts).toEqual(Object.fromEntries(Object.entries(c.kinds).filter(([, n]) => n)));
    expect(
      objects.filter((o) => /^Cluster/.test(o.kind)),
      'nothing cluster-wide',
    ).toEqual([]);
  });

  it('labels every object as part of this release of flightdeck, with names Kubernetes accepts', () => {
    for (const o of objects) {
      const what = `${o.kind}/${o.metadata.name}`;
      expect(o.metadata.labels, what).toMatchObject({
        'app.kubernetes.io/name': 'flightdeck',
        'app.kubernetes.io/instance': release,
        'app.kubernetes.io/part-of': 'flightdeck',
        'app.kubernetes.io/managed-by': 'Helm',
      });
      expect(o.metadata.name, what).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    }
  });

  it('runs each enabled service with its PodDisruptionBudget, and an autoscaler only where asked (never the leader-elected deployment service)', () => {
    const deployments = ofKind<V1Deployment>(objects, 'Deployment');
    expect(deployments.map((d) => d.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual(
      [...c.enabled].sort(),
    );
    for (const d of deployments) {
      const selector = d.spec!.selector.matchLabels!;
      const pdbs = ofKind<V1PodDisruptionBudget>(objects, 'PodDisruptionBudget').filter((p) =>
        isDeepStrictEqual(p.spec?.selector?.matchLabels, selector),
      );
      expect(pdbs, `PodDisruptionBudget of ${d.metadata.name}`).toHaveLength(1);
      const hpa = ofKind<V1HorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler').find(
        (h) => h.spec?.scaleTargetRef.name === d.metadata.name,
      );
      if (hpa) {
        expect(
          d.spec?.replicas,
          `${d.metadata.name}: the autoscaler owns replicas, so an upgrade does not reset them`,
        ).toBeUndefined();
        expect(hpa.spec?.scaleTargetRef).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
        expect(hpa.spec!.maxReplicas).toBeGreaterThanOrEqual(hpa.spec!.minReplicas!);
      } else expect(d.spec?.replicas, d.metadata.name).toBeGreaterThan(0);
      const spread = d.spec?.template.spec?.topologySpreadConstraints ?? [];
      expect(spread.length, `${d.metadata.name} spreads its pods`).toBeGreaterThan(0);
      for (const s of spread)
        expect(s.labelSelector?.matchLabels, `${d.metadata.name}: spread over its own pods`).toEqual(selector);
    }
    const autoscaled = ofKind<V1HorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler').map(
      (h) => h.spec?.scaleTargetRef.name,
    );
    expect(autoscaled).not.toContain(`${release}-deployment`);
  });
});

it('names objects <release>-flightdeck-<service> for a release whose name lacks the chart name, and the deployment Lease after them', () => {
  const { objects } = template({ release: 'rm', namespace: 'tools' });
  const names = ofKind<V1Deployment>(objects, 'Deployment').map((d) => d.metadata.name);
  expect(names.sort()).toEqual([
    'rm-flightdeck-analytics',
    'rm-flightdeck-deployment',
    'rm-flightdeck-gates',
    'rm-flightdeck-gateway',
    'rm-flightdeck-planning',
  ]);
  const deployment = ofKind<V1Deployment>(objects, 'Deployment').find(
    (d) => d.metadata.name === 'rm-flightdeck-deployment',
  )!;
  const lease = deployment.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'LEASE_NAME');
  expect(lease?.value, 'two releases in one namespace elect their leaders apart').toBe('rm-flightdeck-deployment');
});

it('renders for the oldest Kubernetes it supports (1.25: policy/v1, autoscaling/v2), and refuses an older one', () => {
  const args = ['template', ...chartArgs({ valuesFiles: ['hardened-values.yaml'] })];
  expect(helm([...args, '--kube-version', '1.25.0']).status).toBe(0);
  const old = helm([...args, '--kube-version', '1.24.17']);
  expect(old.status).not.toBe(0);
  expect(old.stderr).toContain('chart requires kubeVersion: >=1.25.0-0');
});
