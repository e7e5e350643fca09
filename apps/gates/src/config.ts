import { z } from 'zod';
import { aiEnv } from '@flightdeck/ai';
import { authEnv, envInt, envString, envUrl, httpEnv, loggingEnv, mongoEnv, natsEnv, shutdownEnv } from '@flightdeck/config';

export const gatesConfigSchema = z.object({
  ...httpEnv,
  PORT: httpEnv.PORT.default(4002),
  ...loggingEnv,
  ...mongoEnv,
  ...natsEnv,
  ...authEnv,
  ...shutdownEnv,
  ...aiEnv,
  PROMETHEUS_URL: envUrl('Prometheus base URL for SLO and PromQL performance criteria, e.g. http://127.0.0.1:9090; unset: those criteria fail saying no Prometheus is configured', ['http:', 'https:']).optional(),
  EVIDENCE_MAX_BYTES: envInt('Largest evidence file accepted, in bytes after decompression', { min: 1024, max: 512 * 1024 * 1024 }).default(16 * 1024 * 1024),
  GATES_CONSUMER: envString('Durable JetStream consumer name for planning events').default('gates-planning'),
});
