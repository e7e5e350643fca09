/**
 * Named features this runner (and the embedded server) do not support. A test that needs one is
 * skipped with that name as its reason, decided before it runs; anything else that goes wrong is a failure.
 */
import type { Document } from './bson-values.js';
import type { UnifiedFile, UnifiedTest } from './unified-format.js';

const unsupportedOperations: Record<string, string> = {
  startTransaction: 'transactions',
  commitTransaction: 'transactions',
  abortTransaction: 'transactions',
  withTransaction: 'transactions',
  assertSessionTransactionState: 'transactions',
  failPoint: 'server fail points',
  targetedFailPoint: 'server fail points',
  createChangeStream: 'change streams',
  iterateUntilDocumentOrError: 'cursor entities',
  iterateOnce: 'cursor entities',
  createFindCursor: 'cursor entities',
  createCommandCursor: 'cursor entities',
  close: 'cursor entities',
  clientBulkWrite: 'client-level bulkWrite (MongoDB 8.0)',
  createSearchIndex: 'Atlas search indexes',
  createSearchIndexes: 'Atlas search indexes',
  dropSearchIndex: 'Atlas search indexes',
  listSearchIndexes: 'Atlas search indexes',
  updateSearchIndex: 'Atlas search indexes',
  runOnThread: 'test runner threads',
  waitForThread: 'test runner threads',
  waitForEvent: 'SDAM/CMAP event waiting',
  assertEventCount: 'SDAM/CMAP event counting',
  recordTopologyDescription: 'topology descriptions',
  assertTopologyType: 'topology descriptions',
  waitForPrimaryChange: 'topology descriptions',
  loop: 'the loop operation',
  assertNumberConnectionsCheckedOut: 'connection pool inspection',
  upload: 'GridFS',
  download: 'GridFS',
  downloadByName: 'GridFS',
  encrypt: 'client-side encryption',
  decrypt: 'client-side encryption',
  createDataKey: 'client-side encryption',
};

const unsupportedEntities: Record<string, string> = {
  bucket: 'GridFS',
  clientEncryption: 'client-side encryption',
  thread: 'test runner threads',
};

const unsupportedClientOptions: Record<string, string> = {
  storeEventsAsEntities: 'events stored as entities',
  observeLogMessages: 'log message assertions',
};

/** The unsupported feature the file's entities need, if any. */
function entityFeature(entities: Document[] | undefined): string | undefined {
  for (const entity of entities ?? []) {
    for (const [kind, spec] of Object.entries(entity)) {
      if (unsupportedEntities[kind]) return unsupportedEntities[kind];
      if (kind === 'client' && spec && typeof spec === 'object') {
        for (const option of Object.keys(spec))
          if (unsupportedClientOptions[option]) return unsupportedClientOptions[option];
        const observe = (spec as Document).observeEvents as string[] | undefined;
        const other = observe?.find((e) => !e.startsWith('command'));
        if (other) return `${other} (connection pool / SDAM event observation)`;
      }
    }
  }
  return undefined;
}

export function unsupportedFeature(file: UnifiedFile, test: UnifiedTest): string | undefined {
  const fromEntities = entityFeature(file.createEntities);
  if (fromEntities) return `needs ${fromEntities}, which is not supported`;
  for (const op of test.operations) {
    const feature = unsupportedOperations[op.name];
    if (feature) return `needs ${feature} (operation ${op.name}), which is not supported`;
  }
  for (const expected of test.expectEvents ?? []) {
    if (expected.eventType && expected.eventType !== 'command')
      return `needs ${expected.eventType} event assertions, which are not supported`;
  }
  if (
    file.initialData?.some(
      (c) =>
        c.createOptions &&
        ('timeseries' in c.createOptions ||
          'clusteredIndex' in c.createOptions ||
          'encryptedFields' in c.createOptions),
    )
  ) {
    return 'needs timeseries/clustered/encrypted collections, which are not supported';
  }
  return undefined;
}
