import { ApiError, graphql, type ApiOptions } from './api.js';
import { readDocumentFile } from './document-file.js';
import { EXIT } from './exit-codes.js';

interface Defined {
  product: string;
  name: string;
  title: string;
  version: number;
  appliesTo: string;
  fourEyes: boolean;
  criteria: { id: string; name: string; kind: string; hard: boolean }[];
  approvals: { role: string; count: number }[];
  definedByName: string;
}

const DEFINE = `mutation DefineGate($product: String!, $definition: JSON!) {
  defineGate(product: $product, definition: $definition) {
    product name title version appliesTo fourEyes definedByName
    criteria { id name kind hard }
    approvals { role count }
  }
}`;

/** What a person reads after defining a gate: its version, criteria and sign-offs. */
export function formatDefinedGate(g: Defined): string {
  return [
    `${g.product} ${g.name} gate (${g.title}): version ${g.version} defined by ${g.definedByName}, for ${g.appliesTo.toLowerCase()} releases`,
    ...g.criteria.map((c) => `  ${c.hard ? 'hard' : 'soft'}  ${c.id} (${c.kind}): ${c.name}`),
    `  approvals: ${g.approvals.map((a) => `${a.count} from ${a.role}`).join(', ') || 'none'}${g.fourEyes ? ' (four-eyes)' : ''}`,
  ].join('\n');
}

/**
 * Defines a new version of a product's gate from a YAML or JSON file (replacing a built-in template of the same name);
 * gates checks the definition and refuses a bad one naming the field.
 */
export async function defineGate(
  api: ApiOptions,
  opts: { product: string; file: string; json: boolean },
  out: (line: string) => void,
): Promise<number> {
  const definition = readDocumentFile(opts.file);
  if (!definition || typeof definition !== 'object' || Array.isArray(definition))
    throw new ApiError(
      `--file ${opts.file}: expected a gate definition { name, title?, order?, appliesTo?, criteria: [...], approvals: [{ role, count }], fourEyes? }`,
    );
  const { defineGate: g } = await graphql<{ defineGate: Defined }>(api, DEFINE, {
    product: opts.product,
    definition,
  });
  out(opts.json ? JSON.stringify(g, null, 2) : formatDefinedGate(g));
  return EXIT.PASS;
}
