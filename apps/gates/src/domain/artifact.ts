import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** A release candidate's build as the pipeline recorded it: what was built, from where, and its signature. */
export interface ArtifactRecord {
  /** The artifact's name, e.g. an image repository or a file name. */
  artifact: string;
  /** The version tag it was built as, e.g. v2.6.0-rc.1. */
  versionTag: string;
  /** `sha256:<64 hex>`: what was signed. */
  digest: string;
  /** The branch it was built from, e.g. release/2.6. */
  sourceBranch: string;
  commit: string;
  /** The build started from a clean checkout (no local changes, no cache from other branches). */
  cleanBuild: boolean;
  /** Base64 signature over the UTF-8 bytes of `digest` (Ed25519, or ECDSA with SHA-256). */
  signature: string;
}

export type SignatureCheck = { valid: true; algorithm: string } | { valid: false; reason: string };

/** Reads a team's public key (PEM, SPKI); a bad key is named as such. */
export function readPublicKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (error) {
    throw new Error(
      `the public key is not a PEM public key (SPKI, "-----BEGIN PUBLIC KEY-----"): ${(error as Error).message}`,
    );
  }
}

/**
 * Verifies offline that the digest was signed with the team's key: Ed25519 (pure, over the digest text) or ECDSA
 * P-256/P-384 (SHA-256 of the digest text, DER signature — what `openssl dgst -sha256 -sign` writes).
 */
export function verifyArtifactSignature(
  record: Pick<ArtifactRecord, 'digest' | 'signature'>,
  publicKeyPem: string,
): SignatureCheck {
  let key: KeyObject;
  try {
    key = readPublicKey(publicKeyPem);
  } catch (error) {
    return { valid: false, reason: (error as Error).message };
  }
  const type = key.asymmetricKeyType;
  if (type !== 'ed25519' && type !== 'ec')
    return { valid: false, reason: `the public key is ${type ?? 'of an unknown type'}; expected Ed25519 or ECDSA` };
  const signature = Buffer.from(record.signature, 'base64');
  const data = Buffer.from(record.digest, 'utf8');
  let ok: boolean;
  try {
    ok = type === 'ed25519' ? verify(null, data, key, signature) : verify('sha256', data, key, signature);
  } catch (error) {
    return { valid: false, reason: `the signature could not be checked: ${(error as Error).message}` };
  }
  const algorithm =
    type === 'ed25519' ? 'Ed25519' : `ECDSA ${key.asymmetricKeyDetails?.namedCurve ?? ''} SHA-256`.replace('  ', ' ');
  return ok
    ? { valid: true, algorithm }
    : {
        valid: false,
        reason: `the ${algorithm} signature does not match ${record.digest}: the artifact changed after signing, or another key signed it`,
      };
}
