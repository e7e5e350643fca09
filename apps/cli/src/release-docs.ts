import { ApiError, graphql, type ApiOptions } from './api.js';
import { EXIT } from './exit-codes.js';
import { resolveRelease } from './release-ref.js';

/** The documents planning writes from the live release, by the CLI option that asks for each. */
const DOCUMENTS = { scope: 'scope', notes: 'releaseNotes', weekly: 'weeklyStatus' } as const;
export type DocumentOption = keyof typeof DOCUMENTS;

/** Prints one of the release's documents (markdown) on stdout, as planning writes it now. */
export async function printReleaseDocument(
  api: ApiOptions,
  opts: { release: string } & Partial<Record<DocumentOption, boolean>>,
  out: (text: string) => void,
): Promise<number> {
  const asked = (Object.keys(DOCUMENTS) as DocumentOption[]).filter((k) => opts[k]);
  if (asked.length !== 1)
    throw new ApiError(
      `give exactly one of --scope (the scope document), --notes (the customers' release notes) or --weekly (the weekly status update)${asked.length ? `; got ${asked.map((k) => `--${k}`).join(' and ')}` : ''}`,
    );
  const field = DOCUMENTS[asked[0]!];
  const release = await resolveRelease(api, opts.release, 'the release');
  const docs = (
    await graphql<{ release: { documents: Record<string, string> } }>(
      api,
      `query ReleaseDocument($id: ID!) { release(id: $id) { documents { ${field} } } }`,
      { id: release.id },
    )
  ).release.documents;
  out(docs[field]!.replace(/\n$/, ''));
  return EXIT.PASS;
}
