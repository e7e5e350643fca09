/** Executing one test of a unified file: initialData, entities, operations, expectEvents, outcome. */
import type { MongoClient } from 'mongodb';
import { EntityMap } from './entities.js';
import { expectedErrorMismatches } from './expect-error.js';
import { expectedEventsMismatches } from './expect-events.js';
import { exactMismatches, match } from './matcher.js';
import { runEntityOperation, runTestRunnerOperation } from './operations.js';
import { type ServerInfo, unmetRequirements } from './requirements.js';
import type { CollectionData, Operation, UnifiedFile, UnifiedTest } from './unified-format.js';
import { unsupportedFeature } from './unsupported.js';

export type CaseStatus = 'passed' | 'failed' | 'skipped';

export interface CaseResult {
  file: string;
  description: string;
  status: CaseStatus;
  /** Why it failed (the first problems found) or why it was skipped. */
  reason?: string;
}

export interface TestContext {
  uri: string;
  internal: MongoClient;
  server: ServerInfo;
  /** A test still running after this long fails, so one hung reply cannot stall the run. */
  timeoutMs: number;
}

/** A test-level assertion failed: the message lists what did not match. */
class AssertionFailure extends Error {}

function fail(problems: string[]): void {
  if (problems.length > 0) throw new AssertionFailure(problems.slice(0, 5).join('\n    '));
}

async function setUpCollection(internal: MongoClient, data: CollectionData): Promise<void> {
  const db = internal.db(data.databaseName);
  const majority = { writeConcern: { w: 'majority' as const } };
  await db
    .collection(data.collectionName)
    .drop(majority)
    .catch((error: { code?: number }) => {
      if (error.code !== 26) throw error; // 26 NamespaceNotFound: nothing to drop
    });
  if (data.createOptions || data.documents.length === 0) {
    await db.createCollection(data.collectionName, { ...data.createOptions, ...majority });
  }
  if (data.documents.length > 0) {
    // Copies, because the driver adds an _id to the documents it is given.
    await db.collection(data.collectionName).insertMany(
      data.documents.map((d) => ({ ...d })),
      majority,
    );
  }
}

async function checkOutcome(internal: MongoClient, data: CollectionData): Promise<void> {
  const actual = await internal
    .db(data.databaseName)
    .collection(data.collectionName)
    .find({}, { sort: { _id: 1 }, readConcern: { level: 'local' }, readPreference: 'primary' })
    .toArray();
  fail(exactMismatches(data.documents, actual, `outcome ${data.databaseName}.${data.collectionName}`));
}

async function runOperation(ctx: TestContext, entities: EntityMap, op: Operation, index: number): Promise<void> {
  const where = `operations[${index}] ${op.name} on ${op.object}`;
  if (op.object === 'testRunner') {
    await runTestRunnerOperation(ctx.internal, op);
    return;
  }
  const entity = (name: string): unknown => entities.value(name);
  let result: Awaited<ReturnType<typeof runEntityOperation>> | undefined;
  let error: unknown;
  try {
    result = await runEntityOperation(entities, op);
  } catch (e) {
    error = e;
  }
  if (op.ignoreResultAndError) return;
  if (op.expectError) {
    if (error === undefined)
      throw new AssertionFailure(`${where}: expected an error, but it succeeded with ${JSON.stringify(result?.value)}`);
    fail(expectedErrorMismatches(op.expectError, error, entity).map((p) => `${where}: ${p}`));
    return;
  }
  if (error !== undefined)
    throw new AssertionFailure(
      `${where}: unexpected error ${(error as Error).constructor?.name}: ${(error as Error).message ?? String(error)}`,
    );
  if (op.expectResult !== undefined) {
    fail(
      match(op.expectResult, result!.value, {
        root: true,
        rootElements: result!.rootElements,
        entity,
        path: `${where} expectResult`,
      }),
    );
  }
  if (op.saveResultAsEntity) entities.saveResult(op.saveResultAsEntity, result!.value);
}

async function execute(ctx: TestContext, file: UnifiedFile, test: UnifiedTest): Promise<void> {
  for (const data of file.initialData ?? []) await setUpCollection(ctx.internal, data);
  const entities = new EntityMap(ctx.uri);
  try {
    await entities.create(file.createEntities ?? []);
    for (const client of entities.clients()) client.recording = true;
    for (const [i, op] of test.operations.entries()) await runOperation(ctx, entities, op, i);
    for (const client of entities.clients()) client.recording = false;
    if (test.expectEvents) fail(expectedEventsMismatches(test.expectEvents, entities));
    for (const data of test.outcome ?? []) await checkOutcome(ctx.internal, data);
  } finally {
    await entities.close();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the test did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runTest(
  ctx: TestContext,
  fileName: string,
  file: UnifiedFile,
  test: UnifiedTest,
): Promise<CaseResult> {
  const base = { file: fileName, description: test.description };
  const skip =
    test.skipReason ??
    unmetRequirements(file.runOnRequirements, ctx.server) ??
    unmetRequirements(test.runOnRequirements, ctx.server) ??
    unsupportedFeature(file, test);
  if (skip) return { ...base, status: 'skipped', reason: skip };
  try {
    await withTimeout(execute(ctx, file, test), ctx.timeoutMs);
    return { ...base, status: 'passed' };
  } catch (error) {
    const message =
      error instanceof AssertionFailure
        ? error.message
        : `${(error as Error).constructor?.name ?? 'Error'}: ${(error as Error).message ?? String(error)}`;
    return { ...base, status: 'failed', reason: message };
  }
}
