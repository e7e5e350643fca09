/** The shape of a unified-test-format file (the parts this runner reads) and loading one. */
import { readFile } from 'node:fs/promises';
import { EJSON } from 'bson';
import type { Document } from './bson-values.js';

export interface RunOnRequirement {
  minServerVersion?: string;
  maxServerVersion?: string;
  topologies?: string[];
  serverless?: 'require' | 'forbid' | 'allow';
  serverParameters?: Document;
  auth?: boolean;
  authMechanism?: string;
  csfle?: boolean | Document;
}

export interface CollectionData {
  collectionName: string;
  databaseName: string;
  createOptions?: Document;
  documents: Document[];
}

export interface Operation {
  name: string;
  object: string;
  arguments?: Document;
  expectError?: ExpectedError;
  expectResult?: unknown;
  saveResultAsEntity?: string;
  ignoreResultAndError?: boolean;
}

export interface ExpectedError {
  isError?: true;
  isClientError?: boolean;
  isTimeoutError?: boolean;
  errorContains?: string;
  errorCode?: number;
  errorCodeName?: string;
  errorLabelsContain?: string[];
  errorLabelsOmit?: string[];
  writeErrors?: Document;
  writeConcernErrors?: Document[];
  errorResponse?: Document;
  expectResult?: unknown;
}

export interface ExpectedEventsForClient {
  client: string;
  eventType?: 'command' | 'cmap' | 'sdam';
  events: Document[];
  ignoreExtraEvents?: boolean;
}

export interface UnifiedTest {
  description: string;
  runOnRequirements?: RunOnRequirement[];
  skipReason?: string;
  operations: Operation[];
  expectEvents?: ExpectedEventsForClient[];
  outcome?: CollectionData[];
}

export interface UnifiedFile {
  description: string;
  schemaVersion: string;
  runOnRequirements?: RunOnRequirement[];
  createEntities?: Document[];
  initialData?: CollectionData[];
  tests: UnifiedTest[];
}

/** The newest schema version this runner reads; files of a higher 1.x or another major are refused. */
export const SUPPORTED_SCHEMA_VERSION = '1.10';

export class UnifiedFileError extends Error {}

export async function loadUnifiedFile(path: string): Promise<UnifiedFile> {
  let parsed: unknown;
  try {
    parsed = EJSON.parse(await readFile(path, 'utf8'), { relaxed: true });
  } catch (error) {
    throw new UnifiedFileError(`${path}: not a valid Extended JSON file (${(error as Error).message})`);
  }
  const file = parsed as Partial<UnifiedFile>;
  if (
    typeof file !== 'object' ||
    file === null ||
    typeof file.schemaVersion !== 'string' ||
    !Array.isArray(file.tests)
  ) {
    throw new UnifiedFileError(
      `${path}: not a unified test file: it needs a "schemaVersion" string and a "tests" array`,
    );
  }
  if (!schemaSupported(file.schemaVersion)) {
    throw new UnifiedFileError(
      `${path}: schemaVersion ${file.schemaVersion} is not supported; this runner reads 1.0 up to ${SUPPORTED_SCHEMA_VERSION}`,
    );
  }
  return file as UnifiedFile;
}

export function schemaSupported(version: string): boolean {
  const [major, minor = 0] = version.split('.').map(Number);
  const [supMajor, supMinor = 0] = SUPPORTED_SCHEMA_VERSION.split('.').map(Number);
  return major === supMajor && Number.isInteger(minor) && minor <= supMinor!;
}
