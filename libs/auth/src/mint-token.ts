// Mints a local HS256 token: npm run mint-token -- --user alice --roles RELEASE_MANAGER,SRE [--machine] [--expires 8h]
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, formatEnvHelp, formatIssues, loadConfig } from '@flightdeck/config';
import { localSecretFile, readLocalSecret } from './local-secret.js';
import { mintToken } from './mint.js';
import { mintTokenEnvSchema } from './mint-token-env.js';
import { ROLES, isRole, type Role } from './roles.js';

const env = mintTokenEnvSchema;

function parseRoles(value: string): Role[] {
  const roles = value
    .split(',')
    .map((r) => r.trim().toUpperCase())
    .filter(Boolean);
  const unknown = roles.filter((r) => !isRole(r));
  if (roles.length === 0) throw new InvalidArgumentError(`give at least one role (known: ${ROLES.join(', ')})`);
  if (unknown.length > 0)
    throw new InvalidArgumentError(
      `unknown role ${unknown.map((r) => `'${r}'`).join(', ')} (known: ${ROLES.join(', ')})`,
    );
  return roles as Role[];
}

function parseExpiry(value: string): string {
  if (!/^\d+\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days|w|week|weeks)$/i.test(value)) {
    throw new InvalidArgumentError('expected a duration like 30m, 8h or 7d');
  }
  return value;
}

const program = new Command('mint-token')
  .description(
    "Mint a local HS256 JWT for a user and roles, signed with AUTH_JWT_SECRET, or when that is unset with the embedded stack's secret (FLIGHTDECK_DATA_DIR/jwt-secret, written by npm start); prints the token to stdout and which secret signed it to stderr",
  )
  .requiredOption('-u, --user <subject>', 'the user (or machine) the token is for: its `sub` claim')
  .requiredOption('-r, --roles <roles>', `comma-separated roles: ${ROLES.join(', ')}`, parseRoles)
  .option('-n, --name <name>', 'display name (`name` claim)')
  .option('--machine', 'a machine identity (implied by the CI role): may submit evidence, never approve', false)
  .option('-e, --expires <duration>', 'lifetime, e.g. 30m, 8h, 7d', parseExpiry, '8h')
  .option('--issuer <iss>', '`iss` claim (default: AUTH_ISSUER or flightdeck)')
  .option('--audience <aud>', '`aud` claim (default: AUTH_AUDIENCE or flightdeck)')
  .addHelpText(
    'after',
    `\n${formatEnvHelp(env)}\n\nExamples:\n  npm run mint-token -- --user alice --roles RELEASE_MANAGER,SRE                     # after npm start: its secret\n  AUTH_JWT_SECRET=... npm run mint-token -- --user alice --roles RELEASE_MANAGER,SRE`,
  );

program.parse();
const opts = program.opts<{
  user: string;
  roles: Role[];
  name?: string;
  machine: boolean;
  expires: string;
  issuer?: string;
  audience?: string;
}>();

try {
  const config = loadConfig(env);
  const secret = config.AUTH_JWT_SECRET ?? readLocalSecret(config.FLIGHTDECK_DATA_DIR);
  const stackFile = localSecretFile(config.FLIGHTDECK_DATA_DIR);
  if (!secret) {
    throw new Error(
      `no secret to sign with: AUTH_JWT_SECRET is not set, and ${stackFile} (the embedded stack's, written by npm start) does not exist; set AUTH_JWT_SECRET to the services' secret, or FLIGHTDECK_DATA_DIR to the data directory of npm start`,
    );
  }
  const token = await mintToken({
    secret,
    subject: opts.user,
    roles: opts.roles,
    ...(opts.name ? { name: opts.name } : {}),
    machine: opts.machine,
    expiresIn: opts.expires,
    issuer: opts.issuer ?? config.AUTH_ISSUER,
    audience: opts.audience ?? config.AUTH_AUDIENCE,
  });
  process.stderr.write(
    config.AUTH_JWT_SECRET
      ? 'mint-token: signed with AUTH_JWT_SECRET\n'
      : `mint-token: signed with the secret of the embedded stack in ${stackFile} (AUTH_JWT_SECRET is not set)\n`,
  );
  process.stdout.write(`${token}\n`);
} catch (err) {
  process.stderr.write(
    `${err instanceof ConfigError ? formatIssues(err.issues, 'mint-token') : `mint-token: ${(err as Error).message}`}\n`,
  );
  process.exitCode = 1;
}
