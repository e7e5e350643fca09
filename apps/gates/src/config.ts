import { z } from 'zod';
import { envInt, envString, envUrl } from '@flightdeck/config';
import { serviceEnv } from '@flightdeck/subgraph';

/** Everything the gates service reads from its environment when it runs on its own. */
export const gatesConfigSchema = z.object({
  ...serviceEnv(4002),
  PROMETHEUS_URL: envUrl(
    'Prometheus base URL for SLO and PromQL performance criteria, e.g. http://127.0.0.1:9090; unset: those criteria fail saying no Prometheus is configured',
    ['http:', 'https:'],
  ).optional(),
  EVIDENCE_MAX_BYTES: envInt('Largest evidence file accepted, in bytes after decompression', {
    min: 1024,
    max: 512 * 1024 * 1024,
  }).default(16 * 1024 * 1024),
  GATES_CONSUMER: envString('Durable JetStream consumer name for planning events').default('gates-planning'),
});
