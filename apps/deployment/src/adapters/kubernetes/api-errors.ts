import { ApiException } from '@kubernetes/client-node';
import {
  TargetConflictError,
  TargetForbiddenError,
  TargetInvalidError,
  TargetNotFoundError,
  type FieldConflict,
} from '../../application/target-errors.js';

/** One call to the Kubernetes API, as RBAC and people name it: `patch` on `Deployment default/web`. */
export interface ApiCall {
  verb: 'get' | 'create' | 'patch' | 'update';
  object: string;
  /** A server-side dry run (dryRun=All): checked like the real call, changes nothing. */
  dryRun?: boolean;
}

/** The Status object Kubernetes answers an error with (its body). */
export interface KubeStatus {
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string; field?: string }[] };
}

export function statusOf(body: unknown): KubeStatus {
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as unknown;
      return typeof parsed === 'object' && parsed !== null ? (parsed as KubeStatus) : { message: body.slice(0, 300) };
    } catch {
      return { message: body.slice(0, 300) };
    }
  }
  return typeof body === 'object' && body !== null ? (body as KubeStatus) : {};
}

/** The field-manager conflicts of a refused server-side apply: `conflict with "kubectl-create" using apps/v1` on `.spec.replicas`. */
export function fieldConflicts(status: KubeStatus): FieldConflict[] {
  return (status.details?.causes ?? []).flatMap((c) => {
    const manager = /conflict with "([^"]+)"/.exec(c.message ?? '')?.[1];
    return c.reason === 'FieldManagerConflict' && manager && c.field ? [{ field: c.field, manager }] : [];
  });
}

const what = (call: ApiCall) => `${call.verb}${call.dryRun ? ' (dry run)' : ''}`;

/**
 * The port's error for an API error the same call cannot get past (403, 404, 409, 422), or undefined for one
 * worth another try or not the cluster's refusal (throttling, server errors, the network).
 */
export function refusalOf(err: unknown, call: ApiCall): Error | undefined {
  if (!(err instanceof ApiException)) return undefined;
  const status = statusOf(err.body);
  const said = status.message ?? 'no message';
  switch (err.code) {
    case 403:
      return new TargetForbiddenError(
        call.object,
        call.verb,
        `the cluster refused to ${what(call)} ${call.object} (403 Forbidden: ${said}): grant ${call.verb} on it to the account the deployment service runs as`,
        { cause: err },
      );
    case 404:
      return new TargetNotFoundError(
        call.object,
        call.verb,
        `${call.object} is gone from the cluster: ${what(call)} answered 404 Not Found (${said})`,
        { cause: err },
      );
    case 409:
      return new TargetConflictError(
        call.object,
        call.verb,
        `the cluster refused to ${what(call)} ${call.object} (409 Conflict: ${said})`,
        fieldConflicts(status),
        { cause: err },
      );
    case 422:
      return new TargetInvalidError(
        call.object,
        call.verb,
        `the cluster refused to ${what(call)} ${call.object} as invalid (422: ${said})`,
        { cause: err },
      );
    default:
      return undefined;
  }
}
