import { ApiError, graphql, type ApiOptions } from './api.js';
import { EXIT } from './exit-codes.js';
import { resolveRelease } from './release-ref.js';

export interface FreezeApproveOptions {
  release: string;
  change: string;
  reason: string;
  json: boolean;
}

const MUTATION = `mutation ApproveFreezeException($id: ID!, $change: String!, $reason: String!) {
  approveFreezeException(releaseId: $id, change: $change, reason: $reason) {
    id product version status freezeExceptions { changeId reason by byName at }
  }
}`;

interface Answer {
  id: string;
  product: string;
  version: string;
  status: string;
  freezeExceptions: { changeId: string; reason: string; by: string; byName: string; at: string }[];
}

/** A release manager lets one change into a frozen release; recorded (who, when, why) and audited by planning. */
export async function approveFreeze(
  api: ApiOptions,
  opts: FreezeApproveOptions,
  out: (line: string) => void,
): Promise<number> {
  if (!opts.change.trim())
    throw new ApiError('--change is empty; give the commit id or the pull/merge request, e.g. github:acme/shop#42');
  if (!opts.reason.trim()) throw new ApiError('--reason is empty; say why this change must go in during the freeze');
  const release = await resolveRelease(api, opts.release);
  const r = (
    await graphql<{ approveFreezeException: Answer }>(api, MUTATION, {
      id: release.id,
      change: opts.change,
      reason: opts.reason,
    })
  ).approveFreezeException;
  const exception = r.freezeExceptions.find((e) => e.changeId === opts.change.trim())!;
  if (opts.json)
    out(JSON.stringify({ release: { id: r.id, product: r.product, version: r.version }, exception }, null, 2));
  else
    out(
      `approved: ${exception.changeId} may go into ${r.product} ${r.version} (${r.status}), let in by ${exception.byName} at ${exception.at}: ${exception.reason}`,
    );
  return EXIT.PASS;
}
