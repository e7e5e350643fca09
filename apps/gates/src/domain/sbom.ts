import parseExpression from 'spdx-expression-parse';

type LicenseNode = parseExpression.Info;

/** One licence expression found in an SBOM and how many components carry it. */
export interface LicenceUse {
  /** An SPDX expression (`MIT`, `MIT OR Apache-2.0`), or the text as given when it is not one. */
  expression: string;
  components: number;
  /** A few of the components' names, for the explanation. */
  examples: string[];
}

export interface SbomSummary {
  format: 'CycloneDX' | 'SPDX';
  specVersion: string;
  /** What the SBOM describes (CycloneDX metadata.component, SPDX document name). */
  subject?: string;
  components: number;
  licences: LicenceUse[];
  /** Components with no licence information (none given, NOASSERTION or NONE). */
  withoutLicence: LicenceUse;
}

export interface LicencePolicy {
  /** SPDX ids refused; an id also refuses its variants (`GPL-3.0` refuses `GPL-3.0-only` and `GPL-3.0-or-later`). */
  denied: string[];
  /** Components without licence information that are tolerated. */
  maxWithoutLicence: number;
  /** Expressions that are not SPDX (free text): refused unless allowed, as no one can tell what they permit. */
  allowUnparsed: boolean;
}

export interface PolicyVerdict {
  /** Components whose licence the policy refuses, by expression. */
  refused: LicenceUse[];
  unparsed: LicenceUse[];
  withoutLicence: number;
  ok: boolean;
}

function denies(denied: readonly string[], id: string): boolean {
  const plain = id.replace(/\+$/, '');
  return denied.some((d) => plain === d || plain.startsWith(`${d}-`));
}

/** Whether the licences in an expression may be used: an OR needs one acceptable side, an AND both. */
function acceptable(node: LicenseNode, denied: readonly string[]): boolean {
  if ('license' in node) return !denies(denied, node.license);
  return node.conjunction === 'or'
    ? acceptable(node.left, denied) || acceptable(node.right, denied)
    : acceptable(node.left, denied) && acceptable(node.right, denied);
}

export function parsesAsSpdx(expression: string): boolean {
  try {
    parseExpression(expression);
    return true;
  } catch {
    return false;
  }
}

/** Judges an SBOM's licences against a policy. */
export function judgeLicences(sbom: SbomSummary, policy: LicencePolicy): PolicyVerdict {
  const refused: LicenceUse[] = [];
  const unparsed: LicenceUse[] = [];
  for (const use of sbom.licences) {
    let tree: LicenseNode;
    try {
      tree = parseExpression(use.expression);
    } catch {
      unparsed.push(use);
      continue;
    }
    if (!acceptable(tree, policy.denied)) refused.push(use);
  }
  const withoutLicence = sbom.withoutLicence.components;
  const ok =
    refused.length === 0 &&
    (policy.allowUnparsed || unparsed.length === 0) &&
    withoutLicence <= policy.maxWithoutLicence;
  return { refused, unparsed, withoutLicence, ok };
}

/** Counts licence expressions over components: `licenceOf` gives each component's expression, or undefined without one. */
export function countLicences(
  components: { name: string; licence?: string }[],
): Pick<SbomSummary, 'components' | 'licences' | 'withoutLicence'> {
  const uses = new Map<string, LicenceUse>();
  const without: LicenceUse = { expression: '(none)', components: 0, examples: [] };
  for (const c of components) {
    const use = c.licence ? (uses.get(c.licence) ?? { expression: c.licence, components: 0, examples: [] }) : without;
    use.components += 1;
    if (use.examples.length < 5) use.examples.push(c.name);
    if (c.licence) uses.set(c.licence, use);
  }
  return {
    components: components.length,
    licences: [...uses.values()].sort(
      (a, b) => b.components - a.components || a.expression.localeCompare(b.expression),
    ),
    withoutLicence: without,
  };
}
