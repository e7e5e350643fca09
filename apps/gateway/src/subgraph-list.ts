import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One entry of apps/gateway/subgraphs.json: a subgraph the supergraph is composed from. */
export const subgraphEntrySchema = z.object({
  name: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]*$/,
      'a subgraph name is lower-case letters, digits and dashes, starting with a letter (e.g. "planning")',
    ),
  schema: z
    .string()
    .min(1, 'the path of the SDL file, relative to the repository root (e.g. "apps/planning/schema.graphql")'),
  url: z.url({
    protocol: /^https?$/,
    error: 'the default URL of the subgraph\'s GraphQL endpoint (e.g. "http://127.0.0.1:4001/graphql")',
  }),
});
export type SubgraphEntry = z.infer<typeof subgraphEntrySchema>;

export const subgraphListSchema = z.array(subgraphEntrySchema).superRefine((entries, ctx) => {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (seen.has(entry.name))
      ctx.addIssue({
        code: 'custom',
        path: [index, 'name'],
        message: `subgraph name "${entry.name}" is listed twice; names must be unique`,
      });
    seen.add(entry.name);
  });
});

export class SubgraphListError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid subgraph list:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SubgraphListError';
  }
}

/** Reads and validates the subgraph list; every problem is reported at once. */
export function readSubgraphList(file: string): SubgraphEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SubgraphListError(file, [`cannot read it as JSON: ${(error as Error).message}`]);
  }
  const parsed = subgraphListSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SubgraphListError(
      file,
      parsed.error.issues.map(
        (issue) =>
          `${issue.path.length ? issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${String(p)}` : String(p))).join('') : 'top level'}: ${issue.message}`,
      ),
    );
  }
  return parsed.data;
}

/** The environment variable that overrides the URL of one subgraph at run time. */
export function subgraphUrlVariable(name: string): string {
  return `SUBGRAPH_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;
}
