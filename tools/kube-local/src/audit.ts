import { readFile, writeFile } from 'node:fs/promises';

/**
 * The API server's audit log of what service accounts outside kube-system do (the controllers act as service
 * accounts in kube-system, and are left out): one JSON event per request, written before the answer goes out,
 * so a test can read what a service it runs did, and what it was refused.
 */
const policy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    userGroups: ["system:serviceaccounts:kube-system"]
  - level: Metadata
    userGroups: ["system:serviceaccounts"]
  - level: None
`;

export async function writeAuditPolicy(file: string): Promise<void> {
  await writeFile(file, policy);
}

export function auditArgs(policyFile: string, logFile: string): string[] {
  return [
    `--audit-policy-file=${policyFile}`,
    `--audit-log-path=${logFile}`,
    '--audit-log-format=json',
    '--audit-log-mode=blocking',
  ];
}

/** One request as the audit log records it (the fields kept at level Metadata that tests read). */
export interface AuditEvent {
  verb: string;
  requestURI: string;
  user: { username: string; groups?: string[] };
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string; apiGroup?: string };
  responseStatus?: { code?: number; message?: string };
}

/** The events logged so far, oldest first. */
export async function readAudit(logFile: string): Promise<AuditEvent[]> {
  const text = await readFile(logFile, 'utf8').catch((e: NodeJS.ErrnoException) =>
    e.code === 'ENOENT' ? '' : Promise.reject(e),
  );
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as AuditEvent);
}
