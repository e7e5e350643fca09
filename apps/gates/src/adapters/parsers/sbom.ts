import { z } from 'zod';
import { countLicences, type SbomSummary } from '../../domain/sbom.js';
import { EvidenceParseError, textChunks, type ReportSource } from './evidence-error.js';
import { syntaxError, valuePosition } from './json-position.js';

const LIMIT = 64 * 1024 * 1024;

// CycloneDX JSON (1.2–1.6): the parts the gate reads, checked against the specification's shapes.
const cdxLicence = z.union([
  z.object({ license: z.object({ id: z.string().min(1) }).or(z.object({ name: z.string().min(1) })) }),
  z.object({ expression: z.string().min(1) }),
]);
const cdxComponent = z.object({
  type: z.string().min(1),
  name: z.string().min(1),
  version: z.string().optional(),
  licenses: z.array(cdxLicence).optional(),
});
const cycloneDx = z.object({
  bomFormat: z.literal('CycloneDX'),
  specVersion: z.enum(['1.2', '1.3', '1.4', '1.5', '1.6']),
  metadata: z.object({ component: z.object({ name: z.string() }).partial().optional() }).optional(),
  components: z.array(cdxComponent).default([]),
});

// SPDX 2.2/2.3 JSON: packages with their concluded and declared licences.
const spdxPackage = z.object({
  SPDXID: z.string().min(1),
  name: z.string().min(1),
  licenseConcluded: z.string().optional(),
  licenseDeclared: z.string().optional(),
});
const spdx = z.object({
  spdxVersion: z.enum(['SPDX-2.2', 'SPDX-2.3']),
  SPDXID: z.literal('SPDXRef-DOCUMENT'),
  name: z.string(),
  packages: z.array(spdxPackage).default([]),
});

type Cdx = z.output<typeof cycloneDx>;

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Several licence entries on one component all apply (a conservative reading: each must be acceptable). */
function cdxLicenceOf(c: Cdx['components'][number]): string | undefined {
  const parts = (c.licenses ?? []).map((l) =>
    'expression' in l ? l.expression : 'id' in l.license ? l.license.id : l.license.name,
  );
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : parts.map((p) => (/\s(OR|AND)\s/.test(p) ? `(${p})` : p)).join(' AND ');
}

function spdxLicenceOf(p: z.output<typeof spdxPackage>): string | undefined {
  const known = (v?: string) => (v && v !== 'NOASSERTION' && v !== 'NONE' ? v : undefined);
  return known(p.licenseConcluded) ?? known(p.licenseDeclared);
}

/** Reads a CycloneDX (1.2–1.6) or SPDX (2.2, 2.3) JSON SBOM into its component and licence counts. */
export async function parseSbom(file: string, source: ReportSource): Promise<SbomSummary> {
  let text = '';
  for await (const chunk of textChunks(source)) {
    text += chunk;
    if (text.length > LIMIT) throw new EvidenceParseError(file, `an SBOM is at most ${LIMIT} bytes`);
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
  const o = (json ?? {}) as Record<string, unknown>;
  if (o.bomFormat === 'CycloneDX') {
    const parsed = cycloneDx.safeParse(json);
    if (!parsed.success)
      throw new EvidenceParseError(
        file,
        `not a valid CycloneDX JSON SBOM: ${issues(parsed.error)}`,
        at(parsed.error)?.line,
        at(parsed.error)?.column,
      );
    const d = parsed.data;
    return {
      format: 'CycloneDX',
      specVersion: d.specVersion,
      ...(d.metadata?.component?.name ? { subject: d.metadata.component.name } : {}),
      ...countLicences(
        d.components.map((c) => ({ name: c.version ? `${c.name}@${c.version}` : c.name, licence: cdxLicenceOf(c) })),
      ),
    };
  }
  if (typeof o.spdxVersion === 'string') {
    const parsed = spdx.safeParse(json);
    if (!parsed.success)
      throw new EvidenceParseError(
        file,
        `not a valid SPDX 2.2/2.3 JSON document: ${issues(parsed.error)}`,
        at(parsed.error)?.line,
        at(parsed.error)?.column,
      );
    const d = parsed.data;
    return {
      format: 'SPDX',
      specVersion: d.spdxVersion.slice(5),
      subject: d.name,
      ...countLicences(d.packages.map((p) => ({ name: p.name, licence: spdxLicenceOf(p) }))),
    };
  }
  throw new EvidenceParseError(
    file,
    'not an SBOM: expected CycloneDX JSON ("bomFormat": "CycloneDX") or SPDX 2.2/2.3 JSON ("spdxVersion": "SPDX-2.3")',
    1,
    1,
  );
}
