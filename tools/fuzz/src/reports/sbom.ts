import fc from 'fast-check';
import type { SbomSummary } from '@flightdeck/gates/parsers';
import { hostileText } from '../text.js';

export interface SbomReport {
  text: string;
  expected: SbomSummary;
}

const ids = ['MIT', 'Apache-2.0', 'GPL-3.0-only', 'BSD-3-Clause', 'MIT OR Apache-2.0', 'LGPL-2.1-or-later AND MIT'];
type Licence = { id: string } | { name: string } | { expression: string };
const licence: fc.Arbitrary<Licence> = fc.oneof(
  fc.constantFrom(...ids.filter((i) => !i.includes(' '))).map((id) => ({ id })),
  hostileText(3).map((name) => ({ name })),
  fc.constantFrom(...ids).map((expression) => ({ expression })),
);

/** What a component's licences read as: one entry as it is; several joined with AND, compound ones in parentheses. */
function expressionOf(licences: Licence[]): string | undefined {
  const parts = licences.map((l) => ('id' in l ? l.id : 'name' in l ? l.name : l.expression));
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : parts.map((p) => (/\s(OR|AND)\s/.test(p) ? `(${p})` : p)).join(' AND ');
}

/** Counts per expression, most used first then by expression; up to five example names each. */
function counted(
  components: { name: string; licence?: string }[],
): Pick<SbomSummary, 'components' | 'licences' | 'withoutLicence'> {
  const uses = new Map<string, { expression: string; components: number; examples: string[] }>();
  const without = { expression: '(none)', components: 0, examples: [] as string[] };
  for (const c of components) {
    const use =
      c.licence === undefined
        ? without
        : (uses.get(c.licence) ?? { expression: c.licence, components: 0, examples: [] });
    use.components++;
    if (use.examples.length < 5) use.examples.push(c.name);
    if (c.licence !== undefined) uses.set(c.licence, use);
  }
  return {
    components: components.length,
    licences: [...uses.values()].sort(
      (a, b) => b.components - a.components || a.expression.localeCompare(b.expression),
    ),
    withoutLicence: without,
  };
}

const cycloneDx: fc.Arbitrary<SbomReport> = fc
  .record({
    specVersion: fc.constantFrom('1.2', '1.3', '1.4', '1.5', '1.6'),
    subject: fc.option(hostileText(2), { nil: undefined }),
    components: fc.array(
      fc.record({
        name: hostileText(2),
        version: fc.option(fc.constantFrom('1.0.0', '2.3.4-rc.1'), { nil: undefined }),
        licences: fc.array(licence, { maxLength: 3 }),
      }),
      { maxLength: 12 },
    ),
  })
  .map(({ specVersion, subject, components }) => ({
    text: JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion,
      version: 1,
      ...(subject !== undefined ? { metadata: { component: { type: 'application', name: subject } } } : {}),
      components: components.map((c) => ({
        type: 'library',
        name: c.name,
        ...(c.version ? { version: c.version } : {}),
        ...(c.licences.length ? { licenses: c.licences.map((l) => ('expression' in l ? l : { license: l })) } : {}),
      })),
    }),
    expected: {
      format: 'CycloneDX' as const,
      specVersion,
      ...(subject ? { subject } : {}),
      ...counted(
        components.map((c) => ({
          name: c.version ? `${c.name}@${c.version}` : c.name,
          licence: expressionOf(c.licences),
        })),
      ),
    },
  }));

const noLicence = ['NOASSERTION', 'NONE', undefined];
const spdx: fc.Arbitrary<SbomReport> = fc
  .record({
    version: fc.constantFrom('SPDX-2.2', 'SPDX-2.3'),
    name: hostileText(2),
    packages: fc.array(
      fc.record({
        name: hostileText(2),
        concluded: fc.constantFrom(...ids, ...noLicence),
        declared: fc.constantFrom(...ids, ...noLicence),
      }),
      { maxLength: 12 },
    ),
  })
  .map(({ version, name, packages }) => {
    const known = (v?: string) => (v && v !== 'NOASSERTION' && v !== 'NONE' ? v : undefined);
    return {
      text: JSON.stringify({
        spdxVersion: version,
        SPDXID: 'SPDXRef-DOCUMENT',
        name,
        dataLicense: 'CC0-1.0',
        packages: packages.map((p, i) => ({
          SPDXID: `SPDXRef-Package-${i}`,
          name: p.name,
          ...(p.concluded ? { licenseConcluded: p.concluded } : {}),
          ...(p.declared ? { licenseDeclared: p.declared } : {}),
        })),
      }),
      expected: {
        format: 'SPDX' as const,
        specVersion: version.slice(5),
        subject: name,
        ...counted(packages.map((p) => ({ name: p.name, licence: known(p.concluded) ?? known(p.declared) }))),
      },
    };
  });

/** A CycloneDX (1.2–1.6) or SPDX (2.2, 2.3) JSON SBOM with the component and licence counts it must give. */
export const sbomReport: fc.Arbitrary<SbomReport> = fc.oneof(cycloneDx, spdx);
