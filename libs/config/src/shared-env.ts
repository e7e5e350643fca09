import { envEnum, envInt, envPort, envString, envUrl, envUrlList } from './variables.js';
import { addCrossRule } from './rules.js';

// Shapes to spread into a service's own schema: z.object({ ...httpEnv, ...mongoEnv, MY_VAR: ... }).
// Override a piece by spreading and replacing, e.g. { ...httpEnv, PORT: httpEnv.PORT.default(4001) }.

export const httpEnv = {
  HOST: envString('Network interface the HTTP server listens on (0.0.0.0 for every interface)').default('127.0.0.1'),
  PORT: envPort('TCP port of the HTTP server (GraphQL, /healthz, /readyz, /metrics); 0 picks a free port'),
};

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const loggingEnv = {
  LOG_LEVEL: envEnum(`Lowest log level written as JSON to stdout: ${LOG_LEVELS.join(', ')}`, LOG_LEVELS).default(
    'info',
  ),
};

export const mongoEnv = {
  MONGODB_URI: envUrl(
    'MongoDB connection string, including the database name, e.g. mongodb://127.0.0.1:27017/flightdeck-planning',
    ['mongodb:', 'mongodb+srv:'],
  ),
};

export const natsEnv = {
  NATS_URL: envUrlList(
    'NATS server URL with JetStream enabled, or a comma-separated list, e.g. nats://127.0.0.1:4222',
    ['nats:', 'tls:', 'ws:', 'wss:'],
  ),
};

export const authEnv = {
  AUTH_JWT_SECRET: envString(
    'HS256 shared secret for JWTs (local use, at least 32 characters); set this or AUTH_JWKS_URL',
    {
      minLength: 32,
    },
  ).optional(),
  AUTH_JWKS_URL: envUrl(
    'JWKS URL of the identity provider whose keys sign the JWTs (production); set this or AUTH_JWT_SECRET',
    ['https:', 'http:'],
  ).optional(),
  AUTH_ISSUER: envString('Expected `iss` claim of every JWT').default('flightdeck'),
  AUTH_AUDIENCE: envString('Expected `aud` claim of every JWT').default('flightdeck'),
};

addCrossRule({
  members: { AUTH_JWT_SECRET: authEnv.AUTH_JWT_SECRET, AUTH_JWKS_URL: authEnv.AUTH_JWKS_URL },
  check(values) {
    const secret = values.AUTH_JWT_SECRET !== undefined;
    const jwks = values.AUTH_JWKS_URL !== undefined;
    if (secret && jwks) {
      return [
        {
          variable: 'AUTH_JWKS_URL',
          problem: 'set together with AUTH_JWT_SECRET',
          expected: 'exactly one of AUTH_JWT_SECRET (local) or AUTH_JWKS_URL (production)',
        },
      ];
    }
    if (!secret && !jwks) {
      return [
        {
          variable: 'AUTH_JWT_SECRET',
          problem: 'missing, and AUTH_JWKS_URL is not set either',
          expected: 'exactly one of AUTH_JWT_SECRET (local, at least 32 characters) or AUTH_JWKS_URL (production)',
        },
      ];
    }
    return [];
  },
});

export const shutdownEnv = {
  SHUTDOWN_DEADLINE_MS: envInt(
    'Milliseconds a graceful shutdown (stop intake, drain NATS, finish in-flight work, close MongoDB) may take before the process gives up',
    {
      min: 100,
      max: 600_000,
    },
  ).default(10_000),
};
