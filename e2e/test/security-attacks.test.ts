import { gzipSync } from 'node:zlib';
import { isEnumType } from 'graphql';
import type {} from '@flightdeck/testing/global-setup';
import { DEADLINES, eventually, gql, type GraphQLResult } from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inputPaths, operationWithVariables, stringArguments, supergraphSchema } from '../src/input-surface.js';
import { SUBGRAPHS, startSecurityStack, type SecurityStack } from '../src/security-stack.js';
import { ATTACKS, forgedTokens, issuedToken, type Attack } from '../src/tokens.js';

/**
 * What an attacker sends, through the gateway of the whole stack (every service its own process, tokens checked
 * against a JWKS) and straight at the subgraphs: MongoDB operators and prototype-pollution keys in every input,
 * hostile evidence, oversized and deeply nested JSON, alias, fragment and batch abuse, floods; and what the
 * production gateway shows a stranger (introspection, the explorer, CORS).
 */

const RATE_LIMIT = 40;
const GATE = 'SECURITY';
const definition = {
  name: GATE,
  order: 60,
  criteria: [
    { id: 'tests', name: 'Tests', kind: 'tests', minPassRate: 100 },
    { id: 'speed', name: 'Speed', kind: 'performance', metric: 'p95', op: '<=', bound: 200 },
  ],
  approvals: [{ role: 'QA_LEAD', count: 1 }],
};

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const codes = (res: GraphQLResult) => (res.errors ?? []).map((e) => e.extensions?.code);

describe('an attacker against the whole stack', () => {
  let stack: SecurityStack;
  let gateway: string;
  let releaseId: string;
  const token = (
    subject: string,
    roles: Parameters<typeof issuedToken>[2] = ['RELEASE_MANAGER', 'QA_LEAD', 'TECHNICAL_LEAD'],
  ) => issuedToken(stack.idp, subject, roles);
  let admin: string;

  beforeAll(async () => {
    stack = await startSecurityStack({
      name: 'attacks',
      natsUrl: inject('natsUrl'),
      mongoUri: inject('mongoUri'),
      gatewayEnv: {
        GATEWAY_RATE_LIMIT_REQUESTS: String(RATE_LIMIT),
        GATEWAY_RATE_LIMIT_WINDOW_SECONDS: '3600',
        GATEWAY_RATE_LIMIT_ANONYMOUS_REQUESTS: '100000',
      },
    });
    gateway = stack.gatewayUrl;
    admin = await token('attacks-fixtures');
    const ok = async <T>(query: string, variables?: Record<string, unknown>) => {
      const res = await gql<T>(gateway, query, variables, admin);
      if (res.errors?.length) throw new Error(res.errors.map((e) => e.message).join('; '));
      return res.data!;
    };
    await ok('mutation($d: JSON!) { defineGate(product: "inj", definition: $d) { version } }', { d: definition });
    releaseId = (
      await ok<{ createRelease: { id: string } }>(
        'mutation { createRelease(input: { product: "inj", version: "1.0.0", theme: "t", owner: "o", targetDate: "2030-01-01T00:00:00Z" }) { id } }',
      )
    ).createRelease.id;
    await eventually(
      'gates learning inj@1.0.0',
      async () =>
        (await gql<{ releaseGates: unknown[] }>(gateway, '{ releaseGates(release: "inj@1.0.0") { name } }')).data
          ?.releaseGates?.length
          ? true
          : undefined,
      DEADLINES.stack,
    );
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const evidenceOf = async () =>
    (
      await gql<{ gate: { evidence: { name: string; kind: string; summary: unknown }[] } }>(
        gateway,
        `{ gate(release: "inj@1.0.0", gate: "${GATE}") { evidence { name kind summary } } }`,
      )
    ).data!.gate.evidence;

  describe('MongoDB operator and prototype-pollution injection', () => {
    it('has one input that takes an object, the gate definition (a JSON scalar); every other input is a typed scalar or an enum', () => {
      const schema = supergraphSchema();
      const surface = inputPaths(schema);
      expect(surface.length).toBeGreaterThan(80);
      expect(surface.filter((p) => p.type === 'JSON').map((p) => p.path)).toEqual(['Mutation.defineGate(definition)']);
      const scalars = ['String', 'ID', 'Int', 'Float', 'Boolean', 'DateTime', 'JSON'];
      expect(
        surface
          .filter((p) => !scalars.includes(p.type) && !isEnumType(schema.getType(p.type)))
          .map((p) => `${p.path}: ${p.type}`),
      ).toEqual([]);
    });

    it('refuses {"$gt": ""} in every String and ID argument of every query and mutation before anything runs', async () => {
      const schema = supergraphSchema();
      const targets = stringArguments(schema);
      expect(targets.length).toBeGreaterThan(40);
      const wrong: string[] = [];
      for (const { root, field, arg } of targets) {
        const caller = await token(`inject-${field.name}`);
        const res = await gql(gateway, operationWithVariables(root, field), { [arg.name]: { $gt: '' } }, caller);
        const said = (res.errors ?? []).some((e) =>
          e.message.startsWith(`Variable "$${arg.name}" got invalid value { $gt: "" }`),
        );
        if (!said || res.data)
          wrong.push(`${field.name}(${arg.name}): ${res.status} ${JSON.stringify(res).slice(0, 200)}`);
      }
      expect(wrong).toEqual([]);
    });

    it('treats operator-looking strings as plain strings: no filter widens, nothing matches that should not', async () => {
      const reader = await token('inject-strings');
      const count = async (product: string) =>
        (
          await gql<{ releases: { totalCount: number } }>(
            gateway,
            'query($p: String!) { releases(filter: { product: $p }) { totalCount } }',
            { p: product },
            reader,
          )
        ).data?.releases.totalCount;
      expect(await count('inj')).toBe(1);
      for (const p of ['$ne', '{"$ne": null}', '{"$gt": ""}', '.*', '$where', 'inj.x', 'inj$'])
        expect(await count(p), p).toBe(0);
      const byVersion = await gql<{ releaseByVersion: unknown }>(
        gateway,
        '{ releaseByVersion(product: "inj", version: "{\\"$gt\\": \\"\\"}") { id } }',
        undefined,
        reader,
      );
      expect(byVersion.data?.releaseByVersion).toBeNull();
      const rollouts = await gql<{ rollouts: { totalCount: number } }>(
        gateway,
        '{ rollouts(filter: { namespace: "{\\"$ne\\": null}" }) { totalCount } }',
        undefined,
        reader,
      );
      expect(rollouts.data?.rollouts.totalCount).toBe(0);
    });

    it('refuses product names made of operators, dots and prototype keys, saying what a name is', async () => {
      for (const product of ['$where', 'a.b', '__proto__', '{"$gt":""}']) {
        const res = await gql(
          gateway,
          'mutation($p: String!) { createRelease(input: { product: $p, version: "1.0.0", theme: "t", owner: "o", targetDate: "2030-01-01T00:00:00Z" }) { id product } }',
          { p: product },
          admin,
        );
        if (res.data) expect(res.data, product).toEqual({ createRelease: { id: expect.any(String), product } });
        else expect(codes(res), product).toEqual(['BAD_USER_INPUT']);
      }
    });

    it('keeps only the known keys of a gate definition: $-keys, dotted keys and __proto__ anywhere in it are dropped, the prototype untouched', async () => {
      const hostile = JSON.parse(
        JSON.stringify({
          ...definition,
          name: 'HOSTILE',
          $where: 'sleep(5000)',
          'a.b': 1,
          criteria: definition.criteria.map((c) => ({ ...c, $gt: '', 'x.y': 2 })),
        }).replace('{', '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},'),
      ) as Record<string, unknown>;
      const res = await gql<{
        defineGate: { name: string; criteria: { id: string; settings: Record<string, unknown> }[] };
      }>(
        gateway,
        'mutation($d: JSON!) { defineGate(product: "inj", definition: $d) { name criteria { id settings } } }',
        { d: hostile },
        admin,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.defineGate.name).toBe('HOSTILE');
      const shown = JSON.stringify(res.data);
      for (const key of ['$where', 'a.b', '$gt', 'x.y', 'polluted', '__proto__']) expect(shown, key).not.toContain(key);
      // The same keys as a GraphQL literal (the JSON scalar's parseLiteral) rather than a variable.
      const literal = await gql(
        gateway,
        `mutation { defineGate(product: "inj", definition: { __proto__: { polluted: "yes" }, name: "LITERAL", criteria: [{ id: "t", name: "T", kind: "tests", minPassRate: 90, $gt: "" }], approvals: [] }) { name criteria { settings } } }`,
        undefined,
        admin,
      );
      // `$gt` is no GraphQL name: the literal does not parse, and says so.
      expect(literal.errors?.[0]?.message).toMatch(/Syntax Error/);
      const definitions = await gql<{ gateDefinitions: { name: string }[] }>(
        gateway,
        '{ gateDefinitions(product: "inj") { name } }',
      );
      expect(definitions.data!.gateDefinitions.map((d) => d.name)).toContain(GATE);
    });

    it('stores evidence names as labels: traversal, operators and prototype keys are names like any other, and nothing is written anywhere', async () => {
      const names = [
        '../../../../etc/passwd',
        '..\\..\\windows\\win.ini',
        '/etc/shadow',
        '$gt',
        'a.b.c',
        '__proto__',
        'constructor',
      ];
      for (const name of names) {
        const res = await gql(
          gateway,
          'mutation($i: SubmitEvidenceInput!) { submitEvidence(input: $i) { name } }',
          {
            i: {
              release: 'inj@1.0.0',
              gate: GATE,
              kind: 'JUNIT',
              name,
              content: '<testsuite><testcase name="a"/></testsuite>',
            },
          },
          admin,
        );
        expect(res.errors, name).toBeUndefined();
      }
      expect(
        (await evidenceOf())
          .filter((e) => e.kind === 'JUNIT')
          .map((e) => e.name)
          .sort(),
      ).toEqual([...names].sort());
    });

    it('keeps benchmark names with operators and dots as they are, and uses them in criteria', async () => {
      const content = JSON.stringify({
        benchmarks: [
          { name: 'p95', value: 150, unit: 'ms' },
          { name: '$gt', value: 1 },
          { name: 'a.b', value: 2 },
          { name: 'constructor', value: 3 },
        ],
      });
      const res = await gql<{
        submitEvidence: { latestEvaluation: { criteria: { name: string; result: string; measured: string }[] } | null };
      }>(
        gateway,
        'mutation($i: SubmitEvidenceInput!) { submitEvidence(input: $i) { latestEvaluation { criteria { name result measured } } } }',
        { i: { release: 'inj@1.0.0', gate: GATE, kind: 'BENCHMARK', name: 'bench.json', content } },
        admin,
      );
      expect(res.errors).toBeUndefined();
      const bench = (await evidenceOf()).find((e) => e.kind === 'BENCHMARK');
      expect(bench?.summary).toEqual({
        metrics: { p95: { value: 150, unit: 'ms' }, $gt: { value: 1 }, 'a.b': { value: 2 }, constructor: { value: 3 } },
      });
    });
  });

  describe('hostile evidence is refused, saying why, and changes nothing', () => {
    const submit = async (kind: string, name: string, content: string, encoding = 'PLAIN') =>
      gql(
        gateway,
        'mutation($i: SubmitEvidenceInput!) { submitEvidence(input: $i) { name } }',
        { i: { release: 'inj@1.0.0', gate: GATE, kind, name, content, encoding } },
        await token('evidence-attacker', ['QA_LEAD']),
      );

    it.each([
      [
        'billion laughs',
        'JUNIT',
        `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n<testsuite name="&lol3;"/>`,
        /entity declarations are not accepted/,
      ],
      [
        'an external entity',
        'COBERTURA',
        `<?xml version="1.0"?>\n<!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<coverage>&xxe;</coverage>`,
        /entity declarations are not accepted/,
      ],
      [
        'a parameter entity fetching a DTD',
        'JUNIT',
        `<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>\n<testsuite/>`,
        /entity declarations are not accepted/,
      ],
      [
        'a SARIF result that is null',
        'SARIF',
        '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[null]}]}',
        /runs\[0\]\.results\[0\]/,
      ],
      ['a benchmark named __proto__', 'BENCHMARK', '{"benchmarks":[{"name":"__proto__","value":1}]}', /__proto__/],
      ['suites nested 50,000 deep', 'JUNIT', `${'<testsuite>'.repeat(50_000)}`, /nested more than 256 elements deep/],
    ])('%s', async (_what, kind, content, reason) => {
      const before = await evidenceOf();
      const res = await submit(kind, 'hostile.report', content);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.message).toMatch(/^evidence refused, nothing was stored: hostile\.report:\d+/);
      expect(res.errors![0]!.message).toMatch(reason);
      expect(await evidenceOf()).toEqual(before);
    });

    it('a gzip bomb (17 MB of well-formed XML in 17 KB) is cut off at the evidence size limit', async () => {
      const bomb = gzipSync(Buffer.from(`<testsuite>${' '.repeat(17 * 1024 * 1024)}</testsuite>`)).toString('base64');
      expect(bomb.length).toBeLessThan(100_000);
      const res = await submit('JUNIT', 'bomb.xml', bomb, 'GZIP_BASE64');
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.message).toMatch(/evidence bomb\.xml is larger than the limit of 16777216 bytes/);
    });
  });

  describe('oversized and deeply nested requests', () => {
    it('refuses a body over 1 MB with 413 before parsing it', async () => {
      const res = await post(
        gateway,
        JSON.stringify({ query: '{ healthRules { __typename } }', variables: { pad: 'x'.repeat(1_200_000) } }),
      );
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers a JSON variable nested 100,000 deep with a clear refusal, and keeps serving', async () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      const res = await post(
        gateway,
        `{"query":"mutation($d: JSON!) { defineGate(product: \\"inj\\", definition: $d) { name } }","variables":{"d":{"name":"DEEP","criteria":${deep},"approvals":[]}}}`,
        { authorization: `Bearer ${admin}` },
      );
      const body = JSON.parse(res.text) as GraphQLResult;
      expect(codes(body)).toEqual(['BAD_USER_INPUT']);
      expect(body.errors?.[0]?.message).toMatch(/nested more than 64 arrays or objects deep/);
      expect((await gql(gateway, '{ healthRules { __typename } }')).errors).toBeUndefined();
    });

    it('answers a query text nested 20,000 deep (lists, selections) with 400, and keeps serving', async () => {
      for (const query of [
        `{ releases(filter: { product: ${'['.repeat(20_000)}"x"${']'.repeat(20_000)} }) { totalCount } }`,
        `{ ${'releases { edges { node { '.repeat(5000)}id${' } } }'.repeat(5000)} }`,
      ]) {
        const res = await post(gateway, JSON.stringify({ query }));
        expect(res.status).toBe(400);
        expect(JSON.parse(res.text).errors[0].message.length).toBeLessThan(500);
      }
      expect((await gql(gateway, '{ healthRules { __typename } }')).errors).toBeUndefined();
    });
  });

  describe('GraphQL alias, fragment and batch abuse', () => {
    it('refuses 2,000 aliases of one field by cost', async () => {
      const res = await gql(
        gateway,
        `{ ${Array.from({ length: 2000 }, (_, i) => `a${i}: healthRules { __typename }`).join(' ')} }`,
      );
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.extensions).toMatchObject({ reason: 'QUERY_TOO_COSTLY', limit: 1000 });
    });

    it('refuses a fragment cycle', async () => {
      const res = await gql(gateway, '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }');
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.message).toMatch(/Cannot spread fragment "A" within itself/);
    });

    it('refuses fragments that double at each of 12 nesting levels (4,096 paths from 1 KB of text) by depth', async () => {
      const levels = Array.from(
        { length: 12 },
        (_, i) =>
          `fragment F${i + 1} on Release { a: rollouts { release { ...F${i} } } b: rollouts { release { ...F${i} } } }`,
      );
      const res = await gql(
        gateway,
        `query Doubling { release(id: "${releaseId}") { ...F12 } } fragment F0 on Release { id } ${levels.join(' ')}`,
        undefined,
        admin,
      );
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.extensions).toMatchObject({ reason: 'QUERY_TOO_DEEP', depth: 26, limit: 10 });
    });

    it('refuses 1,000 fields on each of 3 aliased paths spread through fragments, by cost', async () => {
      const wide = `fragment W on Release { ${Array.from({ length: 1000 }, (_, i) => `g${i}: gates { name }`).join(' ')} }`;
      const res = await gql(
        gateway,
        `{ a: release(id: "${releaseId}") { ...W } b: release(id: "${releaseId}") { ...W } c: release(id: "${releaseId}") { ...W } } ${wide}`,
      );
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.extensions).toMatchObject({ reason: 'QUERY_TOO_COSTLY' });
    });

    it('answers 5,000 copies of one aliased field (the fields-merge check is quadratic in naive servers) and keeps serving', async () => {
      const query = `{ ${Array.from({ length: 5000 }, () => 'a: healthRules { __typename }').join(' ')} }`;
      const res = await fetch(gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
        signal: AbortSignal.timeout(60_000),
      });
      expect([200, 400]).toContain(res.status);
      expect((await gql(gateway, '{ healthRules { __typename } }')).errors).toBeUndefined();
    });

    it('refuses a batched array of operations whole, running none of them', async () => {
      const batch = Array.from({ length: 50 }, (_, i) => ({
        query: `mutation { createRelease(input: { product: "batch", version: "1.0.${i}", theme: "t", owner: "o", targetDate: "2030-01-01T00:00:00Z" }) { id } }`,
      }));
      const res = await post(gateway, JSON.stringify(batch), { authorization: `Bearer ${await token('batcher')}` });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/batching/i);
      const made = await gql<{ releases: { totalCount: number } }>(
        gateway,
        '{ releases(filter: { product: "batch" }) { totalCount } }',
      );
      expect(made.data?.releases.totalCount).toBe(0);
    });

    it('runs no mutation sent with GET', async () => {
      const res = await fetch(
        `${gateway}?query=${encodeURIComponent('mutation { createRelease(input: { product: "get", version: "1.0.0", theme: "t", owner: "o", targetDate: "2030-01-01T00:00:00Z" }) { id } }')}`,
        {
          headers: { authorization: `Bearer ${admin}`, 'apollo-require-preflight': 'true' },
        },
      );
      expect(res.status).toBe(405);
    });
  });

  describe('per-identity rate limit of the production gateway', () => {
    it(`answers ${RATE_LIMIT} requests of one person, then 429 with Retry-After; another person is unaffected`, async () => {
      const flooder = await token('flooder', ['VIEWER']);
      for (let i = 0; i < RATE_LIMIT; i++)
        expect((await gql(gateway, '{ healthRules { __typename } }', undefined, flooder)).status).toBe(200);
      const res = await post(gateway, JSON.stringify({ query: '{ healthRules { __typename } }' }), {
        authorization: `Bearer ${flooder}`,
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(JSON.parse(res.text).errors[0]).toMatchObject({
        message: expect.stringMatching(/^Too many requests: flooder may make 40 requests per 3600 s/),
        extensions: { code: 'RATE_LIMITED' },
      });
      expect(
        (await gql(gateway, '{ healthRules { __typename } }', undefined, await token('bystander', ['VIEWER']))).status,
      ).toBe(200);
    });
  });

  describe('what the production gateway shows a stranger', () => {
    it('answers no introspection (__schema, __type), only __typename', async () => {
      for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Mutation") { fields { name } } }']) {
        const res = await gql(gateway, query);
        expect(res.status).toBe(400);
        expect(res.errors?.[0]?.message).toMatch(/^Introspection is off on this gateway/);
      }
      expect((await gql(gateway, '{ __typename }')).data).toEqual({ __typename: 'Query' });
    });

    it('serves no explorer page: a browser asking for HTML gets no GraphiQL', async () => {
      const res = await fetch(gateway, { headers: { accept: 'text/html' } });
      expect(await res.text()).not.toMatch(/graphiql/i);
    });

    it('allows no browser origin by default (GATEWAY_CORS_ORIGINS unset): no CORS grant to any origin, credentials never', async () => {
      for (const origin of ['https://evil.example.com', 'http://127.0.0.1:4000', 'null']) {
        const preflight = await fetch(gateway, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,content-type',
          },
        });
        expect(preflight.headers.get('access-control-allow-origin'), origin).toBeNull();
        const simple = await fetch(gateway, {
          method: 'POST',
          headers: { origin, 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        expect(simple.headers.get('access-control-allow-origin'), origin).toBeNull();
        expect(simple.headers.get('access-control-allow-credentials'), origin).toBeNull();
      }
    });
  });

  describe('the subgraphs reached directly, without the gateway', () => {
    it('each verifies the token itself: every forged token is refused with 401', async () => {
      const forged = await forgedTokens(stack.idp);
      for (const name of SUBGRAPHS) {
        for (const attack of ATTACKS) {
          const res = await gql(stack.subgraphUrls[name], '{ __typename }', undefined, forged[attack as Attack]);
          expect(res.status, `${name} × ${attack}`).toBe(401);
          expect(codes(res), `${name} × ${attack}`).toEqual(['UNAUTHENTICATED']);
        }
      }
    });

    it('each refuses an anonymous mutation in its resolvers, though no gateway guard stands in front', async () => {
      const mutations: Record<(typeof SUBGRAPHS)[number], string> = {
        planning:
          'mutation { createRelease(input: { product: "direct", version: "1.0.0", theme: "t", owner: "o", targetDate: "2030-01-01T00:00:00Z" }) { id } }',
        gates: `mutation { overrideGate(release: "inj@1.0.0", gate: "${GATE}", outcome: PASS, reason: "direct") { name } }`,
        deployment: 'mutation { abortRollout(id: "x", reason: "direct") { id } }',
        analytics: 'mutation { openIncident(input: { title: "direct", severity: critical }) { id } }',
      };
      for (const name of SUBGRAPHS)
        expect(codes(await gql(stack.subgraphUrls[name], mutations[name])), name).toEqual(['UNAUTHENTICATED']);
    });

    it('guards entity fields reached through _entities as through the gateway: no anonymous rollouts of a release', async () => {
      const query = `{ _entities(representations: [{ __typename: "Release", id: "${releaseId}" }]) { ... on Release { rollouts { id } } } }`;
      expect(codes(await gql(stack.subgraphUrls.deployment, query))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await gql(stack.subgraphUrls.deployment, query, undefined, admin))).toEqual([]);
    });

    it('has no depth, cost or rate limit of its own: what the gateway refuses, a subgraph answers (so only the gateway may be reachable)', async () => {
      const aliases = `{ ${Array.from({ length: 2000 }, (_, i) => `a${i}: healthRules { __typename }`).join(' ')} }`;
      expect((await gql(gateway, aliases)).status).toBe(400);
      const direct = await gql(stack.subgraphUrls.planning, aliases);
      expect(direct.status).toBe(200);
      expect(Object.keys(direct.data ?? {})).toHaveLength(2000);
    });
  });
});
