/** runOnRequirements: what the server under test is, and whether a file or test may run on it. */
import type { MongoClient } from 'mongodb';
import type { Document } from './bson-values.js';
import { match } from './matcher.js';
import type { RunOnRequirement } from './unified-format.js';

export interface ServerInfo {
  version: string;
  topology: 'single' | 'replicaset' | 'sharded' | 'load-balanced';
  serverless: boolean;
  auth: boolean;
  parameters: Document;
}

export async function detectServerInfo(client: MongoClient, uri: string): Promise<ServerInfo> {
  const admin = client.db('admin');
  const buildInfo = await admin.command({ buildInfo: 1 });
  const hello = await admin.command({ hello: 1 });
  let topology: ServerInfo['topology'] = 'single';
  if (hello.msg === 'isdbgrid') topology = 'sharded';
  else if (hello.setName) topology = 'replicaset';
  else if (hello.serviceId) topology = 'load-balanced';
  let parameters: Document = {};
  try {
    parameters = await admin.command({ getParameter: '*' });
  } catch {
    // A server without getParameter: '*' simply satisfies no serverParameters requirement.
  }
  return {
    version: String(buildInfo.version),
    topology,
    serverless: process.env.SERVERLESS === '1',
    auth: /^mongodb(\+srv)?:\/\/[^/@]+@/.test(uri),
    parameters,
  };
}

/** Compares dotted versions component by component; missing components count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a
    .split('-')[0]!
    .split('.')
    .map((x) => Number.parseInt(x, 10) || 0);
  const pb = b
    .split('-')[0]!
    .split('.')
    .map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Why one requirement is not met by the server, or undefined when it is met. */
function unmet(req: RunOnRequirement, info: ServerInfo): string | undefined {
  if (req.minServerVersion && compareVersions(info.version, req.minServerVersion) < 0) {
    return `needs server version >= ${req.minServerVersion}, the server reports ${info.version}`;
  }
  if (req.maxServerVersion && compareVersions(info.version, req.maxServerVersion) > 0) {
    return `needs server version <= ${req.maxServerVersion} (behaviour of older servers), the server reports ${info.version}`;
  }
  if (req.topologies) {
    const topologies = req.topologies.map((t) => (t === 'sharded-replicaset' ? 'sharded' : t));
    if (!topologies.includes(info.topology))
      return `needs topology ${req.topologies.join(' or ')}, the server is ${info.topology}`;
  }
  if (req.serverless === 'require' && !info.serverless) return 'needs a serverless deployment';
  if (req.serverless === 'forbid' && info.serverless) return 'cannot run on a serverless deployment';
  if (req.auth === true && !info.auth) return 'needs authentication enabled';
  if (req.auth === false && info.auth) return 'needs authentication disabled';
  if (req.authMechanism) return `needs the ${req.authMechanism} authentication mechanism`;
  if (req.csfle) return 'needs client-side field level encryption';
  if (req.serverParameters) {
    const problems = match(req.serverParameters, info.parameters, { root: true, path: 'serverParameters' });
    if (problems.length > 0) return `needs server parameters ${JSON.stringify(req.serverParameters)}`;
  }
  return undefined;
}

/** Undefined when some requirement is met (or there are none), else the reasons none is. */
export function unmetRequirements(reqs: RunOnRequirement[] | undefined, info: ServerInfo): string | undefined {
  if (!reqs || reqs.length === 0) return undefined;
  const reasons: string[] = [];
  for (const req of reqs) {
    const reason = unmet(req, info);
    if (!reason) return undefined;
    reasons.push(reason);
  }
  return `runOnRequirements not met: ${reasons.join('; or ')}`;
}
