import type { DemoApi } from './api.js';
import type { DemoClock } from './clock.js';
import { shipRelease, type FeatureSpec, type ReleaseSpec, type ShipDeps } from './ship.js';

const DAY = 86_400_000;

const f = (title: string, priority: FeatureSpec['priority'], businessValue: number, effort: number): FeatureSpec => ({
  title,
  priority,
  businessValue,
  timeCriticality: Math.max(1, businessValue - 3),
  riskReduction: 3,
  effort,
});

/**
 * Five months of shop's releases, oldest first: days before today, what shipped, and which builds went out. A build
 * tagged -bad answers 30% errors in the simulated cluster (kube-sim's tag conventions), so its canary is rolled back.
 */
export function historySpecs(product: string, today: Date): ReleaseSpec[] {
  const at = (daysAgo: number) => new Date(today.getTime() - daysAgo * DAY);
  const web = (v: string) => ({ deployment: 'web', image: `${product}/web:${v}` });
  const api = (v: string) => ({ deployment: 'api', image: `${product}/api:${v}` });
  return [
    {
      product,
      version: '2.0.0',
      theme: 'New storefront',
      target: at(150),
      slipDays: 6,
      features: [
        f('Storefront redesign', 'MUST', 13, 13),
        f('Product search', 'MUST', 10, 8),
        f('Wish lists', 'COULD', 4, 5),
      ],
      rollouts: [web('2.0.0')],
    },
    {
      product,
      version: '2.1.0',
      theme: 'Faster checkout',
      target: at(126),
      features: [f('One-page checkout', 'MUST', 13, 8), f('Saved cards', 'SHOULD', 8, 5)],
      rollouts: [api('2.1.0')],
    },
    {
      product,
      version: '2.1.1',
      theme: 'Checkout fixes',
      target: at(112),
      features: [f('Fix rounding of vouchers', 'MUST', 8, 2)],
      rollouts: [api('2.1.1')],
    },
    {
      product,
      version: '2.2.0',
      theme: 'Invoices',
      target: at(96),
      slipDays: 3,
      features: [f('Pay by invoice', 'MUST', 10, 8), f('Invoice PDFs', 'SHOULD', 6, 5)],
      rollouts: [api('2.2.0-bad'), api('2.2.0')],
    },
    {
      product,
      version: '2.3.0',
      theme: 'Recommendations',
      target: at(70),
      features: [f('Recommended products', 'MUST', 11, 8), f('Recently viewed', 'COULD', 4, 3)],
      rollouts: [web('2.3.0')],
    },
    {
      product,
      version: '2.3.1',
      theme: 'Search relevance',
      target: at(58),
      features: [f('Typo-tolerant search', 'MUST', 9, 3)],
      rollouts: [web('2.3.1')],
    },
    {
      product,
      version: '2.4.0',
      theme: 'Gift cards',
      target: at(38),
      slipDays: 2,
      features: [f('Gift cards', 'MUST', 12, 8), f('Gift wrapping', 'COULD', 3, 3)],
      rollouts: [api('2.4.0-bad'), api('2.4.0')],
    },
    {
      product,
      version: '2.5.0',
      theme: 'Subscriptions',
      target: at(17),
      features: [f('Subscribe and save', 'MUST', 12, 8), f('Pause a subscription', 'SHOULD', 7, 3)],
      rollouts: [web('2.5.0')],
    },
    {
      product,
      version: '2.5.1',
      theme: 'Subscription fixes',
      target: at(6),
      features: [f('Fix renewal e-mails', 'MUST', 7, 2)],
      rollouts: [web('2.5.1')],
    },
  ];
}

/**
 * Lives shop's last five months through the API with the services' clock set back to each step's moment, so the
 * releases, gates, rollouts and analytics all hold a history (DORA trends, KPIs, AI effectiveness); an incident
 * followed 2.4.0, and its retrospective has action items.
 */
export async function seedHistory(deps: ShipDeps & { clock: DemoClock }, product: string): Promise<void> {
  const { api, clock, narrate } = deps;
  const today = new Date();
  const specs = historySpecs(product, today);
  for (const spec of specs) {
    const { id } = await shipRelease(deps, spec);
    narrate(`history: ${product} ${spec.version} shipped (${spec.target.toISOString().slice(0, 10)})`);
    if (spec.version === '2.4.0') await incidentAndRetro(api, clock, narrate, id, product, spec.target);
  }
  clock.reset();
}

async function incidentAndRetro(
  api: DemoApi,
  clock: DemoClock,
  narrate: (line: string) => void,
  releaseId: string,
  product: string,
  production: Date,
): Promise<void> {
  const opened = new Date(production.getTime() + 20 * 3_600_000);
  clock.set(opened);
  const incident = await api.as<{ openIncident: { id: string } }>(
    'sam',
    'mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }',
    {
      i: {
        title: 'Gift card balance shown as zero',
        severity: 'critical',
        product,
        workload: `${product}/api`,
        openedAt: opened.toISOString(),
      },
    },
  );
  const resolved = new Date(opened.getTime() + 3.5 * 3_600_000);
  clock.set(resolved);
  await api.as(
    'sam',
    'mutation($id: ID!, $at: DateTime!) { resolveIncident(id: $id, resolution: "cache key fixed and balances recomputed", resolvedAt: $at) { id } }',
    { id: incident.openIncident.id, at: resolved.toISOString() },
  );
  clock.set(new Date(production.getTime() + 3 * 86_400_000));
  await api.as('rita', 'mutation($id: ID!) { startRetrospective(releaseId: $id) { id } }', { id: releaseId });
  const item =
    'mutation($id: ID!, $s: AgendaStage!, $k: RetrospectiveItemKind!, $t: String!) { addRetrospectiveItem(releaseId: $id, stage: $s, kind: $k, text: $t) { id } }';
  await api.as('tina', item, {
    id: releaseId,
    s: 'GATHER_DATA',
    k: 'WENT_WELL',
    t: 'The canary of the first build was rolled back by its analysis within two minutes.',
  });
  await api.as('quinn', item, {
    id: releaseId,
    s: 'GENERATE_INSIGHTS',
    k: 'TO_IMPROVE',
    t: 'No regression test covered the gift card balance cache.',
  });
  const action = 'mutation($id: ID!, $i: ActionItemInput!) { addActionItem(releaseId: $id, input: $i) { id } }';
  await api.as('rita', action, {
    id: releaseId,
    i: {
      title: 'Add a regression test for gift card balances',
      owner: 'quinn',
      dueDate: new Date(production.getTime() + 10 * 86_400_000).toISOString(),
    },
  });
  await api.as('rita', action, {
    id: releaseId,
    i: {
      title: 'Alert on a zero balance ratio',
      owner: 'sam',
      dueDate: new Date(production.getTime() + 60 * 86_400_000).toISOString(),
    },
  });
  narrate(`history: incident after ${product} 2.4.0 opened and resolved; retrospective with two action items`);
}
