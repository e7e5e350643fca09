import { z } from 'zod';
import { SARIF_LEVELS, type SarifLevel, type SecuritySummary } from '../../domain/evidence.js';
import { EvidenceParseError, type ReportSource } from './evidence-error.js';
import { pathText, syntaxError, valuePosition } from './json-position.js';

/** Default largest SARIF log read, in bytes. */
export const DEFAULT_SARIF_LIMIT = 128 * 1024 * 1024;

/** Property bags carry `security-severity` (a number or a numeric string). */
const propertyBag = z.record(z.string(), z.unknown());

/** The parts of a SARIF 2.1.0 run that the summary reads, with the types the specification gives them; the rest passes unread. */
const sarifRun = z.looseObject({
  tool: z.looseObject({
    driver: z.looseObject({
      name: z.string(),
      rules: z
        .array(
          z.looseObject({
            id: z.string().optional(),
            defaultConfiguration: z.looseObject({ level: z.string().optional() }).optional(),
            properties: propertyBag.optional(),
          }),
        )
        .optional(),
    }),
  }),
  results: z
    .array(
      z.looseObject({
        ruleId: z.string().optional(),
        ruleIndex: z.number().int().optional(),
        rule: z.looseObject({ id: z.string().optional(), index: z.number().int().optional() }).optional(),
        kind: z.string().optional(),
        level: z.string().optional(),
        suppressions: z.array(z.looseObject({ status: z.string().optional() })).optional(),
        properties: propertyBag.optional(),
      }),
    )
    .nullable()
    .optional(),
});

type SarifRunShape = z.infer<typeof sarifRun>;
type SarifRule = NonNullable<SarifRunShape['tool']['driver']['rules']>[number];
type SarifResult = NonNullable<SarifRunShape['results']>[number];

/**
 * Reads a SARIF 2.1.0 log with a bounded JSON.parse: the bytes are collected up to `limit` (refused
 * as soon as it is passed, without reading on) and parsed once. A result's level depends on its
 * rule, found by index or id in `tool.driver.rules`, which JSON does not promise to come before the
 * results, so a streaming reader would have to hold the results anyway; the bound keeps memory
 * predictable instead (about 2–3× the file size while parsing).
 *
 * Level: the result's own, else its rule's defaultConfiguration, else "warning" (SARIF §3.27.10);
 * a result whose kind is not "fail" has level "none". Suppressed: any suppression whose status is
 * absent or "accepted" (underReview and rejected ones do not hide a result).
 */
export async function parseSarif(
  file: string,
  source: ReportSource,
  limit = DEFAULT_SARIF_LIMIT,
): Promise<SecuritySummary> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const b =
      typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += b.byteLength;
    if (size > limit)
      throw new EvidenceParseError(
        file,
        `the SARIF log is larger than the limit of ${limit} bytes; split it into several logs (one per tool or run)`,
      );
    chunks.push(b);
  }
  const text = Buffer.concat(chunks, size).toString('utf8');
  chunks.length = 0;
  if (!text.trim()) throw new EvidenceParseError(file, 'the file is empty; expected a SARIF 2.1.0 JSON log');
  let log: unknown;
  try {
    log = JSON.parse(text);
  } catch {
    const { problem, at } = syntaxError(text);
    throw new EvidenceParseError(file, `malformed JSON: ${problem}`, at?.line, at?.column);
  }
  return summarise(file, text, log);
}

function levelOf(r: SarifResult, rules: SarifRule[], byId: Map<string, SarifRule>): SarifLevel {
  if (r.kind !== undefined && r.kind !== 'fail') return 'none';
  if (r.level && (SARIF_LEVELS as readonly string[]).includes(r.level)) return r.level as SarifLevel;
  const rule = ruleOf(r, rules, byId);
  const d = rule?.defaultConfiguration?.level;
  if (d && (SARIF_LEVELS as readonly string[]).includes(d)) return d as SarifLevel;
  return 'warning';
}

function ruleOf(r: SarifResult, rules: SarifRule[], byId: Map<string, SarifRule>): SarifRule | undefined {
  const index = r.ruleIndex ?? r.rule?.index;
  if (typeof index === 'number' && rules[index]) return rules[index];
  const id = r.ruleId ?? r.rule?.id;
  return id ? (byId.get(id) ?? byId.get(id.split('/')[0]!)) : undefined;
}

function severityOf(r: SarifResult, rule: SarifRule | undefined): number | undefined {
  const raw = r.properties?.['security-severity'] ?? rule?.properties?.['security-severity'];
  const n = typeof raw === 'string' || typeof raw === 'number' ? Number(raw) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function summarise(file: string, text: string, log: unknown): SecuritySummary {
  const refuse = (path: (string | number)[], problem: string): never => {
    const at = valuePosition(text, path);
    throw new EvidenceParseError(file, problem, at?.line, at?.column);
  };
  const root = log as { version?: unknown; runs?: unknown };
  if (typeof log !== 'object' || log === null || !Array.isArray(root.runs)) {
    refuse(
      typeof log === 'object' && log !== null ? ['runs'] : [],
      'not a SARIF log: expected a JSON object with a "runs" array (SARIF 2.1.0)',
    );
  }
  if (root.version !== '2.1.0')
    refuse(
      ['version'],
      `SARIF version ${JSON.stringify(root.version)?.slice(0, 60)} is not supported; expected "2.1.0"`,
    );
  const out: SecuritySummary = {
    runs: 0,
    tools: [],
    byLevel: { error: 0, warning: 0, note: 0, none: 0 },
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
    suppressed: 0,
    total: 0,
  };
  (root.runs as unknown[]).forEach((raw, i) => {
    const driverName = (raw as { tool?: { driver?: { name?: unknown } } } | null)?.tool?.driver?.name;
    if (typeof driverName !== 'string')
      refuse(['runs', i], `runs[${i}] has no tool.driver.name; every SARIF run names its tool`);
    const parsed = sarifRun.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = ['runs', i, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
      refuse(path, `${pathText(path)}: ${issue.message}`);
    }
    const run = parsed.data!;
    const driver = run.tool.driver;
    out.runs++;
    if (!out.tools.includes(driver.name)) out.tools.push(driver.name);
    const rules = driver.rules ?? [];
    const byId = new Map(rules.filter((r) => r.id).map((r) => [r.id!, r]));
    for (const r of run.results ?? []) {
      out.total++;
      if (r.suppressions?.some((s) => s.status === undefined || s.status === 'accepted')) {
        out.suppressed++;
        continue;
      }
      out.byLevel[levelOf(r, rules, byId)]++;
      const sev = severityOf(r, ruleOf(r, rules, byId));
      if (sev === undefined || sev <= 0) continue;
      if (sev >= 9) out.bySeverity.critical++;
      else if (sev >= 7) out.bySeverity.high++;
      else if (sev >= 4) out.bySeverity.medium++;
      else out.bySeverity.low++;
    }
  });
  return out;
}
