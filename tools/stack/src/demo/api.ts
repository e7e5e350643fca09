import { mintToken, type Role } from '@flightdeck/auth';

/** The demo's people: each signs in with a token of their roles. rita requests releases; rob is the second release manager. */
export const PEOPLE = {
  rita: { name: 'Rita (release manager)', roles: ['RELEASE_MANAGER'] },
  rob: { name: 'Rob (release manager)', roles: ['RELEASE_MANAGER'] },
  tina: { name: 'Tina (technical lead)', roles: ['TECHNICAL_LEAD'] },
  quinn: { name: 'Quinn (QA lead)', roles: ['QA_LEAD'] },
  paula: { name: 'Paula (product owner)', roles: ['PRODUCT_OWNER'] },
  sam: { name: 'Sam (SRE)', roles: ['SRE'] },
  pipeline: { name: 'CI pipeline', roles: ['CI'] },
} as const satisfies Record<string, { name: string; roles: Role[] }>;

export type Person = keyof typeof PEOPLE;

export async function mintPeople(secret: string): Promise<Record<Person, string>> {
  const tokens = {} as Record<Person, string>;
  for (const [who, p] of Object.entries(PEOPLE) as [Person, (typeof PEOPLE)[Person]][]) {
    tokens[who] = await mintToken({
      secret,
      subject: who,
      name: p.name,
      roles: [...p.roles],
      machine: who === 'pipeline',
      expiresIn: '24h',
    });
  }
  return tokens;
}

export class GraphQLRefusal extends Error {}

/** The gateway's GraphQL API as each demo person calls it. */
export class DemoApi {
  constructor(
    readonly graphqlUrl: string,
    readonly tokens: Record<Person, string>,
  ) {}

  async as<T = Record<string, unknown>>(
    who: Person,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    const res = await fetch(this.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.tokens[who]}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length) throw new GraphQLRefusal(`${who}: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data as T;
  }
}

/** Polls until `probe` returns a value: effects that travel by events arrive within a second or two. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
