import { ApiError, graphql, type ApiOptions } from './api.js';
import { EXIT } from './exit-codes.js';

export interface FreezeCheckOptions {
  release: string;
  change: string;
  critical: boolean;
  json: boolean;
}

interface Decision {
  allowed: boolean;
  frozen: boolean;
  reason: string;
  change: string;
  critical: boolean;
  approvers: string[];
  release: { id: string; product: string; version: string; status: string };
}

const QUERY = `query FreezeDecision($release: String!, $change: String!, $critical: Boolean) {
  freezeDecision(release: $release, change: $change, critical: $critical) {
    allowed frozen reason change critical approvers
    release { id product version status }
  }
}`;

/** Asks whether the change may land in the release now: 0 allowed, 1 refused (with why and who may approve), 3 error. */
export async function checkFreeze(
  api: ApiOptions,
  opts: FreezeCheckOptions,
  log: (line: string) => void,
  out: (line: string) => void,
): Promise<number> {
  if (!opts.release.trim())
    throw new ApiError('--release is empty; give the release as product@version (e.g. shop@2.4.0) or its id');
  if (!opts.change.trim())
    throw new ApiError('--change is empty; give the commit id or the pull/merge request, e.g. github:acme/shop#42');
  const d = (
    await graphql<{ freezeDecision: Decision }>(api, QUERY, {
      release: opts.release,
      change: opts.change,
      critical: opts.critical,
    })
  ).freezeDecision;
  if (opts.json) out(JSON.stringify(d, null, 2));
  else out(`${d.allowed ? 'allowed' : 'refused'}: ${d.reason}`);
  if (d.allowed) return EXIT.PASS;
  log(
    `To let it in, ${d.approvers.join(' or ')} may approve an exception: flightdeck freeze approve --release ${d.release.id} --change ${JSON.stringify(d.change)} --reason "why it must go in now" (GraphQL: approveFreezeException); a critical fix can be marked --critical.`,
  );
  return EXIT.FAIL;
}
