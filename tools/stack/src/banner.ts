import { resolve } from 'node:path';
import { DEMO_WORKLOAD } from './demo-workload.js';
import { LOCAL_USER, type RunningStack } from './stack.js';

/** Quotes a value for a POSIX shell when it needs it. */
function sh(value: string): string {
  return /^[\w./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function list(words: readonly string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : words.join('');
}

/**
 * What `npm start` prints once everything listens: where the API and the explorer are, a token with the lines to
 * use it (copy-paste runnable: the token is exported before anything uses it), the CLI, a token for someone else,
 * and how images behave in the simulated cluster.
 */
export function startBanner(
  stack: Pick<RunningStack, 'graphqlUrl' | 'url' | 'token' | 'dataDir' | 'secretSource' | 'cluster' | 'gitWebhooks'>,
  opts: { console?: boolean; cwd?: string; logFile?: string } = {},
): string {
  const cwd = opts.cwd ?? process.cwd();
  const url = stack.graphqlUrl;
  const dataDirEnv = resolve(cwd, '.flightdeck') === stack.dataDir ? '' : `FLIGHTDECK_DATA_DIR=${sh(stack.dataDir)} `;
  const mint =
    stack.secretSource === 'AUTH_JWT_SECRET'
      ? 'npm run -s mint-token -- --user bob --roles QA_LEAD          # with the AUTH_JWT_SECRET this stack was started with'
      : `${dataDirEnv}npm run -s mint-token -- --user bob --roles QA_LEAD`;
  const lines = [
    '',
    'Flightdeck is running.',
    '',
    ...(opts.console ? [`  Web console   ${stack.url}   (sign in with a token below)`] : []),
    `  GraphQL API   ${url}   (open it in a browser for the GraphQL explorer)`,
    `  data          ${stack.dataDir}`,
    ...(opts.logFile ? [`  logs          ${opts.logFile}   (JSON; warnings and errors also show here)`] : []),
    '',
    `A token for ${LOCAL_USER.subject} ("${LOCAL_USER.name}"), valid 12 h, holding the roles ${list(LOCAL_USER.roles)}.`,
    'Copy these lines into a shell:',
    '',
    `  export TOKEN=${stack.token}`,
    `  curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" -d '{"query":"{ releases { totalCount } }"}'`,
    '',
    'The flightdeck CLI (submit evidence, wait for a gate), with that token:',
    `  FLIGHTDECK_URL=${url} FLIGHTDECK_TOKEN=$TOKEN npx flightdeck --help`,
    "A token for someone else, signed with this stack's secret:",
    `  ${mint}`,
  ];
  if (stack.gitWebhooks)
    lines.push(
      '',
      `Code-freeze webhooks for Git hosts (secrets: ${stack.gitWebhooks.secrets}), each taking ?release=<product@version>:`,
      `  GitHub webhook ${stack.gitWebhooks.github}`,
      `  GitLab webhook ${stack.gitWebhooks.gitlab}`,
    );
  const cluster = stack.cluster;
  if (cluster?.simulatedKubeconfig) {
    const { namespace, deployment, image } = DEMO_WORKLOAD;
    lines.push(
      '',
      `Rollouts go to a simulated cluster (kubectl --kubeconfig ${sh(cluster.simulatedKubeconfig)} get deployments -A), holding ${namespace}/${deployment} (${image}).`,
      'There an image behaves by its tag: demo/web:1.1.0 is healthy, demo/web:1.1.0-bad answers 30% errors, -slow has a p99 of 2 s, -crash never starts.',
      cluster.analysis
        ? 'A rollout of a -bad, -slow or -crash image is rolled back on its own: README.md, "Trying it".'
        : 'No prometheus on PATH: analysis is inconclusive, so -bad and -slow rollouts pause instead of rolling back (-crash still is, at its deadline). Install prometheus to see it.',
    );
  } else if (cluster) {
    lines.push('', 'Rollouts go to the cluster of KUBECONFIG.');
  }
  lines.push('');
  return lines.join('\n');
}
