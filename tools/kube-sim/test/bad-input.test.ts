import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../src/index.js';

// The status codes, reasons and causes are held to the API server in conformance/bad-input.test.ts; here, what is
// kube-sim's own: messages that say what was wrong and what would be right, and its body limit option.
describe('kube-sim words its refusals to say what would be right', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startKubeSim({ maxBodyBytes: 64 * 1024 });
  });
  afterAll(() => sim.stop());

  const call = async (method: string, path: string, body?: string, contentType = 'application/json') => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      body,
      headers: body !== undefined ? { 'Content-Type': contentType } : {},
    });
    return {
      status: res.status,
      body: (await res.json()) as { kind: string; reason: string; message: string; code: number },
    };
  };
  const deployments = '/apis/apps/v1/namespaces/default/deployments';

  it('an invalid Deployment names the template labels the selector must match', async () => {
    const body = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bad' },
      spec: {
        selector: { matchLabels: { app: 'x' } },
        template: { metadata: { labels: { app: 'y' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      },
    });
    expect((await call('POST', deployments, body)).body.message).toContain(
      '`selector` does not match template `labels`',
    );
  });

  it('missing objects and namespaces are named', async () => {
    expect((await call('GET', `${deployments}/missing`)).body.message).toBe('deployments.apps "missing" not found');
    expect(
      (await call('POST', '/api/v1/namespaces/nowhere/configmaps', JSON.stringify({ metadata: { name: 'x' } }))).body
        .message,
    ).toBe('namespaces "nowhere" not found');
  });

  it('malformed JSON and a body of the wrong kind say so', async () => {
    expect((await call('POST', deployments, '{"metadata": {')).body.message).toMatch(/not valid JSON/);
    expect(
      (await call('POST', deployments, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }))).body
        .message,
    ).toMatch(/takes Deployment objects/);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps?limit=1.5')).body.message).toBe(
      'limit must be a whole number, got "1.5"',
    );
  });

  it('a body over maxBodyBytes: 413 RequestEntityTooLarge, and the server goes on serving', async () => {
    const huge = JSON.stringify({ metadata: { name: 'big' }, data: { blob: 'x'.repeat(200 * 1024) } });
    const r = await call('POST', '/api/v1/namespaces/default/configmaps', huge);
    expect(r).toMatchObject({
      status: 413,
      body: { kind: 'Status', reason: 'RequestEntityTooLarge', message: expect.stringContaining(String(64 * 1024)) },
    });
    const res = await fetch(`${sim.url}/version`);
    expect(await res.json()).toMatchObject({ major: '1' });
  });
});
