import fc from 'fast-check';
import type { ArtifactRecord } from '@flightdeck/gates/parsers';
import { hostileText } from '../text.js';

export interface ArtifactReport {
  text: string;
  expected: ArtifactRecord;
}

const hex = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: min, maxLength: max }).map((a) => a.join(''));

/** A release candidate's build record (hostile names, any digest and commit, a base64 signature): read back as written. */
export const artifactReport: fc.Arbitrary<ArtifactReport> = fc
  .record({
    artifact: hostileText(3),
    versionTag: hostileText(1),
    digest: hex(64, 64).map((h) => `sha256:${h}`),
    sourceBranch: hostileText(2),
    commit: hex(7, 64),
    cleanBuild: fc.boolean(),
    signature: fc.uint8Array({ minLength: 1, maxLength: 96 }).map((b) => Buffer.from(b).toString('base64')),
  })
  .chain((record) =>
    fc.boolean().map((pretty) => ({ text: JSON.stringify(record, null, pretty ? 2 : undefined), expected: record })),
  );
