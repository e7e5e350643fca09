import semver, { SemVer } from 'semver';
import { RuleError } from '@flightdeck/kernel';
import { RELEASE_TYPE_RULES, type ReleaseType } from './release-type.js';

const HOTFIX_TAG = /^hotfix(\.[1-9]\d*)?$/;

export interface VersionDecision {
  version: string;
  type: ReleaseType;
  /** For a hotfix: the released version it starts from. */
  baseVersion?: string;
}

/** Parses a strict semantic version (no leading `v`, no build metadata) or says what is wrong. */
export function parseVersion(text: string, field = 'version'): SemVer {
  const parsed = semver.parse(text.trim());
  if (!parsed || !/^\d/.test(text.trim())) {
    throw new RuleError(
      `'${text}' is not a semantic version; expected MAJOR.MINOR.PATCH such as 2.4.0 or 2.4.1-hotfix.1`,
      field,
    );
  }
  if (parsed.build.length > 0) {
    throw new RuleError(
      `'${text}' carries build metadata (+${parsed.build.join('.')}); release versions are MAJOR.MINOR.PATCH[-hotfix[.N]]`,
      field,
    );
  }
  return parsed;
}

function isHotfixVersion(v: SemVer): boolean {
  return v.prerelease.length > 0 && HOTFIX_TAG.test(v.prerelease.join('.'));
}

function core(v: SemVer): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** The versions that would be valid next after `latest`, one per type, for error messages. */
export function nextVersions(
  latest: string | undefined,
): Record<Exclude<ReleaseType, 'HOTFIX'>, string> & { HOTFIX?: string } {
  if (!latest) return { MAJOR: '1.0.0', MINOR: '0.1.0', PATCH: '0.0.1' };
  const l = semver.parse(latest)!;
  const hotfix = l.prerelease.length
    ? `${core(l)}-hotfix.${Number(l.prerelease[1] ?? 0) + 1}`
    : `${semver.inc(core(l), 'patch')}-hotfix.1`;
  return {
    MAJOR: semver.inc(core(l), 'major')!,
    MINOR: semver.inc(core(l), 'minor')!,
    PATCH: l.prerelease.length ? core(l) : semver.inc(core(l), 'patch')!,
    HOTFIX: hotfix,
  };
}

function suggestion(latest: string | undefined): string {
  const next = nextVersions(latest);
  const parts = [`${next.PATCH} (PATCH)`, `${next.MINOR} (MINOR)`, `${next.MAJOR} (MAJOR)`];
  if (next.HOTFIX) parts.push(`${next.HOTFIX} (HOTFIX)`);
  return `would fit: ${parts.join(', ')}`;
}

function typeFromShape(v: SemVer): ReleaseType {
  if (v.patch > 0) return 'PATCH';
  if (v.minor > 0) return 'MINOR';
  return 'MAJOR';
}

/**
 * Decides the release type of `version` against the product's released versions and refuses a
 * version that does not fit its type's pattern or does not increase over what was released.
 *
 * A hotfix `X.Y.Z-hotfix[.N]` is, in semver order, a pre-release of the next patch: it starts
 * from the released `X.Y.(Z-1)`, which must be the newest release of its `X.Y` line.
 */
export function decideVersion(
  version: string,
  released: readonly string[],
  requestedType?: ReleaseType,
): VersionDecision {
  const v = parseVersion(version);
  const sorted = released.map((r) => parseVersion(r, 'releasedVersions')).sort(semver.compare);
  const latest = sorted.at(-1);

  if (v.prerelease.length > 0 && !isHotfixVersion(v)) {
    throw new RuleError(
      `'${version}' has pre-release tag '${v.prerelease.join('.')}'; the only release pre-release is the hotfix pattern ${RELEASE_TYPE_RULES.HOTFIX.pattern} (${suggestion(latest?.version)})`,
      'version',
    );
  }
  if (isHotfixVersion(v)) return decideHotfix(v, sorted, requestedType);

  if (requestedType === 'HOTFIX') {
    throw new RuleError(
      `a HOTFIX version follows ${RELEASE_TYPE_RULES.HOTFIX.pattern}; ${suggestion(latest?.version)}`,
      'version',
    );
  }
  const earlier = sorted.filter((r) => r.prerelease.length === 0);
  const last = earlier.at(-1);
  let type: ReleaseType;
  if (!last) {
    type = typeFromShape(v);
  } else {
    if (semver.lte(v, last)) {
      throw new RuleError(
        `${version} does not increase over the released ${last.version}; ${suggestion(latest?.version)}`,
        'version',
      );
    }
    if (v.major > last.major) type = 'MAJOR';
    else if (v.minor > last.minor) type = 'MINOR';
    else type = 'PATCH';
  }
  const pattern = RELEASE_TYPE_RULES[type].pattern;
  if (type === 'MAJOR' && (v.minor !== 0 || v.patch !== 0)) {
    throw new RuleError(
      `${version} is a new major version and must follow ${pattern}: did you mean ${v.major}.0.0?`,
      'version',
    );
  }
  if (type === 'MINOR' && v.patch !== 0) {
    throw new RuleError(
      `${version} is a new minor version and must follow ${pattern}: did you mean ${v.major}.${v.minor}.0?`,
      'version',
    );
  }
  if (requestedType && requestedType !== type) {
    const next = nextVersions(latest?.version);
    throw new RuleError(
      `${version} is a ${type} release${last ? ` after ${last.version}` : ''}, not a ${requestedType}; a ${requestedType} would be ${next[requestedType as Exclude<ReleaseType, 'HOTFIX'>]}`,
      'type',
    );
  }
  return { version: v.version, type };
}

function decideHotfix(v: SemVer, sorted: SemVer[], requestedType?: ReleaseType): VersionDecision {
  if (requestedType && requestedType !== 'HOTFIX') {
    throw new RuleError(
      `${v.version} follows the hotfix pattern ${RELEASE_TYPE_RULES.HOTFIX.pattern}, so it is a HOTFIX, not a ${requestedType}`,
      'type',
    );
  }
  if (v.patch === 0) {
    throw new RuleError(
      `${v.version} cannot be a hotfix: a hotfix X.Y.Z-hotfix[.N] starts from the released X.Y.(Z-1), and there is none before ${core(v)}`,
      'version',
    );
  }
  const base = `${v.major}.${v.minor}.${v.patch - 1}`;
  const line = sorted.filter((r) => r.major === v.major && r.minor === v.minor);
  const lineReleases = line.filter((r) => r.prerelease.length === 0);
  const newestOfLine = lineReleases.at(-1);
  if (!lineReleases.some((r) => r.version === base)) {
    const fit = newestOfLine
      ? `; a hotfix of the released ${newestOfLine.version} would be ${semver.inc(newestOfLine, 'patch')}-hotfix.1`
      : '';
    throw new RuleError(`${v.version} would start from ${base}, which was never released${fit}`, 'version');
  }
  if (newestOfLine && newestOfLine.version !== base) {
    throw new RuleError(
      `${v.version} starts from ${base}, but ${newestOfLine.version} was released since; a hotfix of it would be ${semver.inc(newestOfLine, 'patch')}-hotfix.1`,
      'version',
    );
  }
  const previousHotfix = line.filter((r) => isHotfixVersion(r) && core(r) === core(v)).at(-1);
  if (previousHotfix && semver.lte(v, previousHotfix)) {
    const n = Number(previousHotfix.prerelease[1] ?? 0) + 1;
    throw new RuleError(
      `${v.version} does not increase over the released hotfix ${previousHotfix.version}; the next hotfix would be ${core(v)}-hotfix.${n}`,
      'version',
    );
  }
  return { version: v.version, type: 'HOTFIX', baseVersion: base };
}

/** Newest first, semver order. */
export function sortVersionsDescending(versions: readonly string[]): string[] {
  return [...versions].sort((a, b) => semver.rcompare(a, b));
}
