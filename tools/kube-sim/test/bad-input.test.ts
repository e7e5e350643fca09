import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../src/index.js';

describe('bad input gets a Kubernetes Status error and never crashes the server', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startKubeSim({ maxBodyBytes: 64 * 1024 });
  });
  afterAll(() => sim.stop());

  const call = async (method: string, path: string, body?: string, contentType = 'application/json') => {
    const res = await fetch(`${sim.url}${path}`, { method, body, headers: body !== undefined ? { 'Content-Type': contentType } : {} });
    return { status: res.status, body: (await res.json()) as { kind: string; reason: string; message: string; code: number; details?: { causes?: { field?: string; reason: string }[] } } };
  };
  const deployments = '/apis/apps/v1/namespaces/default/deployments';

  it('an invalid Deployment: 422 Invalid with a cause per field', async () => {
    const body = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'Bad_Name' },
      spec: { replicas: -1, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'y' } }, spec: { containers: [{ name: 'c' }] } } },
    });
    const r = await call('POST', deployments, body);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
    const fields = r.body.details!.causes!.map((c) => c.field);
    expect(fields).toEqual(expect.arrayContaining(['metadata.name', 'spec.replicas', 'spec.template.metadata.labels', 'spec.template.spec.containers[0].image']));
    expect(r.body.message).toContain('`selector` does not match template `labels`');
  });

  it('an immutable selector change is refused with 422', async () => {
    const good = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ok' }, spec: { selector: { matchLabels: { app: 'ok' } }, template: { metadata: { labels: { app: 'ok', v: '1' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } } } };
    expect((await call('POST', deployments, JSON.stringify(good))).status).toBe(201);
    const r = await call('PATCH', `${deployments}/ok`, JSON.stringify({ spec: { selector: { matchLabels: { app: 'ok', v: '1' } } } }), 'application/merge-patch+json');
    expect(r.status).toBe(422);
    expect(r.body.details!.causes![0]).toMatchObject({ field: 'spec.selector', reason: 'FieldValueInvalid' });
  });

  it('unknown kinds and paths: 404 NotFound', async () => {
    expect((await call('GET', '/apis/example.com/v1/namespaces/default/widgets')).body).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound' });
    expect((await call('POST', '/api/v1/namespaces/default/widgets', '{}')).status).toBe(404);
    expect((await call('GET', `${deployments}/missing`)).body.message).toBe('deployments.apps "missing" not found');
    const wrongNs = await call('POST', '/api/v1/namespaces/nowhere/configmaps', JSON.stringify({ metadata: { name: 'x' } }));
    expect(wrongNs.body).toMatchObject({ code: 404, message: 'namespaces "nowhere" not found' });
  });

  it('malformed JSON, a body of the wrong kind, unknown content types: 400 and 415', async () => {
    const malformed = await call('POST', deployments, '{"metadata": {');
    expect(malformed.body).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(malformed.body.message).toMatch(/not valid JSON/);
    const pod = await call('POST', deployments, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }));
    expect(pod.body).toMatchObject({ code: 400 });
    expect(pod.body.message).toMatch(/takes Deployment objects/);
    expect((await call('POST', deployments, '[1,2]')).status).toBe(400);
    expect((await call('PATCH', `${deployments}/ok`, '{}', 'text/plain')).body).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    expect((await call('PATCH', `${deployments}/ok`, '{"op":"add"}', 'application/json-patch+json')).status).toBe(400);
    expect((await call('PATCH', `${deployments}/ok`, JSON.stringify({ spec: { $patch: 'explode' } }), 'application/strategic-merge-patch+json')).status).toBe(400);
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    expect((await call('POST', deployments, deep)).status).toBe(400);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps?limit=-3')).status).toBe(400);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=a%20in%20(')).status).toBe(400);
  });

  it('an oversized body: 413 RequestEntityTooLarge', async () => {
    const huge = JSON.stringify({ metadata: { name: 'big' }, data: { blob: 'x'.repeat(200 * 1024) } });
    const r = await call('POST', '/api/v1/namespaces/default/configmaps', huge);
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge' });
  });

  it('still serves after all of that', async () => {
    const res = await fetch(`${sim.url}/version`);
    expect(await res.json()).toMatchObject({ major: '1', minor: '32' });
    expect((await call('GET', `${deployments}/ok`)).status).toBe(200);
  });
});
