import { z } from 'zod';
import { authEnv, envString } from '@flightdeck/config';

/** What `npm run mint-token` reads from the environment (also listed in the README's configuration tables). */
export const mintTokenEnvSchema = z.object({
  AUTH_JWT_SECRET: authEnv.AUTH_JWT_SECRET,
  FLIGHTDECK_DATA_DIR: envString(
    'Data directory of the embedded stack (npm start); its jwt-secret signs when AUTH_JWT_SECRET is unset',
  ).default('.flightdeck'),
  AUTH_ISSUER: authEnv.AUTH_ISSUER,
  AUTH_AUDIENCE: authEnv.AUTH_AUDIENCE,
});
