import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  TargetConflictError,
  TargetForbiddenError,
  TargetInvalidError,
  TargetNotFoundError,
} from '../../src/application/target-errors.js';
import { retryable, withRetry } from '../../src/adapters/kubernetes/retry.js';

const status = (code: number, message: string, causes?: unknown[]) =>
  JSON.stringify({ kind: 'Status', message, code, ...(causes ? { details: { causes } } : {}) });
const api = (code: number, message = 'boom', causes?: unknown[]) =>
  new ApiException(code, `HTTP ${code}`, status(code, message, causes), {});
const patchWeb = { verb: 'patch' as const, object: 'Deployment default/web' };

describe('Kubernetes API calls: retries and refusals', () => {
  it('retries throttling, server errors and network failures, not the cluster’s refusals', () => {
    expect([429, 500, 503].map((c) => retryable(api(c)))).toEqual([true, true, true]);
    expect([400, 403, 404, 409, 422].map((c) => retryable(api(c)))).toEqual([false, false, false, false, false]);
    expect(retryable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(retryable(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toBe(true);
  });

  it('backs off and succeeds after transient failures', async () => {
    let calls = 0;
    const value = await withRetry(patchWeb, async () => {
      calls++;
      if (calls === 1) throw api(429, 'too many requests');
      if (calls === 2) throw api(503, 'etcd leader changed');
      return 'patched';
    });
    expect(value).toBe('patched');
    expect(calls).toBe(3);
  });

  it('gives up with what was tried and the API message', async () => {
    let calls = 0;
    await expect(
      withRetry(
        patchWeb,
        async () => {
          calls++;
          throw api(500, 'internal error');
        },
        3,
      ),
    ).rejects.toThrow('patch Deployment default/web failed after 3 attempts: HTTP 500: internal error');
    expect(calls).toBe(3);
    await expect(withRetry(patchWeb, async () => Promise.reject(api(400, 'bad body')))).rejects.toThrow(
      'failed after 1 attempt: HTTP 400: bad body',
    );
  });

  it('translates 403, 404, 409 and 422 into the port’s errors at once, naming the object and the verb', async () => {
    let calls = 0;
    const refused = (code: number, message: string, causes?: unknown[]) =>
      withRetry(patchWeb, async () => {
        calls++;
        throw api(code, message, causes);
      }).catch((e: unknown) => e);

    const forbidden = await refused(
      403,
      'deployments.apps "web" is forbidden: User "system:serviceaccount:default:robot" cannot patch resource "deployments"',
    );
    expect(forbidden).toBeInstanceOf(TargetForbiddenError);
    expect(forbidden).toMatchObject({ object: 'Deployment default/web', verb: 'patch' });
    expect((forbidden as Error).message).toBe(
      'the cluster refused to patch Deployment default/web (403 Forbidden: deployments.apps "web" is forbidden: User "system:serviceaccount:default:robot" cannot patch resource "deployments"): grant patch on it to the account the deployment service runs as',
    );

    const gone = await refused(404, 'deployments.apps "web" not found');
    expect(gone).toBeInstanceOf(TargetNotFoundError);
    expect((gone as Error).message).toBe(
      'Deployment default/web is gone from the cluster: patch answered 404 Not Found (deployments.apps "web" not found)',
    );

    const conflict = await refused(
      409,
      'Apply failed with 1 conflict: conflict with "gitops" using apps/v1: .spec.replicas',
      [{ reason: 'FieldManagerConflict', message: 'conflict with "gitops" using apps/v1', field: '.spec.replicas' }],
    );
    expect(conflict).toBeInstanceOf(TargetConflictError);
    expect((conflict as TargetConflictError).conflicts).toEqual([{ field: '.spec.replicas', manager: 'gitops' }]);

    const invalid = await withRetry({ ...patchWeb, dryRun: true }, () =>
      Promise.reject(api(422, 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1')),
    ).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(TargetInvalidError);
    expect((invalid as Error).message).toBe(
      'the cluster refused to patch (dry run) Deployment default/web as invalid (422: Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1)',
    );
    expect(calls).toBe(3);
  });
});
