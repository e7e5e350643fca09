// What each values file of the chart's test matrix (helm/flightdeck/ci) must render, rendered as release
// `flightdeck` in namespace `flightdeck`. A values file added to ci/ without an entry here fails the tests.

export const release = 'flightdeck';
export const namespace = 'flightdeck';

export interface Case {
  file: string;
  /** The components running in this release. */
  enabled: string[];
  /** Subgraphs run elsewhere: the gateway's URL for them. */
  external: Record<string, string>;
  /** How many objects of each kind. */
  kinds: Record<string, number>;
  /** Secrets the operator created before installing, by name. */
  operatorSecrets: Record<string, Record<string, string>>;
  image: (component: string) => string;
  scrapeAnnotations: boolean;
  /** Namespaces the deployment service rolls out in. */
  targetNamespaces: string[];
  /** What the cluster must have before the pods can be scheduled: PriorityClasses they name, labels their nodeSelectors ask for. */
  cluster?: { priorityClasses?: string[]; nodeLabels?: Record<string, string> };
}

const all = ['gateway', 'planning', 'gates', 'deployment', 'analytics'];
const ghcr = (c: string) => `ghcr.io/flightdeck/${c}:0.1.0`;
const base = {
  Deployment: 5,
  Service: 5,
  PodDisruptionBudget: 5,
  Secret: 1,
  ServiceAccount: 1,
  Role: 2,
  RoleBinding: 2,
};
const defaults = {
  enabled: all,
  external: {},
  operatorSecrets: {},
  image: ghcr,
  scrapeAnnotations: true,
  targetNamespaces: [namespace],
};

export const cases: Case[] = [
  { file: 'default-values.yaml', ...defaults, kinds: base },
  { file: 'jwks-values.yaml', ...defaults, kinds: base },
  {
    file: 'existing-secrets-values.yaml',
    ...defaults,
    kinds: { ...base, Secret: 0 },
    operatorSecrets: {
      'flightdeck-secrets': {
        AUTH_JWT_SECRET: 's'.repeat(64),
        AI_API_KEY: '',
        ALERTMANAGER_WEBHOOK_TOKEN: 't'.repeat(48),
        GITHUB_WEBHOOK_SECRET: 'g'.repeat(40),
        GITLAB_WEBHOOK_TOKEN: 'l'.repeat(40),
      },
      'flightdeck-mongodb': Object.fromEntries(
        ['planning', 'gates', 'deployment', 'analytics'].map((s) => [
          `${s}.MONGODB_URI`,
          `mongodb://${s}:pw@mongo-0.mongo.databases:27017/flightdeck-${s}?authSource=admin`,
        ]),
      ),
    },
  },
  { file: 'ingress-tls-values.yaml', ...defaults, kinds: { ...base, Ingress: 1 } },
  {
    file: 'monitoring-values.yaml',
    ...defaults,
    scrapeAnnotations: false,
    kinds: { ...base, ServiceMonitor: 1, PrometheusRule: 1 },
  },
  {
    file: 'disabled-services-values.yaml',
    ...defaults,
    enabled: ['gateway', 'planning', 'gates'],
    external: { analytics: 'http://analytics.flightdeck-shared.svc:4004/graphql' },
    kinds: { Deployment: 3, Service: 3, PodDisruptionBudget: 3, Secret: 1 },
    targetNamespaces: [],
  },
  {
    file: 'target-namespaces-values.yaml',
    ...defaults,
    targetNamespaces: ['shop', 'payments', 'flightdeck'],
    kinds: { ...base, Role: 4, RoleBinding: 4 },
  },
  {
    file: 'hardened-values.yaml',
    ...defaults,
    image: (c) => `registry.example.com/mirror/flightdeck/${c}:0.1.1`,
    kinds: { ...base, NetworkPolicy: 5, HorizontalPodAutoscaler: 4 },
    cluster: { priorityClasses: ['business-critical'], nodeLabels: { 'node-role.example.com/control': 'true' } },
  },
];
