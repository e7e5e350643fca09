import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { both, expectKnownDifference, expectSame, refusalOf, startServers, type Servers } from './servers.js';

const ns = 'conf-bad';
const deployments = `/apis/apps/v1/namespaces/${ns}/deployments`;

describe('bad input gets the same Status refusal from kube-sim as from kube-local', () => {
  let s: Servers;
  beforeAll(async () => {
    s = await startServers(ns);
  });
  afterAll(() => s?.stop());

  /** The same request on both servers: its status and, when refused, the refusal (code, reason, causes). */
  const call = async (what: string, method: string, path: string, body?: string, contentType = 'application/json') =>
    expectSame(
      await both(s, async (x) => {
        const r = await x.request(method, path, body, contentType);
        return r.status >= 400 ? refusalOf(r.status, r.body) : { code: r.status };
      }),
      what,
    );

  it('an invalid Deployment: 422 Invalid with a cause per field', async () => {
    const body = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'Bad_Name' },
      spec: {
        replicas: -1,
        selector: { matchLabels: { app: 'x' } },
        template: { metadata: { labels: { app: 'y' } }, spec: { containers: [{ name: 'c' }] } },
      },
    });
    const r = await call('an invalid Deployment', 'POST', deployments, body);
    expect(r).toMatchObject({ code: 422, reason: 'Invalid' });
  });

  it('an immutable selector change is refused with 422', async () => {
    const good = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ok' },
      spec: {
        selector: { matchLabels: { app: 'ok' } },
        template: { metadata: { labels: { app: 'ok', v: '1' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } },
      },
    };
    expect(await call('a valid Deployment', 'POST', deployments, JSON.stringify(good))).toEqual({ code: 201 });
    const r = await call(
      'a selector change',
      'PATCH',
      `${deployments}/ok`,
      JSON.stringify({ spec: { selector: { matchLabels: { app: 'ok', v: '1' } } } }),
      'application/merge-patch+json',
    );
    expect(r).toMatchObject({ code: 422 });
  });

  it('unknown kinds, paths and objects: 404', async () => {
    await call('an unknown group', 'GET', `/apis/example.com/v1/namespaces/${ns}/widgets`);
    await call('an unknown core resource', 'POST', `/api/v1/namespaces/${ns}/widgets`, '{}');
    expect(await call('a missing Deployment', 'GET', `${deployments}/missing`)).toMatchObject({
      code: 404,
      reason: 'NotFound',
    });
    await call(
      'a missing namespace',
      'POST',
      '/api/v1/namespaces/nowhere/configmaps',
      JSON.stringify({ metadata: { name: 'x' } }),
    );
  });

  it('malformed JSON, a body of the wrong kind, bad patches and an unknown content type', async () => {
    await call('malformed JSON', 'POST', deployments, '{"metadata": {');
    await call(
      'a Pod sent to deployments',
      'POST',
      deployments,
      JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }),
    );
    await call('a JSON array as an object', 'POST', deployments, '[1,2]');
    await call('a patch as text/plain', 'PATCH', `${deployments}/ok`, '{}', 'text/plain');
    await call(
      'a JSON patch that is not a list',
      'PATCH',
      `${deployments}/ok`,
      '{"op":"add"}',
      'application/json-patch+json',
    );
    const explode = await both(s, async (x) => {
      const r = await x.request(
        'PATCH',
        `${deployments}/ok`,
        JSON.stringify({ spec: { $patch: 'explode' } }),
        'application/strategic-merge-patch+json',
      );
      return refusalOf(r.status, r.body);
    });
    expectKnownDifference(
      explode,
      { sim: { code: 400, reason: 'BadRequest' }, local: { code: 500 } },
      'an unknown $patch directive is the client’s mistake (400); the API server answers 500',
    );
    await call('JSON nested 5000 deep', 'POST', deployments, '['.repeat(5000) + ']'.repeat(5000));
  });

  it('bad list parameters', async () => {
    await call('a negative limit', 'GET', `/api/v1/namespaces/${ns}/configmaps?limit=-3`);
    await call(
      'a label selector that does not parse',
      'GET',
      `/api/v1/namespaces/${ns}/configmaps?labelSelector=a%20in%20(`,
    );
  });

  it('bodies over the size limits: the request (3 MiB) and the stored object', async () => {
    // Just over the limit: the API server (Go's net/http) drains up to 256 KiB of a body its handler left unread and
    // closes the connection on more, so a larger body is answered 413 or cut off with a reset, whichever comes first.
    const overLimit = 'x'.repeat(3 * 1024 * 1024 + 64 * 1024);
    expect(
      await call(
        'a ConfigMap of 3 MiB and 64 KiB',
        'POST',
        `/api/v1/namespaces/${ns}/configmaps`,
        JSON.stringify({ metadata: { name: 'huge' }, data: { blob: overLimit } }),
      ),
    ).toMatchObject({ code: 413 });
    const cm = (name: string, data: object) => JSON.stringify({ metadata: { name }, ...data });
    const kib = (n: number) => Buffer.alloc(n * 1024).toString('base64');
    expect(
      await call(
        'a 2 MiB ConfigMap',
        'POST',
        `/api/v1/namespaces/${ns}/configmaps`,
        cm('big', { data: { blob: 'x'.repeat(2 * 1024 * 1024) } }),
      ),
    ).toMatchObject({ code: 422 });
    expect(
      await call(
        '600 KiB of data and 500 KiB of binaryData',
        'POST',
        `/api/v1/namespaces/${ns}/configmaps`,
        cm('mixed', { data: { a: 'x'.repeat(600 * 1024) }, binaryData: { b: kib(500) } }),
      ),
    ).toMatchObject({ code: 422 });
    expect(
      await call(
        '1 MiB of ConfigMap data, exactly',
        'POST',
        `/api/v1/namespaces/${ns}/configmaps`,
        cm('full', { data: { a: 'x'.repeat(512 * 1024) }, binaryData: { b: kib(512) } }),
      ),
    ).toEqual({ code: 201 });
    expect(
      await call(
        'binaryData that is not base64',
        'POST',
        `/api/v1/namespaces/${ns}/configmaps`,
        cm('notb64', { binaryData: { b: 'not base64!' } }),
      ),
    ).toMatchObject({ code: 400 });
    expect(
      await call(
        'a Secret of 1 MiB and a byte',
        'POST',
        `/api/v1/namespaces/${ns}/secrets`,
        cm('big', { data: { a: kib(1024), b: 'AA==' } }),
      ),
    ).toMatchObject({ code: 422 });
    expect(
      await call(
        'a Secret of 1 MiB, exactly',
        'POST',
        `/api/v1/namespaces/${ns}/secrets`,
        cm('full', { data: { a: kib(1024) } }),
      ),
    ).toEqual({ code: 201 });
    expect(await call('still serving', 'GET', `${deployments}/ok`)).toEqual({ code: 200 });
  });
});
