import { z } from 'zod';
import { loggingEnv, natsEnv } from '@flightdeck/config';

/** What `npm run dead-letters` reads from the environment. */
export const deadLettersEnvSchema = z.object({ ...natsEnv, ...loggingEnv });
