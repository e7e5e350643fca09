import { z } from 'zod';
import type { ArtifactRecord } from '../../domain/artifact.js';
import { EvidenceParseError, textChunks, type ReportSource } from './evidence-error.js';
import { syntaxError, valuePosition } from './json-position.js';

const LIMIT = 64 * 1024;

export const artifactRecordSchema = z.object({
  artifact: z.string().min(1),
  versionTag: z.string().min(1),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<64 lower-case hex digits>'),
  sourceBranch: z.string().min(1),
  commit: z.string().regex(/^[0-9a-f]{7,64}$/, 'a commit id in hex'),
  cleanBuild: z.boolean(),
  signature: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64 (the raw signature bytes, e.g. `base64 -w0 artifact.sig`)')
    .refine((s) => s.length % 4 === 0, 'base64 whose length is a multiple of 4'),
});

/**
 * The release candidate's build record: `{"artifact","versionTag","digest":"sha256:…","sourceBranch","commit","cleanBuild",
 * "signature"}` (uploaded with `flightdeck evidence submit --artifact`). Its signature is checked against the key in the
 * gate's definition when it is submitted (a forged one is refused) and again when the gate is evaluated.
 */
export async function parseArtifactRecord(file: string, source: ReportSource): Promise<ArtifactRecord> {
  let text = '';
  for await (const chunk of textChunks(source)) {
    text += chunk;
    if (text.length > LIMIT) throw new EvidenceParseError(file, `a build record is at most ${LIMIT} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const { problem, at } = syntaxError(text);
    throw new EvidenceParseError(file, `malformed JSON: ${problem}`, at?.line, at?.column);
  }
  // Where the first problem the schema finds is, in the text.
  const at = (error: z.ZodError) =>
    valuePosition(
      text,
      (error.issues[0]?.path ?? []).map((p) => (typeof p === 'symbol' ? String(p) : p)),
    );
  const parsed = artifactRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new EvidenceParseError(
      file,
      `not a build record: ${issues}`,
      at(parsed.error)?.line,
      at(parsed.error)?.column,
    );
  }
  return parsed.data;
}
