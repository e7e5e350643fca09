import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluateGate, type Evidence, type GateDefinition } from '../../src/domain/index.js';
import { RELEASE_CANDIDATE_TEMPLATE } from '../../src/domain/templates.js';
import { verifyArtifactSignature, type ArtifactRecord } from '../../src/domain/artifact.js';
import { benchmark, evidenceFrom, input } from './helpers.js';

const artifactBytes = Buffer.from('the release candidate image layers');
const digest = `sha256:${createHash('sha256').update(artifactBytes).digest('hex')}`;

function keys(kind: 'ed25519' | 'ec') {
  const pair = kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const signDigest = (d: string) =>
    sign(kind === 'ed25519' ? null : 'sha256', Buffer.from(d), pair.privateKey).toString('base64');
  return { publicKey, signDigest };
}

function record(over: Partial<ArtifactRecord> = {}): ArtifactRecord {
  return {
    artifact: 'ghcr.io/acme/shop',
    versionTag: 'v2.6.0-rc.1',
    digest,
    sourceBranch: 'release/2.6',
    commit: '9fceb02d0ae598e95dc970b74767f19372d61af8',
    cleanBuild: true,
    signature: '',
    ...over,
  };
}

let n = 0;
function artifactEvidence(r: ArtifactRecord): Evidence {
  return {
    id: `a-${++n}`,
    kind: 'ARTIFACT',
    name: 'rc.json',
    summary: { kind: 'ARTIFACT', artifact: r },
    submittedBy: 'ci',
    submittedAt: new Date(),
    bytes: 1,
  };
}

function rcGate(publicKey?: string): GateDefinition {
  const def = {
    ...structuredClone(RELEASE_CANDIDATE_TEMPLATE),
    product: 'shop',
    version: 1,
    definedBy: 'rita',
    definedAt: new Date(0),
  };
  def.criteria = def.criteria.map((c) => (c.kind === 'artifact' && publicKey ? { ...c, publicKey } : c));
  return def;
}

describe('signature verification, offline', () => {
  for (const kind of ['ed25519', 'ec'] as const) {
    it(`${kind}: verifies the team's signature and rejects a tampered artifact or another key`, () => {
      const team = keys(kind);
      const signature = team.signDigest(digest);
      expect(verifyArtifactSignature({ digest, signature }, team.publicKey)).toMatchObject({ valid: true });
      const tampered = `sha256:${createHash('sha256')
        .update(Buffer.concat([artifactBytes, Buffer.from('!')]))
        .digest('hex')}`;
      expect(verifyArtifactSignature({ digest: tampered, signature }, team.publicKey)).toMatchObject({
        valid: false,
        reason: expect.stringContaining('the artifact changed after signing, or another key signed it'),
      });
      expect(verifyArtifactSignature({ digest, signature: keys(kind).signDigest(digest) }, team.publicKey).valid).toBe(
        false,
      );
    });
  }
  it('a key that is not a PEM public key is named as such', () => {
    expect(
      verifyArtifactSignature(
        { digest, signature: 'AAAA' },
        '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----',
      ),
    ).toMatchObject({ valid: false, reason: expect.stringMatching(/^the public key is not a PEM public key/) });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(verifyArtifactSignature({ digest, signature: 'AAAA' }, rsa)).toEqual({
      valid: false,
      reason: 'the public key is rsa; expected Ed25519 or ECDSA',
    });
  });
});

describe('the Release Candidate gate', () => {
  const team = keys('ed25519');
  const approvals = ['PRODUCT_OWNER', 'TECHNICAL_LEAD', 'BUSINESS_STAKEHOLDER', 'SUPPORT_LEAD'].map((role, i) => ({
    role,
    by: `p${i}`,
    at: new Date('2026-03-01T11:00:00Z'),
  }));

  it('passes on a signed clean build, an SBOM within policy, smoke tests, performance and the four sign-offs', async () => {
    const evidence = [
      artifactEvidence(record({ signature: team.signDigest(digest) })),
      await evidenceFrom('SBOM', 'cyclonedx-1.4-laravel-7.12.0.json'),
      await evidenceFrom('JUNIT', 'jest-junit.xml'),
      benchmark({ p95_latency_ms: 320 }),
    ];
    const e = evaluateGate(
      input(rcGate(team.publicKey), { evidence, upstream: { BETA: 'PASS' }, approvals: approvals as never }),
    );
    const byId = Object.fromEntries(e.criteria.map((c) => [c.criterionId, c]));
    expect(byId['signed-build']).toMatchObject({
      result: 'PASS',
      measured: expect.stringContaining('Ed25519 signature verified'),
    });
    expect(byId['sbom-licences']).toMatchObject({ result: 'PASS', value: 62 });
    expect(e.approvals.map((a) => a.role)).toEqual([
      'PRODUCT_OWNER',
      'TECHNICAL_LEAD',
      'BUSINESS_STAKEHOLDER',
      'SUPPORT_LEAD',
    ]);
    expect(e.approvalsPending).toBe(false);
  });

  it('fails on a tampered artifact, a build from main that was not clean, and a refused licence', async () => {
    const forged = `sha256:${'0'.repeat(64)}`;
    const evidence = [
      artifactEvidence(
        record({ digest: forged, signature: team.signDigest(digest), sourceBranch: 'main', cleanBuild: false }),
      ),
      await evidenceFrom('SBOM', 'spdx-2.2-appbomination.json'),
    ];
    const def = rcGate(team.publicKey);
    def.criteria = def.criteria.map((c) =>
      c.kind === 'sbom' ? { ...c, deniedLicences: ['EPL-1.0'], allowUnparsed: true } : c,
    );
    const e = evaluateGate(input(def, { evidence, upstream: { BETA: 'PASS' } }));
    expect(e.outcome).toBe('FAIL');
    const byId = Object.fromEntries(e.criteria.map((c) => [c.criterionId, c]));
    expect(byId['signed-build']!.explanation).toBe(
      `built from main, not a branch matching ^release/; the build did not start from a clean checkout; the Ed25519 signature does not match ${forged}: the artifact changed after signing, or another key signed it`,
    );
    expect(byId['sbom-licences']!.explanation).toBe('the licence policy refuses: 1 with EPL-1.0 (junit)');
  });

  it('without the team key the signature criterion says what to do', () => {
    const e = evaluateGate(
      input(rcGate(), { evidence: [artifactEvidence(record({ signature: team.signDigest(digest) }))] }),
    );
    expect(e.criteria.find((c) => c.criterionId === 'signed-build')!.explanation).toContain(
      "the gate names no public key of the team: define the gate for the product with the team's key",
    );
  });
});
