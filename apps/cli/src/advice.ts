import { ApiError, graphql, type ApiOptions } from './api.js';
import { EXIT } from './exit-codes.js';

/** What every advice answers besides its value: who answered and, for the baseline, why the AI did not. */
const ADVICE = 'source confidence model fallbackReason predictionId rationale';

interface AdviceMeta {
  source: string;
  confidence: number;
  model: string | null;
  fallbackReason: string | null;
  predictionId: string;
  rationale: string | null;
}

type Print = (line: string) => void;

/** A planning release id, from product@version (looked up) or an id as given. */
async function releaseId(api: ApiOptions, release: string): Promise<string> {
  const ref = release.trim();
  if (!ref) throw new ApiError('--release is empty; give the release as product@version (e.g. shop@2.4.0) or its id');
  const at = ref.lastIndexOf('@');
  if (at <= 0) return ref;
  const [product, version] = [ref.slice(0, at), ref.slice(at + 1)];
  const found = await graphql<{ releaseByVersion: { id: string } | null }>(
    api,
    'query($p: String!, $v: String!) { releaseByVersion(product: $p, version: $v) { id } }',
    { p: product, v: version },
  );
  if (!found.releaseByVersion)
    throw new ApiError(`no release ${product}@${version}; check the product and version (or give the release id)`);
  return found.releaseByVersion.id;
}

function byWhom(a: AdviceMeta): string {
  const who =
    a.source === 'AI' || a.source === 'ai' ? `the AI (${a.model ?? 'model unknown'})` : 'the deterministic baseline';
  return `advice by ${who}, confidence ${a.confidence.toFixed(2)}, recorded as prediction ${a.predictionId}${a.fallbackReason ? `; baseline because ${a.fallbackReason}` : ''}`;
}

interface TestPlan extends AdviceMeta {
  summary: string;
  features: {
    featureId: string;
    title: string;
    risk: string;
    priority: number;
    testTypes: string[];
    coverageTarget: number;
    why: string;
  }[];
}

export async function testPlan(api: ApiOptions, opts: { release: string; json: boolean }, log: Print, out: Print) {
  const id = await releaseId(api, opts.release);
  const { planTests: plan } = await graphql<{ planTests: TestPlan }>(
    api,
    `mutation($id: ID!) { planTests(releaseId: $id) { ${ADVICE} summary features { featureId title risk priority testTypes coverageTarget why } } }`,
    { id },
  );
  if (opts.json) out(JSON.stringify(plan, null, 2));
  else {
    out(plan.summary);
    for (const f of plan.features)
      out(
        `${String(f.priority).padStart(2)}. ${f.title} [${f.risk}] coverage ${f.coverageTarget}%: ${f.testTypes.join(', ')} (${f.why})`,
      );
  }
  log(byWhom(plan));
  return EXIT.PASS;
}

interface Progress extends AdviceMeta {
  featureComplete: string;
  probabilityOnTime: number;
  criticalPathAtRisk: { featureId: string; title: string; effort: number }[];
  scopeAdjustments: { featureId: string; title: string; effort: number; reason: string }[];
  summary: string;
}

export async function progress(api: ApiOptions, opts: { release: string; json: boolean }, log: Print, out: Print) {
  const id = await releaseId(api, opts.release);
  const { assessProgress: p } = await graphql<{ assessProgress: Progress }>(
    api,
    `mutation($id: ID!) { assessProgress(releaseId: $id) { ${ADVICE} featureComplete probabilityOnTime summary
      criticalPathAtRisk { featureId title effort } scopeAdjustments { featureId title effort reason } } }`,
    { id },
  );
  if (opts.json) out(JSON.stringify(p, null, 2));
  else {
    out(
      `${Math.round(p.probabilityOnTime * 100)}% chance to make feature complete by ${p.featureComplete.slice(0, 10)}`,
    );
    for (const c of p.criticalPathAtRisk) out(`at risk on the critical path: ${c.title} (${c.effort} points)`);
    for (const s of p.scopeAdjustments) out(`defer: ${s.title} (${s.effort} points): ${s.reason}`);
    out(p.summary);
  }
  log(byWhom(p));
  return EXIT.PASS;
}

interface Validation extends AdviceMeta {
  gate: string;
  evaluatedOutcome: string;
  verdict: string;
  criteria: { criterionId: string; name: string; verdict: string; risk: string }[];
  risksOfProceeding: string[];
}

export async function gateValidation(
  api: ApiOptions,
  opts: { release: string; gate: string; json: boolean },
  log: Print,
  out: Print,
) {
  if (!opts.release.trim())
    throw new ApiError('--release is empty; give the release as product@version (e.g. shop@2.4.0) or its id');
  if (!opts.gate.trim()) throw new ApiError('--gate is empty; give the gate, e.g. BETA');
  const { validateGate: v } = await graphql<{ validateGate: Validation }>(
    api,
    `mutation($r: String!, $g: String!) { validateGate(release: $r, gate: $g) { ${ADVICE}
      gate evaluatedOutcome verdict criteria { criterionId name verdict risk } risksOfProceeding } }`,
    { r: opts.release, g: opts.gate },
  );
  if (opts.json) out(JSON.stringify(v, null, 2));
  else {
    out(`${v.gate}: ${v.verdict} (evaluated ${v.evaluatedOutcome})`);
    for (const c of v.criteria) out(`  ${c.verdict.padEnd(11)} ${c.name}: ${c.risk}`);
    for (const r of v.risksOfProceeding) out(`risk of proceeding: ${r}`);
  }
  log(byWhom(v));
  return EXIT.PASS;
}
