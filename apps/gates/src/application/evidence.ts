import { RuleError } from '@flightdeck/kernel';
import { verifyArtifactSignature } from '../domain/artifact.js';
import type { EvidenceKind, EvidenceSummary, GateDefinition } from '../domain/index.js';
import { nameOf, type GateChanges, type GatesDeps, type GateView } from './gate-changes.js';
import type { Actor } from './ports.js';

/** Longest problem text and file name an error carries; past them the text is cut (a hostile report must not make a huge message). */
const MAX_PROBLEM = 600;
const MAX_FILE = 200;

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max)}… (cut)`);

/** A report that cannot be read (the reader's own error): names the file and where it broke, so the pipeline's author can fix it. */
export class EvidenceParseError extends RuleError {
  override readonly name: string = 'EvidenceParseError';
  readonly problem: string;
  constructor(
    readonly file: string,
    problem: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    const shownProblem = cut(problem, MAX_PROBLEM);
    const shownFile = cut(file, MAX_FILE);
    super(
      `${shownFile}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : ''}: ${shownProblem}`,
      undefined,
      { file: shownFile, line, column },
    );
    this.problem = shownProblem;
  }
}

/** What a report is read from: a Node stream or any (async) iterable of chunks. */
export type ReportContent = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** Reads a report into its summary (the streaming parsers); refuses a malformed one with an EvidenceParseError. */
export type EvidenceReader = (
  kind: EvidenceKind,
  file: string,
  source: ReportContent,
  opts: { changedFiles?: string[] },
) => Promise<EvidenceSummary>;

export interface SubmitEvidenceInput {
  release: string;
  gate: string;
  kind: EvidenceKind;
  name: string;
  content: ReportContent;
  /** The size in bytes, or a function giving it once the content has been read. */
  bytes: number | (() => number);
  changedFiles?: string[];
}

/**
 * A build record whose signature the gate's team key does not verify is refused at the door, like a malformed report:
 * a tampered artifact (or one another key signed) is not evidence of anything, and storing it would only bury the
 * last good record under it. Without a key in the gate, the record is kept and the criterion says what is missing.
 */
function refuseForgedBuild(def: GateDefinition, file: string, summary: EvidenceSummary): void {
  if (summary.kind !== 'ARTIFACT') return;
  for (const c of def.criteria) {
    if (c.kind !== 'artifact' || !c.publicKey) continue;
    const check = verifyArtifactSignature(summary.artifact, c.publicKey);
    if (!check.valid)
      throw new RuleError(`evidence refused, nothing was stored: ${cut(file, MAX_FILE)}: ${check.reason}`, undefined, {
        file: cut(file, MAX_FILE),
      });
  }
}

const nothingElse = () => ({ events: [], audit: [] });

/** What a gate is evaluated from: reports, ticked checklist items, the release's scope; and evaluations on request. */
export class GateEvidence {
  constructor(
    private readonly deps: GatesDeps & { readEvidence: EvidenceReader },
    private readonly changes: GateChanges,
  ) {}

  async submit(input: SubmitEvidenceInput, actor: Actor): Promise<GateView> {
    if (!input.name.trim())
      throw new RuleError(
        'evidence needs a file name (the report as the pipeline produced it, e.g. reports/junit.xml)',
        'name',
      );
    const release = await this.changes.release(input.release);
    const definition = await this.changes.definitionFor(release, input.gate);
    // Parsed before anything is loaded or stored: a malformed report changes nothing.
    const summary = await this.deps
      .readEvidence(input.kind, input.name, input.content, { changedFiles: input.changedFiles })
      .catch((err: unknown) => {
        throw err instanceof EvidenceParseError
          ? new RuleError(`evidence refused, nothing was stored: ${err.message}`, undefined, err.details)
          : err;
      });
    refuseForgedBuild(definition, input.name, summary);
    const bytes = typeof input.bytes === 'function' ? input.bytes() : input.bytes;
    const submittedAt = this.deps.clock.now();
    const evidence = {
      id: this.deps.ids(),
      kind: input.kind,
      name: input.name,
      summary,
      submittedBy: actor.subject,
      ...nameOf('submittedByName', actor),
      submittedAt,
      bytes,
    };
    return this.changes.change(release.id, input.gate, actor, `evidence ${input.name} submitted`, (state) => {
      const replaced = state.evidence.findIndex((e) => e.kind === input.kind && e.name === input.name);
      if (replaced >= 0) state.evidence.splice(replaced, 1);
      state.evidence.push(evidence);
      const what = `${input.kind} ${input.name} (${bytes} bytes)${replaced >= 0 ? ', replacing the earlier file of that name' : ''}`;
      return {
        events: [],
        audit: [
          this.changes.audit(actor, 'EVIDENCE_SUBMITTED', release.product, what, {
            releaseId: release.id,
            gate: input.gate,
          }),
        ],
      };
    });
  }

  tickChecklistItem(
    ref: string,
    gate: string,
    criterionId: string,
    itemId: string,
    opts: { evidenceUrl?: string; note?: string },
    actor: Actor,
  ): Promise<GateView> {
    if (opts.evidenceUrl !== undefined && !/^https?:\/\/\S+$/.test(opts.evidenceUrl))
      throw new RuleError(`evidenceUrl "${opts.evidenceUrl}" is not an http(s) link`, 'evidenceUrl');
    return this.changes.change(
      ref,
      gate,
      actor,
      `checklist item ${criterionId}/${itemId} ticked`,
      (state, def, release) => {
        const c = def.criteria.find((x) => x.id === criterionId);
        if (!c || c.kind !== 'checklist') {
          const checklists = def.criteria.filter((x) => x.kind === 'checklist').map((x) => x.id);
          throw new RuleError(
            `the ${gate} gate has no checklist ${criterionId}; its checklists are ${checklists.join(', ') || 'none'}`,
            'criterionId',
          );
        }
        const item = c.items.find((i) => i.id === itemId);
        if (!item)
          throw new RuleError(
            `checklist ${criterionId} has no item ${itemId}; its items are ${c.items.map((i) => i.id).join(', ')}`,
            'itemId',
          );
        state.ticks = state.ticks.filter((t) => !(t.criterionId === criterionId && t.itemId === itemId));
        const link = opts.evidenceUrl ? { evidenceUrl: opts.evidenceUrl } : {};
        state.ticks.push({
          criterionId,
          itemId,
          by: actor.subject,
          ...nameOf('byName', actor),
          at: this.deps.clock.now(),
          ...link,
          ...(opts.note ? { note: opts.note } : {}),
        });
        const what = `${c.name}: "${item.label}" ticked${opts.evidenceUrl ? ` with ${opts.evidenceUrl}` : ''}`;
        return {
          events: [],
          audit: [
            this.changes.audit(actor, 'CHECKLIST_TICKED', release.product, what, {
              releaseId: release.id,
              gate,
              why: opts.note,
            }),
          ],
        };
      },
    );
  }

  evaluate(ref: string, gate: string, actor: Actor): Promise<GateView> {
    return this.changes.change(ref, gate, actor, 'evaluation requested', nothingElse);
  }

  /**
   * After planning changed a release's scope: re-evaluates the gates of the release that were evaluated
   * before and have a scope criterion, so their outcome follows the features without waiting for new evidence.
   */
  async scopeChanged(releaseId: string, why: string): Promise<GateView[]> {
    const system: Actor = { subject: 'flightdeck-gates', roles: [], machine: true };
    const out: GateView[] = [];
    for (const v of await this.changes.gatesOfRelease(releaseId)) {
      if (!v.state?.evaluations.length || !v.definition.criteria.some((c) => c.kind === 'scope')) continue;
      out.push(await this.changes.change(releaseId, v.definition.name, system, why, nothingElse));
    }
    return out;
  }
}
