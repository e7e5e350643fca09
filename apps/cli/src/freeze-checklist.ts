import { ApiError, graphql, type ApiOptions } from './api.js';
import { EXIT } from './exit-codes.js';
import { resolveRelease, type ReleaseRef } from './release-ref.js';

export interface ChecklistItem {
  id: string;
  phase: string;
  title: string;
  ticked: boolean;
  evidence: string | null;
  byName: string | null;
  at: string | null;
}

const FIELDS = 'freezeChecklist { id phase title ticked evidence byName at }';
const LIST = `query FreezeChecklist($id: ID!) { release(id: $id) { ${FIELDS} } }`;
const TICK = `mutation TickFreezeItem($id: ID!, $item: String!, $evidence: String!) {
  tickFreezeItem(releaseId: $id, item: $item, evidence: $evidence) { ${FIELDS} }
}`;

const PHASES: Record<string, string> = {
  PRE_FREEZE: 'Pre-freeze (48 h before)',
  FREEZE: 'Freeze',
  STABILISATION: 'Stabilisation',
};

/** The checklist as a person reads it: by phase, [x] with the evidence and who ticked it. */
export function formatChecklist(release: ReleaseRef, items: ChecklistItem[]): string {
  const done = items.filter((i) => i.ticked).length;
  const lines = [`${release.product} ${release.version} code-freeze checklist: ${done} of ${items.length} ticked`];
  for (const phase of Object.keys(PHASES)) {
    lines.push(`${PHASES[phase]}:`);
    for (const i of items.filter((x) => x.phase === phase))
      lines.push(
        i.ticked ? `  [x] ${i.id}: ${i.title} — ${i.evidence} (${i.byName}, ${i.at})` : `  [ ] ${i.id}: ${i.title}`,
      );
  }
  return lines.join('\n');
}

function print(release: ReleaseRef, items: ChecklistItem[], json: boolean, out: (line: string) => void) {
  out(
    json
      ? JSON.stringify(
          { release: { id: release.id, product: release.product, version: release.version }, items },
          null,
          2,
        )
      : formatChecklist(release, items),
  );
}

/** Prints the code-freeze checklist of a release. */
export async function showChecklist(
  api: ApiOptions,
  opts: { release: string; json: boolean },
  out: (line: string) => void,
): Promise<number> {
  const release = await resolveRelease(api, opts.release);
  const items = (await graphql<{ release: { freezeChecklist: ChecklistItem[] } }>(api, LIST, { id: release.id }))
    .release.freezeChecklist;
  print(release, items, opts.json, out);
  return EXIT.PASS;
}

/** Ticks one item with its evidence, then prints the checklist. */
export async function tickChecklist(
  api: ApiOptions,
  opts: { release: string; item: string; evidence: string; json: boolean },
  out: (line: string) => void,
): Promise<number> {
  if (!opts.evidence.trim())
    throw new ApiError('--evidence is empty; give a link or a sentence showing the item is done');
  const release = await resolveRelease(api, opts.release);
  const items = (
    await graphql<{ tickFreezeItem: { freezeChecklist: ChecklistItem[] } }>(api, TICK, {
      id: release.id,
      item: opts.item,
      evidence: opts.evidence,
    })
  ).tickFreezeItem.freezeChecklist;
  print(release, items, opts.json, out);
  return EXIT.PASS;
}
