import { SARIF_LEVELS, type SarifLevel, type SecuritySummary } from '../../domain/evidence.js';
import { EvidenceParseError, type ReportSource } from './evidence-error.js';

/** Default largest SARIF log read, in bytes. */
export const DEFAULT_SARIF_LIMIT = 128 * 1024 * 1024;

interface SarifRule {
  id?: string;
  defaultConfiguration?: { level?: string };
  properties?: Record<string, unknown>;
}

interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  rule?: { id?: string; index?: number };
  kind?: string;
  level?: string;
  suppressions?: { status?: string }[];
  properties?: Record<string, unknown>;
}

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
export async function parseSarif(file: string, source: ReportSource, limit = DEFAULT_SARIF_LIMIT): Promise<SecuritySummary> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += b.byteLength;
    if (size > limit) throw new EvidenceParseError(file, `the SARIF log is larger than the limit of ${limit} bytes; split it into several logs (one per tool or run)`);
    chunks.push(b);
  }
  const text = Buffer.concat(chunks, size).toString('utf8');
  chunks.length = 0;
  if (!text.trim()) throw new EvidenceParseError(file, 'the file is empty; expected a SARIF 2.1.0 JSON log');
  let log: unknown;
  try {
    log = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const pos = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : undefined;
    const where = pos === undefined ? undefined : lineColumn(text, pos);
    throw new EvidenceParseError(file, `malformed JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}${pos === text.length ? ' (the file ends early: truncated?)' : ''}`, where?.line, where?.column);
  }
  return summarise(file, log);
}

function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: pos - last };
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

function summarise(file: string, log: unknown): SecuritySummary {
  const root = log as { version?: unknown; runs?: unknown };
  if (typeof log !== 'object' || log === null || !Array.isArray(root.runs)) {
    throw new EvidenceParseError(file, 'not a SARIF log: expected a JSON object with a "runs" array (SARIF 2.1.0)');
  }
  if (root.version !== '2.1.0') throw new EvidenceParseError(file, `SARIF version ${JSON.stringify(root.version)} is not supported; expected "2.1.0"`);
  const out: SecuritySummary = { runs: 0, tools: [], byLevel: { error: 0, warning: 0, note: 0, none: 0 }, bySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, suppressed: 0, total: 0 };
  root.runs.forEach((run: { tool?: { driver?: { name?: string; rules?: SarifRule[] } }; results?: SarifResult[] }, i: number) => {
    const driver = run?.tool?.driver;
    if (!driver || typeof driver.name !== 'string') throw new EvidenceParseError(file, `runs[${i}] has no tool.driver.name; every SARIF run names its tool`);
    out.runs++;
    if (!out.tools.includes(driver.name)) out.tools.push(driver.name);
    const rules = Array.isArray(driver.rules) ? driver.rules : [];
    const byId = new Map(rules.filter((r) => r?.id).map((r) => [r.id!, r]));
    const results = run.results ?? [];
    if (!Array.isArray(results)) throw new EvidenceParseError(file, `runs[${i}].results is not an array`);
    for (const r of results) {
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
