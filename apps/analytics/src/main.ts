import { runService } from '@flightdeck/subgraph';
import { analyticsConfigSchema } from './config.js';
import { createAnalyticsService } from './service.js';

await runService({
  name: 'analytics',
  description:
    'Flightdeck analytics subgraph: DORA metrics, release KPIs, AI effectiveness, incidents (POST /webhooks/alertmanager), release analysis and retrospectives, at /graphql (plus /healthz, /readyz, /metrics).',
  config: analyticsConfigSchema,
  create: (deps, config) =>
    createAnalyticsService({
      ...deps,
      durable: config.ANALYTICS_CONSUMER,
      refreshIntervalMs: config.ANALYTICS_REFRESH_INTERVAL_MS,
      ...(config.ALERTMANAGER_WEBHOOK_TOKEN ? { webhookToken: config.ALERTMANAGER_WEBHOOK_TOKEN } : {}),
    }),
});
