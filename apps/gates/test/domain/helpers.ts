import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEvidence } from '../../src/adapters/parsers/index.js';
import type { Evidence, EvidenceKind, EvaluationInput, GateDefinition } from '../../src/domain/index.js';
import { templateFor } from '../../src/domain/index.js';

let n = 0;
/** Evidence made by parsing one of the real reports, as submitEvidence does. */
export async function evidenceFrom(kind: EvidenceKind, fixture: string, changedFiles?: string[]): Promise<Evidence> {
  const path = fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url));
  const summary = await parseEvidence(kind, fixture, createReadStream(path), { changedFiles });
  return {
    id: `ev-${++n}`,
    kind,
    name: fixture,
    summary,
    submittedBy: 'ci',
    submittedAt: new Date('2026-03-01T10:00:00Z'),
    bytes: 1,
  };
}

export function benchmark(metrics: Record<string, number>): Evidence {
  return {
    id: `ev-${++n}`,
    kind: 'BENCHMARK',
    name: 'bench.json',
    summary: {
      kind: 'BENCHMARK',
      benchmark: { metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, { value: v }])) },
    },
    submittedBy: 'ci',
    submittedAt: new Date(),
    bytes: 1,
  };
}

export function template(name: string): GateDefinition {
  return templateFor('shop', name)!;
}

export function input(definition: GateDefinition, over: Partial<EvaluationInput> = {}): EvaluationInput {
  return {
    id: 'eval-1',
    releaseId: 'rel-1',
    definition,
    evidence: [],
    ticks: [],
    upstream: {},
    measurements: {},
    approvals: [],
    at: new Date('2026-03-01T12:00:00Z'),
    by: 'tester',
    trigger: 'test',
    ...over,
  };
}
