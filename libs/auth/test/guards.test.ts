import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, createTokenVerifier, identityFromRequest, mintToken, requireHuman, requireRole, type Identity } from '../src/index.js';

const secret = 'guards-test-secret-at-least-32-characters';
const verifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' });

function errorOf(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    return err as GraphQLError;
  }
  throw new Error('the guard let the call through');
}

const lead: Identity = { subject: 'tara', roles: ['TECHNICAL_LEAD'], machine: false };
const ci: Identity = { subject: 'pipeline', roles: ['CI'], machine: true };

describe('requireRole and requireHuman', () => {
  it('refuses anonymous callers as UNAUTHENTICATED', () => {
    const e = errorOf(() => requireRole(undefined, 'VIEWER'));
    expect(e.extensions.code).toBe('UNAUTHENTICATED');
    expect(e.message).toMatch(/^authentication required: send an Authorization: Bearer <token> header/);
    expect(errorOf(() => requireHuman(undefined)).extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses callers without one of the roles as FORBIDDEN, naming the roles needed and held', () => {
    const e = errorOf(() => requireRole({ subject: 'dev', roles: ['DEVELOPER', 'VIEWER'], machine: false }, 'QA_LEAD', 'TECHNICAL_LEAD'));
    expect(e.extensions).toMatchObject({ code: 'FORBIDDEN', needed: ['QA_LEAD', 'TECHNICAL_LEAD'], held: ['DEVELOPER', 'VIEWER'] });
    expect(e.message).toBe('this needs one of the roles QA_LEAD, TECHNICAL_LEAD; dev has DEVELOPER, VIEWER');
    expect(errorOf(() => requireRole({ subject: 'nobody', roles: [], machine: false }, 'SRE')).message).toBe('this needs one of the roles SRE; nobody has no roles');
  });

  it('lets a caller with one of the roles through, and any authenticated caller when no role is named', () => {
    expect(requireRole(lead, 'QA_LEAD', 'TECHNICAL_LEAD')).toBe(lead);
    expect(requireRole(ci)).toBe(ci);
  });

  it('never lets the CI role or a machine identity decide, whatever other roles it holds', () => {
    for (const identity of [ci, { subject: 'bot', roles: ['TECHNICAL_LEAD', 'CI'], machine: false }, { subject: 'bot', roles: ['RELEASE_MANAGER'], machine: true }] as Identity[]) {
      const e = errorOf(() => requireHuman(identity));
      expect(e.extensions.code).toBe('FORBIDDEN');
      expect(e.message).toMatch(/is a machine identity \(CI\): it may submit evidence but never approve/);
    }
    expect(requireHuman(lead)).toBe(lead);
  });
});

describe('identityFromRequest', () => {
  it('is undefined without an Authorization header, the identity for a valid Bearer token', async () => {
    expect(await identityFromRequest(undefined, verifier)).toBeUndefined();
    expect(await identityFromRequest('', verifier)).toBeUndefined();
    const token = await mintToken({ secret, subject: 'alice', roles: ['SRE'] });
    expect(await identityFromRequest(`Bearer ${token}`, verifier)).toEqual({ subject: 'alice', roles: ['SRE'], machine: false });
    expect(await identityFromRequest(`bearer  ${token} `, verifier)).toMatchObject({ subject: 'alice' });
  });

  it('throws AuthenticationError for a header that is not a valid Bearer token', async () => {
    await expect(identityFromRequest('Basic YWxpY2U6cHc=', verifier)).rejects.toThrow(new AuthenticationError("the Authorization header must be 'Bearer <token>'", 'malformed'));
    await expect(identityFromRequest('Bearer nonsense', verifier)).rejects.toBeInstanceOf(AuthenticationError);
  });
});

// The guards as resolvers use them, through a real Apollo Server: CI may submit evidence but never approve.
describe('guards in GraphQL resolvers', () => {
  const server = new ApolloServer<{ identity?: Identity }>({
    typeDefs: `#graphql
      type Query { ok: Boolean }
      type Mutation { submitEvidence(gate: ID!): Boolean, approveGate(gate: ID!): Boolean }
    `,
    resolvers: {
      Mutation: {
        submitEvidence: (_: unknown, __: unknown, { identity }: { identity?: Identity }) => Boolean(requireRole(identity, 'CI', 'QA_LEAD', 'DEVELOPER')),
        approveGate: (_: unknown, __: unknown, { identity }: { identity?: Identity }) => {
          requireHuman(identity);
          return Boolean(requireRole(identity, 'TECHNICAL_LEAD', 'QA_LEAD'));
        },
      },
    },
  });

  async function call(mutation: string, roles: Parameters<typeof mintToken>[0]['roles'] | undefined) {
    const header = roles ? `Bearer ${await mintToken({ secret, subject: 'caller', roles })}` : undefined;
    const identity = await identityFromRequest(header, verifier);
    const res = await server.executeOperation({ query: `mutation { ${mutation}(gate: "g1") }` }, { contextValue: { ...(identity ? { identity } : {}) } });
    if (res.body.kind !== 'single') throw new Error('expected a single result');
    const r = res.body.singleResult;
    return r.errors ? { code: r.errors[0]?.extensions?.code, message: r.errors[0]?.message } : r.data;
  }

  it('lets CI submit evidence but refuses its approval', async () => {
    expect(await call('submitEvidence', ['CI'])).toEqual({ submitEvidence: true });
    expect(await call('approveGate', ['CI'])).toEqual({ code: 'FORBIDDEN', message: expect.stringMatching(/may submit evidence but never approve/) });
    expect(await call('approveGate', ['CI', 'TECHNICAL_LEAD'])).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets a Technical Lead approve, refuses a Viewer and an anonymous caller', async () => {
    expect(await call('approveGate', ['TECHNICAL_LEAD'])).toEqual({ approveGate: true });
    expect(await call('approveGate', ['VIEWER'])).toEqual({ code: 'FORBIDDEN', message: 'this needs one of the roles TECHNICAL_LEAD, QA_LEAD; caller has VIEWER' });
    expect(await call('approveGate', undefined)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
