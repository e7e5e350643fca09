import { Command, CommanderError, Option } from 'commander';
import { gateValidation, progress, testPlan } from './advice.js';
import { ApiError, graphqlUrl, type ApiOptions } from './api.js';
import { parseDuration } from './duration.js';
import { submitEvidence } from './evidence-submit.js';
import { EXIT } from './exit-codes.js';
import { approveFreeze } from './freeze-approve.js';
import { checkFreeze } from './freeze-check.js';
import { listAudiences, listDeliveries, listSubscriptions, subscribe, unsubscribe } from './notify.js';
import { showChecklist, tickChecklist } from './freeze-checklist.js';
import { defineGate } from './gate-define.js';
import { waitForGate } from './gate-wait.js';
import { printReleaseDocument } from './release-docs.js';
import { startReleaseRollout } from './rollout-start.js';
import { recordValidationCheck, showValidation } from './rollout-validation.js';
import { waitForReleaseRollout } from './rollout-wait.js';

// A reader that stops early (flightdeck --help | head) closes the pipe: nothing is wrong, so end quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

const log = (line: string) => process.stderr.write(`${line}\n`);
const out = (line: string) => process.stdout.write(`${line}\n`);
const collect = (v: string, prev: string[]) => [...prev, v];

const ENV_HELP = `
Environment:
  FLIGHTDECK_URL    the Flightdeck gateway, e.g. https://flightdeck.example.com or http://127.0.0.1:4000/graphql (required)
  FLIGHTDECK_TOKEN  a token with the CI role (or a person's token), sent as Authorization: Bearer (required)

Exit codes: 0 PASS (or all evidence accepted), 1 FAIL, 2 CONDITIONAL or timed out, 3 error (usage, token, network, refused).`;

function api(): ApiOptions {
  const url = process.env.FLIGHTDECK_URL?.trim();
  const token = process.env.FLIGHTDECK_TOKEN?.trim();
  if (!url)
    throw new ApiError(
      'FLIGHTDECK_URL is not set; set it to the Flightdeck gateway, e.g. https://flightdeck.example.com',
    );
  if (!token)
    throw new ApiError(
      'FLIGHTDECK_TOKEN is not set; set it to a token with the CI role (npm run mint-token -- --roles CI for local use)',
    );
  return { url: graphqlUrl(url), token };
}

const program = new Command('flightdeck')
  .description(
    'Flightdeck for CI pipelines: submit evidence to a release gate and wait for its outcome; check a change against the code freeze; start a release-wide rollout and wait for it; ask for advice (test plan, progress, gate validation); keep the communication plan (who is notified of what).',
  )
  .addHelpText('after', ENV_HELP)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const evidence = program
  .command('evidence')
  .description('Evidence for quality gates (test reports, coverage, scans, benchmarks).')
  .addHelpText('after', ENV_HELP);
evidence
  .command('submit')
  .description(
    'Upload reports to a gate of a release; each is parsed by Flightdeck and the gate re-evaluated. Large files are gzipped on the way.',
  )
  .requiredOption('--release <product@version>', 'the release, e.g. shop@2.4.0 (or its id)')
  .requiredOption('--gate <name>', 'the gate, e.g. FEATURE_COMPLETE, ALPHA, BETA, PRODUCTION, HOTFIX')
  .option('--junit <glob>', 'JUnit XML reports, e.g. "build/test-results/**/*.xml" (repeatable)', collect, [])
  .option('--coverage <file>', 'coverage report: lcov (.info) or Cobertura (.xml) (repeatable)', collect, [])
  .option('--sarif <file>', 'SARIF 2.1.0 scan (repeatable)', collect, [])
  .option('--bench <file>', 'benchmark result JSON {"benchmarks":[{"name","value","unit"}]} (repeatable)', collect, [])
  .option('--sbom <file>', 'SBOM: CycloneDX (1.2-1.6) or SPDX (2.2, 2.3) JSON (repeatable)', collect, [])
  .option(
    '--artifact <file>',
    'release candidate build record JSON {"artifact","versionTag","digest":"sha256:<hex>","sourceBranch","commit","cleanBuild","signature":"<base64 over the digest text>"}; refused when the gate\'s team key does not verify the signature',
    collect,
    [],
  )
  .option(
    '--changed-files <file|list>',
    'files changed by the release, one per line in a file or comma-separated, for coverage of changed files',
  )
  .option('--json', 'print the result as JSON on stdout', false)
  .addHelpText('after', ENV_HELP)
  .action(async (opts) => {
    process.exitCode = await submitEvidence(api(), opts, log, out);
  });

const gate = program.command('gate').description('Quality gates of a release.').addHelpText('after', ENV_HELP);
gate
  .command('define')
  .description(
    "Define a new version of a product's gate from a YAML or JSON file (e.g. the Release Candidate gate with the team's public key); it replaces a built-in template of the same name for releases evaluated from then on. Needs RELEASE_MANAGER, TECHNICAL_LEAD or QA_LEAD.",
  )
  .requiredOption('--product <name>', 'the product, e.g. shop')
  .requiredOption(
    '--file <gate.yaml>',
    'the definition: { name, title?, order?, appliesTo? (STANDARD|HOTFIX), criteria: [{ id, name, kind, hard?, ... }], approvals: [{ role, count }], fourEyes? }',
  )
  .option('--json', 'print the defined gate as JSON on stdout', false)
  .action(async (opts: { product: string; file: string; json: boolean }) => {
    process.exitCode = await defineGate(api(), opts, out);
  });
gate
  .command('wait')
  .description(
    'Wait until the gate has an outcome that waiting will not change (PASS, FAIL, or CONDITIONAL with no approval pending), print the per-criterion table and exit 0 on PASS, 1 on FAIL, 2 on CONDITIONAL or time-out.',
  )
  .requiredOption('--release <product@version>', 'the release, e.g. shop@2.4.0 (or its id)')
  .requiredOption('--gate <name>', 'the gate, e.g. PRODUCTION')
  .addOption(new Option('--timeout <duration>', 'how long to wait, e.g. 30m, 90s, 1h').default('30m'))
  .addOption(new Option('--interval <duration>', 'how often to ask').default('5s'))
  .option('--json', 'print the outcome and the evaluation as JSON on stdout', false)
  .addHelpText('after', ENV_HELP)
  .action(async (opts: { release: string; gate: string; timeout: string; interval: string; json: boolean }) => {
    const timeoutMs = parseDuration(opts.timeout, '--timeout');
    const intervalMs = parseDuration(opts.interval, '--interval');
    process.exitCode = await waitForGate(
      api(),
      { release: opts.release, gate: opts.gate, timeoutMs, intervalMs, json: opts.json },
      log,
      out,
    );
  });

const FREEZE_HELP = `
Environment:
  FLIGHTDECK_URL    the Flightdeck gateway, e.g. https://flightdeck.example.com or http://127.0.0.1:4000/graphql (required)
  FLIGHTDECK_TOKEN  a token with the CI role (or a person's token), sent as Authorization: Bearer (required)

Exit codes (freeze check): 0 the change may land, 1 refused (the release is frozen and the change neither critical nor
let in by a release manager; who may approve is printed), 3 error (usage, token, network, unknown release).`;

const freeze = program
  .command('freeze')
  .description(
    'Code freeze of a release: whether a change may land during it, the release manager letting one in, and the checklist.',
  )
  .addHelpText('after', FREEZE_HELP);
freeze
  .command('check')
  .description(
    'Ask whether a change may land in the release now: always outside the code freeze (CODE_FREEZE to RELEASE_CANDIDATE); during it only a critical change or one a release manager let in. Prints the reason; exits 0 when allowed, 1 when refused.',
  )
  .requiredOption('--release <product@version|id>', 'the release, e.g. shop@2.4.0 (or its id)')
  .requiredOption(
    '--change <id>',
    'the change: a commit id, or a pull/merge request such as github:acme/shop#42 or gitlab:group/project!7',
  )
  .option('--critical', 'the change is a critical fix (allowed during the freeze)', false)
  .option('--json', 'print the decision as JSON on stdout', false)
  .addHelpText('after', FREEZE_HELP)
  .action(async (opts: { release: string; change: string; critical: boolean; json: boolean }) => {
    process.exitCode = await checkFreeze(api(), opts, log, out);
  });

const FREEZE_PERSON_HELP = (who: string) => `
Environment:
  FLIGHTDECK_URL    the Flightdeck gateway, e.g. https://flightdeck.example.com or http://127.0.0.1:4000/graphql (required)
  FLIGHTDECK_TOKEN  ${who}, sent as Authorization: Bearer (required)

Exit codes: 0 recorded (or printed), 3 error (usage, token, network, refused: the message says what was wrong).`;

freeze
  .command('approve')
  .description(
    'Let one change into a frozen release as its release manager: recorded with who, when and why, audited, and published; `flightdeck freeze check` then allows it. Prints what was recorded.',
  )
  .requiredOption('--release <product@version|id>', 'the release, e.g. shop@2.4.0 (or its id)')
  .requiredOption(
    '--change <id>',
    'the change, exactly as the pipeline checks it: a commit id, or github:acme/shop#42, gitlab:group/project!7',
  )
  .requiredOption('--reason <text>', 'why it must go in during the freeze (kept with the exception)')
  .option('--json', 'print the exception as JSON on stdout', false)
  .addHelpText('after', FREEZE_PERSON_HELP("a person's token with the RELEASE_MANAGER role"))
  .action(async (opts: { release: string; change: string; reason: string; json: boolean }) => {
    process.exitCode = await approveFreeze(api(), opts, out);
  });
freeze
  .command('checklist')
  .description(
    'Print the code-freeze checklist of a release: every item of the process by phase (pre-freeze 48 h, freeze, stabilisation), ticked or not, with its evidence and who ticked it.',
  )
  .requiredOption('--release <product@version|id>', 'the release, e.g. shop@2.4.0 (or its id)')
  .option('--json', 'print the checklist as JSON on stdout', false)
  .addHelpText('after', FREEZE_PERSON_HELP('any token (every role may read the checklist)'))
  .action(async (opts: { release: string; json: boolean }) => {
    process.exitCode = await showChecklist(api(), opts, out);
  });
freeze
  .command('tick')
  .description(
    'Tick an item of the code-freeze checklist with its evidence (ticking it again replaces the evidence); prints the checklist.',
  )
  .requiredOption('--release <product@version|id>', 'the release, e.g. shop@2.4.0 (or its id)')
  .requiredOption('--item <id>', 'the item, e.g. branch-protected (flightdeck freeze checklist lists them)')
  .requiredOption('--evidence <link|text>', 'a link or a sentence showing it is done, e.g. the pipeline run')
  .option('--json', 'print the checklist as JSON on stdout', false)
  .addHelpText('after', FREEZE_PERSON_HELP("a person's token with the RELEASE_MANAGER, TECHNICAL_LEAD or QA_LEAD role"))
  .action(async (opts: { release: string; item: string; evidence: string; json: boolean }) => {
    process.exitCode = await tickChecklist(api(), opts, out);
  });

const RELEASE_HELP = `
Environment:
  FLIGHTDECK_URL    the Flightdeck gateway, e.g. https://flightdeck.example.com or http://127.0.0.1:4000/graphql (required)
  FLIGHTDECK_TOKEN  any token (every role may read a release), sent as Authorization: Bearer (required)

Exit codes: 0 printed, 3 error (usage, token, network, unknown release).`;

const release = program
  .command('release')
  .description('Releases as planning keeps them.')
  .addHelpText('after', RELEASE_HELP);
release
  .command('docs')
  .description(
    "Print one of the release's documents as markdown, written by planning from the live release in the process's template: the scope document (overview; Must / Should / Could features with description, business value and effort; excluded features with reason and target release; technical considerations; success criteria), the customers' release notes (new features, improvements, fixes, breaking changes, migration guide) or the weekly status update.",
  )
  .argument('<release>', 'the release, e.g. shop@2.4.0 (or its id)')
  .option('--scope', 'the scope document', false)
  .option('--notes', "the customers' release notes", false)
  .option('--weekly', 'the weekly status update', false)
  .addHelpText('after', RELEASE_HELP)
  .action(async (ref: string, opts: { scope: boolean; notes: boolean; weekly: boolean }) => {
    process.exitCode = await printReleaseDocument(api(), { release: ref, ...opts }, out);
  });

const ROLLOUT_HELP = `
Environment:
  FLIGHTDECK_URL    the Flightdeck gateway, e.g. https://flightdeck.example.com or http://127.0.0.1:4000/graphql (required)
  FLIGHTDECK_TOKEN  a person's token with the Release Manager or SRE role, sent as Authorization: Bearer (required)

Exit codes (rollout wait): 0 PROMOTED, 1 ROLLED_BACK or FAILED, 2 timed out, 3 error (usage, token, network, refused).
Exit codes (rollout validation, rollout check): 0 every validation check passed, 1 one failed, 2 some still pending,
3 error. Recording a check needs RELEASE_MANAGER, SRE, QA_LEAD or TECHNICAL_LEAD.`;

const rollout = program
  .command('rollout')
  .description('Release-wide rollouts: several workloads of a release rolled out, promoted and rolled back together.')
  .addHelpText('after', ROLLOUT_HELP);
rollout
  .command('start')
  .description(
    'Start a release-wide rollout of a release whose PRODUCTION (or HOTFIX) gate passed; prints its id on stdout.',
  )
  .requiredOption('--release <product@version>', 'the release, e.g. shop@2.4.0')
  .option(
    '--workload <key=value,...>',
    'a workload: deployment=api,container=app,image=registry/api:2.4.0 and optionally name, namespace (default "default"), cluster, strategy (canary|rolling), dependsOn=db+auth, analysisIntervalSeconds, analysisCount, progressDeadlineSeconds, rollbackWindowSeconds (repeatable)',
    collect,
    [],
  )
  .option(
    '--file <release.yaml>',
    'the workloads in a YAML or JSON file: { workloads: [{ name, dependsOn, target: { namespace, deployment, container }, image, strategy, steps, metrics, ... }], mode, autoPromote }',
  )
  .addOption(
    new Option('--mode <mode>', 'start wave by wave in dependency order, or all together').choices([
      'waves',
      'together',
    ]),
  )
  .option('--environment <name>', 'the environment (default production)')
  .option(
    '--manual-promotion',
    'wait for promote-all (promoteReleaseRollout) once every workload is ready, instead of promoting at once',
    false,
  )
  .option('--json', 'print the answer as JSON on stdout', false)
  .addHelpText('after', ROLLOUT_HELP)
  .action(
    async (opts: {
      release: string;
      workload: string[];
      file?: string;
      mode?: string;
      environment?: string;
      manualPromotion: boolean;
      json: boolean;
    }) => {
      process.exitCode = await startReleaseRollout(api(), opts, log, out);
    },
  );
rollout
  .command('wait')
  .description(
    'Wait until a release-wide rollout is promoted or rolled back, print its workloads (and what decided a rollback) and exit 0 on PROMOTED, 1 on ROLLED_BACK or FAILED, 2 on time-out.',
  )
  .option('--id <id>', 'the release rollout id (printed by rollout start)')
  .option('--release <product@version>', 'the release: follow its newest release rollout in --environment')
  .addOption(new Option('--environment <name>', 'with --release: the environment').default('production'))
  .addOption(new Option('--timeout <duration>', 'how long to wait, e.g. 30m, 90s, 1h').default('30m'))
  .addOption(new Option('--interval <duration>', 'how often to ask').default('5s'))
  .option('--json', 'print the outcome as JSON on stdout', false)
  .addHelpText('after', ROLLOUT_HELP)
  .action(
    async (opts: {
      id?: string;
      release?: string;
      environment: string;
      timeout: string;
      interval: string;
      json: boolean;
    }) => {
      const timeoutMs = parseDuration(opts.timeout, '--timeout');
      const intervalMs = parseDuration(opts.interval, '--interval');
      process.exitCode = await waitForReleaseRollout(
        api(),
        {
          ...(opts.id ? { id: opts.id } : {}),
          ...(opts.release ? { release: opts.release } : {}),
          environment: opts.environment,
          timeoutMs,
          intervalMs,
          json: opts.json,
        },
        log,
        out,
      );
    },
  );

const selectRollouts = (cmd: Command) =>
  cmd
    .option('--rollout <id>', 'one rollout (a workload), by id')
    .option('--release <product@version>', "every workload of the release's newest release-wide rollout")
    .addOption(new Option('--environment <name>', 'with --release: the environment').default('production'))
    .option('--json', 'print the checklists as JSON on stdout', false)
    .addHelpText('after', ROLLOUT_HELP);
selectRollouts(
  rollout
    .command('validation')
    .description(
      "Print the production validation checklist of promoted rollouts (immediate 0-2 h, extended 2-8 h, business within 24 h): each check's status, who recorded it, and what is overdue.",
    ),
).action(async (opts: { rollout?: string; release?: string; environment: string; json: boolean }) => {
  process.exitCode = await showValidation(api(), opts, out);
});
selectRollouts(
  rollout
    .command('check')
    .description(
      "Record one post-deployment validation check (e.g. smoke-journeys after the pipeline's smoke tests) as passed or failed on promoted rollouts, then print their checklists.",
    )
    .requiredOption(
      '--check <id>',
      'the check, e.g. health-checks, error-rate-latency, smoke-journeys (see rollout validation)',
    )
    .addOption(new Option('--passed', 'the check passed').conflicts('failed'))
    .addOption(new Option('--failed', 'the check failed').conflicts('passed'))
    .option('--note <text>', 'what was seen, or a link to it'),
).action(
  async (opts: {
    rollout?: string;
    release?: string;
    environment: string;
    json: boolean;
    check: string;
    passed?: boolean;
    failed?: boolean;
    note?: string;
  }) => {
    if (!opts.passed && !opts.failed) throw new ApiError('say how the check went: --passed or --failed');
    const { passed: _p, failed, ...rest } = opts;
    process.exitCode = await recordValidationCheck(api(), { ...rest, passed: !failed }, log, out);
  },
);

const ADVICE_HELP = `
Environment:
  FLIGHTDECK_URL    the Flightdeck gateway, e.g. https://flightdeck.example.com or http://127.0.0.1:4000/graphql (required)
  FLIGHTDECK_TOKEN  a person's token, sent as Authorization: Bearer (required): test-plan needs RELEASE_MANAGER,
                    PRODUCT_OWNER, TECHNICAL_LEAD or QA_LEAD; progress RELEASE_MANAGER, PRODUCT_OWNER or TECHNICAL_LEAD;
                    gate-validation RELEASE_MANAGER, TECHNICAL_LEAD, QA_LEAD, PRODUCT_OWNER or SRE

The advice goes to stdout; who gave it (the AI, or the deterministic baseline and why) to stderr. Every advice is
recorded as a prediction, scored later in analytics' aiEffectiveness.
Exit codes: 0 advice given, 3 error (usage, token, network, refused, unknown release).`;

const advice = program
  .command('advice')
  .description(
    'AI advice with a deterministic baseline: a test plan, a progress assessment, a quality-gate validation.',
  )
  .addHelpText('after', ADVICE_HELP);
advice
  .command('test-plan')
  .description(
    'A test plan for the release: per feature in scope a risk level, a risk-based priority, the test types it needs and a coverage target.',
  )
  .requiredOption('--release <product@version|id>', 'the release, e.g. shop@2.4.0 (or its id)')
  .option('--json', 'print the advice as JSON on stdout', false)
  .addHelpText('after', ADVICE_HELP)
  .action(async (opts: { release: string; json: boolean }) => {
    process.exitCode = await testPlan(api(), opts, log, out);
  });
advice
  .command('progress')
  .description(
    'A progress assessment: the chance to make feature complete by its date, the critical-path items at risk and the features to defer.',
  )
  .requiredOption('--release <product@version|id>', 'the release, e.g. shop@2.4.0 (or its id)')
  .option('--json', 'print the advice as JSON on stdout', false)
  .addHelpText('after', ADVICE_HELP)
  .action(async (opts: { release: string; json: boolean }) => {
    process.exitCode = await progress(api(), opts, log, out);
  });
advice
  .command('gate-validation')
  .description(
    "A quality-gate validation of the gate's latest evaluation: PASS, FAIL or CONDITIONAL per criterion, a verdict, and the risks of proceeding.",
  )
  .requiredOption('--release <product@version|id>', 'the release, e.g. shop@2.4.0 (or its id)')
  .requiredOption('--gate <name>', 'the gate, e.g. BETA')
  .option('--json', 'print the advice as JSON on stdout', false)
  .addHelpText('after', ADVICE_HELP)
  .action(async (opts: { release: string; gate: string; json: boolean }) => {
    process.exitCode = await gateValidation(api(), opts, log, out);
  });

const NOTIFY_HELP = `
Environment:
  FLIGHTDECK_URL    the Flightdeck gateway, e.g. https://flightdeck.example.com or http://127.0.0.1:4000/graphql (required)
  FLIGHTDECK_TOKEN  a person's token with the Release Manager role (deliveries: also Technical Lead, QA Lead, Product
                    Owner or SRE), sent as Authorization: Bearer (required)

Audiences: DEVELOPMENT_TEAM, MANAGEMENT, QA, CUSTOMERS_PARTNERS. Channels: SLACK, TEAMS (--url), EMAIL (--to, repeatable),
WEBHOOK (--url and --secret-env naming the variable that holds the shared HMAC secret).
Exit codes: 0 done, 1 (deliveries) a delivery FAILED, 3 error (usage, token, network, refused input).`;

const notify = program
  .command('notify')
  .description("The communication plan: who hears about a product's releases, on which channel; and what was sent.")
  .addHelpText('after', NOTIFY_HELP);
notify
  .command('subscribe')
  .description(
    "Add an audience's channel to a product's communication plan; the target is checked before it is stored.",
  )
  .requiredOption('--product <name>', 'the product, e.g. checkout-api')
  .requiredOption('--audience <audience>', 'DEVELOPMENT_TEAM, MANAGEMENT, QA or CUSTOMERS_PARTNERS')
  .requiredOption('--channel <kind>', 'SLACK, TEAMS, EMAIL or WEBHOOK')
  .option('--url <url>', 'the incoming-webhook or receiver URL (https://)')
  .option('--to <address>', 'an e-mail address (repeat for several)', collect, [])
  .option('--secret-env <variable>', "the environment variable holding the webhook's shared secret (WEBHOOK)")
  .option(
    '--cadence <cadence>',
    "AS_IT_HAPPENS, DAILY or WEEKLY (default: the audience's in the release process); CUSTOMERS_PARTNERS: AS_IT_HAPPENS only",
  )
  .option('--json', 'print the subscription as JSON on stdout', false)
  .addHelpText('after', NOTIFY_HELP)
  .action(
    async (opts: {
      product: string;
      audience: string;
      channel: string;
      url?: string;
      to: string[];
      secretEnv?: string;
      cadence?: string;
      json: boolean;
    }) => {
      process.exitCode = await subscribe(api(), opts, process.env, out);
    },
  );
notify
  .command('unsubscribe')
  .description("Remove a subscription from its product's communication plan.")
  .requiredOption('--id <id>', 'the subscription, as `flightdeck notify list` shows it')
  .option('--json', 'print the removed subscription as JSON on stdout', false)
  .addHelpText('after', NOTIFY_HELP)
  .action(async (opts: { id: string; json: boolean }) => {
    process.exitCode = await unsubscribe(api(), opts, out);
  });
notify
  .command('audiences')
  .description('What each audience receives, its usual cadence and the cadences a subscription of it may choose.')
  .option('--json', 'print the audiences as JSON on stdout', false)
  .addHelpText('after', NOTIFY_HELP)
  .action(async (opts: { json: boolean }) => {
    process.exitCode = await listAudiences(api(), opts, out);
  });
notify
  .command('list')
  .description('List the communication plan, of one product or all.')
  .option('--product <name>', 'only this product')
  .option('--json', 'print the subscriptions as JSON on stdout', false)
  .addHelpText('after', NOTIFY_HELP)
  .action(async (opts: { product?: string; json: boolean }) => {
    process.exitCode = await listSubscriptions(api(), opts, out);
  });
notify
  .command('deliveries')
  .description('The notifications about a release and how each delivery went (SENT, RETRYING, FAILED, PENDING).')
  .requiredOption('--release <product@version|id>', 'the release, e.g. shop@2.4.0 (or its id)')
  .option('--json', 'print the deliveries as JSON on stdout', false)
  .addHelpText('after', NOTIFY_HELP)
  .action(async (opts: { release: string; json: boolean }) => {
    process.exitCode = await listDeliveries(api(), opts, out);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here with exit code 0; usage errors were printed by commander.
    process.exitCode = err.exitCode === 0 ? 0 : EXIT.ERROR;
  } else {
    log(`flightdeck: ${(err as Error).message}`);
    process.exitCode = EXIT.ERROR;
  }
}
