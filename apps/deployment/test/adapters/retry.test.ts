import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { isConflict, retryable, withRetry } from '../../src/adapters/kubernetes/retry.js';

const api = (code: number, message = 'boom') => new ApiException(code, `HTTP ${code}`, JSON.stringify({ kind: 'Status', message }), {});

describe('Kubernetes API retries', () => {
  it('retries conflicts, throttling, server errors and network failures, not other client errors', () => {
    expect([409, 429, 500, 503].map((c) => retryable(api(c)))).toEqual([true, true, true, true]);
    expect([400, 403, 404, 422].map((c) => retryable(api(c)))).toEqual([false, false, false, false]);
    expect(retryable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(retryable(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toBe(true);
  });

  it('backs off and succeeds after transient failures', async () => {
    let calls = 0;
    const value = await withRetry('patching Deployment default/web', async () => {
      calls++;
      if (calls === 1) throw api(409, 'the object has been modified');
      if (calls === 2) throw api(503, 'etcd leader changed');
      return 'patched';
    });
    expect(value).toBe('patched');
    expect(calls).toBe(3);
  });

  it('gives up with what was tried and the API message', async () => {
    let calls = 0;
    await expect(
      withRetry('patching Deployment default/web', async () => {
        calls++;
        throw api(500, 'internal error');
      }, 3),
    ).rejects.toThrow('patching Deployment default/web failed after 3 attempts: HTTP 500: internal error');
    expect(calls).toBe(3);
    await expect(withRetry('reading Deployment default/x', async () => Promise.reject(api(404, 'deployments.apps "x" not found')))).rejects.toThrow('failed after 1 attempt: HTTP 404: deployments.apps "x" not found');
  });

  it('tells a 409 by its status code, thrown as is or as the cause of the error withRetry gives up with', async () => {
    expect(isConflict(api(409, 'deployments.apps "web-canary" already exists'))).toBe(true);
    const gaveUp = await withRetry('creating Deployment default/web-canary', async () => Promise.reject(api(409, 'already exists')), 1).catch((e: unknown) => e);
    expect(isConflict(gaveUp)).toBe(true);
    expect(isConflict(api(404))).toBe(false);
    // A message that merely mentions the status is not a conflict.
    expect(isConflict(new Error('HTTP 409 in a message'))).toBe(false);
  });
});
