/** expectError: assertions on the error an operation raised. */
import { MongoBulkWriteError, MongoError, MongoOperationTimeoutError, MongoServerError } from 'mongodb';
import type { Document } from './bson-values.js';
import { match } from './matcher.js';
import type { ExpectedError } from './unified-format.js';

/** A server error is one the server answered with; everything the driver raised by itself is a client error. */
export function isClientError(error: unknown): boolean {
  return !(error instanceof MongoServerError);
}

export function expectedErrorMismatches(
  expected: ExpectedError,
  error: unknown,
  entity: (name: string) => unknown,
): string[] {
  const problems: string[] = [];
  const e = error as MongoError & { code?: unknown; codeName?: unknown; errorResponse?: Document };
  const message = error instanceof Error ? error.message : String(error);
  const about = `the error ${e?.constructor?.name ?? 'value'}: ${message}`;
  if (expected.isClientError !== undefined && isClientError(error) !== expected.isClientError) {
    problems.push(
      `expectError.isClientError: expected a ${expected.isClientError ? 'client' : 'server'} error, got ${about}`,
    );
  }
  if (
    expected.isTimeoutError !== undefined &&
    error instanceof MongoOperationTimeoutError !== expected.isTimeoutError
  ) {
    problems.push(
      `expectError.isTimeoutError: expected ${expected.isTimeoutError ? 'a' : 'no'} timeout error, got ${about}`,
    );
  }
  if (expected.errorContains !== undefined && !message.toLowerCase().includes(expected.errorContains.toLowerCase())) {
    problems.push(
      `expectError.errorContains: expected the message to contain "${expected.errorContains}", got ${about}`,
    );
  }
  if (expected.errorCode !== undefined && e?.code !== expected.errorCode) {
    problems.push(`expectError.errorCode: expected code ${expected.errorCode}, got ${String(e?.code)} in ${about}`);
  }
  if (expected.errorCodeName !== undefined && e?.codeName !== expected.errorCodeName) {
    problems.push(
      `expectError.errorCodeName: expected ${expected.errorCodeName}, got ${String(e?.codeName)} in ${about}`,
    );
  }
  for (const label of expected.errorLabelsContain ?? []) {
    if (!(error instanceof MongoError) || !error.hasErrorLabel(label))
      problems.push(`expectError.errorLabelsContain: label ${label} missing on ${about}`);
  }
  for (const label of expected.errorLabelsOmit ?? []) {
    if (error instanceof MongoError && error.hasErrorLabel(label))
      problems.push(`expectError.errorLabelsOmit: label ${label} present on ${about}`);
  }
  if (expected.errorResponse !== undefined) {
    problems.push(
      ...match(expected.errorResponse, e?.errorResponse, { root: true, entity, path: 'expectError.errorResponse' }),
    );
  }
  if (expected.writeErrors !== undefined) {
    const byIndex: Document = {};
    const writeErrors = error instanceof MongoBulkWriteError ? [error.writeErrors].flat() : [];
    for (const w of writeErrors) byIndex[String(w.index)] = { code: w.code, message: w.errmsg, details: w.errInfo };
    for (const [index, want] of Object.entries(expected.writeErrors)) {
      problems.push(...match(want, byIndex[index], { root: true, entity, path: `expectError.writeErrors.${index}` }));
    }
  }
  if (expected.expectResult !== undefined) {
    // The partial result of a failed bulk write (insertMany and bulkWrite raise MongoBulkWriteError).
    const partial = error instanceof MongoBulkWriteError ? error.result : undefined;
    problems.push(...match(expected.expectResult, partial, { root: true, entity, path: 'expectError.expectResult' }));
  }
  return problems;
}
