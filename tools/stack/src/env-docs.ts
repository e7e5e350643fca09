/**
 * The README's configuration tables, generated from the services' own zod schemas so they cannot
 * drift: `npm run docs:env` rewrites the block between the env-tables markers, and a test fails
 * when the README differs from what this prints.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { z } from 'zod';
import { mintTokenEnvSchema } from '@flightdeck/auth/mint-token-env';
import { envMarkdownTable } from '@flightdeck/config';
import { deadLettersEnvSchema } from '@flightdeck/events/dead-letters-env';
import { gatewayConfigSchema, supergraphSubgraphs, defaultSupergraphPath } from '@flightdeck/gateway';
import { analyticsConfigSchema, replayConfigSchema } from '@flightdeck/analytics/config';
import { deploymentConfigSchema } from '@flightdeck/deployment/config';
import { gatesConfigSchema } from '@flightdeck/gates/config';
import { planningConfigSchema } from '@flightdeck/planning/config';
import { stackConfigSchema } from './config.js';

export const readmePath = fileURLToPath(new URL('../../../README.md', import.meta.url));
const START = '<!-- env-tables:start -->';
const END = '<!-- env-tables:end -->';

interface Section {
  title: string;
  intro: string;
  schema: z.ZodObject;
}

function sections(): Section[] {
  const subgraphs = supergraphSubgraphs(readFileSync(defaultSupergraphPath, 'utf8')).map((s) => s.name);
  return [
    { title: '`npm start` (tools/stack)', intro: 'Every setting is optional.', schema: stackConfigSchema },
    {
      title: 'gateway (`apps/gateway/src/main.ts`)',
      intro: 'One `SUBGRAPH_<NAME>_URL` per subgraph of the supergraph replaces the URL composed into it.',
      schema: gatewayConfigSchema(subgraphs),
    },
    { title: 'planning (`apps/planning/src/main.ts`)', intro: '', schema: planningConfigSchema },
    { title: 'gates (`apps/gates/src/main.ts`)', intro: '', schema: gatesConfigSchema },
    { title: 'deployment (`apps/deployment/src/main.ts`)', intro: '', schema: deploymentConfigSchema },
    { title: 'analytics (`apps/analytics/src/main.ts`)', intro: '', schema: analyticsConfigSchema },
    {
      title: 'analytics projection rebuild (`apps/analytics/src/replay-main.ts`)',
      intro: 'Empties the projections and replays the whole stream into them.',
      schema: replayConfigSchema,
    },
    {
      title: '`npm run mint-token` (`libs/auth/src/mint-token.ts`)',
      intro:
        "Signs with AUTH_JWT_SECRET, or when it is unset with the embedded stack's secret in FLIGHTDECK_DATA_DIR, and says which on stderr.",
      schema: mintTokenEnvSchema,
    },
    {
      title: '`npm run dead-letters` (`libs/events/src/dead-letters-main.ts`)',
      intro:
        'Lists the events a consumer gave up on, and replays them to that consumer alone once the cause is fixed (`list`, `replay`; `--help`).',
      schema: deadLettersEnvSchema,
    },
  ];
}

const CLI_TABLE = [
  '### the `flightdeck` CLI (`apps/cli`)',
  '',
  '| variable | description | default | required |',
  '| --- | --- | --- | --- |',
  '| `FLIGHTDECK_URL` | The gateway, e.g. https://flightdeck.example.com or http://127.0.0.1:4000/graphql |  | yes |',
  "| `FLIGHTDECK_TOKEN` | A token with the CI role (or a person's token), sent as Authorization: Bearer |  | yes |",
].join('\n');

const TEST_TABLE = [
  '### tests',
  '',
  '| variable | description | default | required |',
  '| --- | --- | --- | --- |',
  '| `MONGODB_URI` | Run every persistence test against this real MongoDB instead of the embedded MongoDB-wire server |  | no |',
].join('\n');

export function envTables(): string {
  const body = [
    ...sections().map((s) =>
      [`### ${s.title}`, '', ...(s.intro ? [s.intro, ''] : []), envMarkdownTable(s.schema)].join('\n'),
    ),
    CLI_TABLE,
    TEST_TABLE,
  ].join('\n\n');
  return `${START}\n${body}\n${END}`;
}

/** The README with its configuration block replaced by the current tables. */
export function readmeWithEnvTables(readme: string): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} block to fill`);
  return readme.slice(0, from) + envTables() + readme.slice(to + END.length);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const program = new Command('docs:env')
    .description("Rewrites the README's configuration tables from the services' configuration schemas.")
    .option('--check', 'only check that the README is up to date; exit 1 when it is not')
    .parse();
  const readme = readFileSync(readmePath, 'utf8');
  const updated = readmeWithEnvTables(readme);
  if (program.opts<{ check?: boolean }>().check) {
    if (updated !== readme) {
      process.stderr.write('README.md configuration tables are stale: run `npm run docs:env`.\n');
      process.exit(1);
    }
    process.stdout.write('README.md configuration tables are up to date.\n');
  } else {
    writeFileSync(readmePath, updated);
    process.stdout.write('README.md configuration tables rewritten.\n');
  }
}
