import { describe, expect, it } from 'vitest';
import { RuleError } from '@flightdeck/kernel';
import { decideVersion, nextVersions, parseVersion } from '../../src/domain/version.js';

function refusal(fn: () => unknown): RuleError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleError) return e;
    throw e;
  }
  throw new Error('expected a RuleError');
}

describe('parseVersion', () => {
  it('accepts strict semantic versions', () => {
    expect(parseVersion('2.4.1').version).toBe('2.4.1');
  });
  it.each(['v1.2.3', '1.2', 'banana', '1.2.3+build.5', ' 01.2.3'])('refuses %s with what would be right', (v) => {
    const e = refusal(() => parseVersion(v));
    expect(e.field).toBe('version');
    expect(e.message).toMatch(/MAJOR\.MINOR\.PATCH/);
  });
});

describe('decideVersion: the type follows from the version against the last release', () => {
  const released = ['1.0.0', '1.1.0', '1.1.1', '1.2.0'];

  it('infers MAJOR, MINOR and PATCH', () => {
    expect(decideVersion('2.0.0', released).type).toBe('MAJOR');
    expect(decideVersion('1.3.0', released).type).toBe('MINOR');
    expect(decideVersion('1.2.1', released).type).toBe('PATCH');
  });

  it('uses the shape of the version for a product with no release', () => {
    expect(decideVersion('1.0.0', []).type).toBe('MAJOR');
    expect(decideVersion('0.1.0', []).type).toBe('MINOR');
    expect(decideVersion('0.0.3', []).type).toBe('PATCH');
  });

  it('refuses a version that does not increase, listing what would fit', () => {
    const e = refusal(() => decideVersion('1.1.5', released));
    expect(e.message).toContain('does not increase over the released 1.2.0');
    expect(e.message).toContain('1.2.1 (PATCH)');
    expect(e.message).toContain('1.3.0 (MINOR)');
    expect(e.message).toContain('2.0.0 (MAJOR)');
    expect(e.message).toContain('1.2.1-hotfix.1 (HOTFIX)');
  });

  it('refuses the same version again', () => {
    expect(refusal(() => decideVersion('1.2.0', released)).message).toContain('does not increase');
  });

  it('refuses a new major that is not X.0.0 and a new minor that is not X.Y.0', () => {
    expect(refusal(() => decideVersion('2.1.0', released)).message).toContain('did you mean 2.0.0?');
    expect(refusal(() => decideVersion('1.3.2', released)).message).toContain('did you mean 1.3.0?');
  });

  it('refuses a requested type the version does not fit, naming the version that would', () => {
    const e = refusal(() => decideVersion('1.3.0', released, 'PATCH'));
    expect(e.field).toBe('type');
    expect(e.message).toContain('is a MINOR release after 1.2.0, not a PATCH; a PATCH would be 1.2.1');
  });

  it('refuses other pre-release tags', () => {
    expect(refusal(() => decideVersion('1.3.0-beta.1', released)).message).toContain("pre-release tag 'beta.1'");
  });
});

describe('decideVersion: hotfixes', () => {
  it('starts a hotfix from the released version before it', () => {
    expect(decideVersion('1.2.1-hotfix', ['1.2.0'])).toEqual({
      version: '1.2.1-hotfix',
      type: 'HOTFIX',
      baseVersion: '1.2.0',
    });
    expect(decideVersion('1.2.1-hotfix.2', ['1.2.0', '1.2.1-hotfix.1']).baseVersion).toBe('1.2.0');
  });

  it('may hotfix an older maintenance line when its base is the newest of that line', () => {
    expect(decideVersion('1.1.2-hotfix.1', ['1.1.0', '1.1.1', '1.2.0']).baseVersion).toBe('1.1.1');
  });

  it('refuses a hotfix whose base was never released', () => {
    const e = refusal(() => decideVersion('1.2.5-hotfix.1', ['1.2.0']));
    expect(e.message).toContain('would start from 1.2.4, which was never released');
    expect(e.message).toContain('1.2.1-hotfix.1');
  });

  it('refuses a hotfix of a superseded patch', () => {
    expect(refusal(() => decideVersion('1.2.1-hotfix.1', ['1.2.0', '1.2.1'])).message).toContain(
      '1.2.1 was released since; a hotfix of it would be 1.2.2-hotfix.1',
    );
  });

  it('refuses a hotfix number that does not increase', () => {
    expect(refusal(() => decideVersion('1.2.1-hotfix.1', ['1.2.0', '1.2.1-hotfix.2'])).message).toContain(
      'the next hotfix would be 1.2.1-hotfix.3',
    );
  });

  it('refuses X.Y.0-hotfix and a hotfix requested with a plain version', () => {
    expect(refusal(() => decideVersion('1.3.0-hotfix.1', ['1.2.0'])).message).toContain('there is none before 1.3.0');
    expect(refusal(() => decideVersion('1.2.1', ['1.2.0'], 'HOTFIX')).message).toContain('X.Y.Z-hotfix[.N]');
  });

  it('suggests the next hotfix number after a released hotfix', () => {
    expect(nextVersions('1.2.1-hotfix.1').HOTFIX).toBe('1.2.1-hotfix.2');
  });
});
