import { describe, expect, it } from 'vitest';
import { EvidenceParseError, parseArtifactRecord, parseSbom } from '../../src/adapters/parsers/index.js';
import { judgeLicences } from '../../src/domain/sbom.js';
import { stream, text, truncated } from './fixtures.js';

describe('SBOMs from real projects', () => {
  it('CycloneDX 1.4 of Laravel 7.12.0: 62 components, licences counted', async () => {
    const s = await parseSbom('bom.json', stream('cyclonedx-1.4-laravel-7.12.0.json'));
    expect(s).toMatchObject({
      format: 'CycloneDX',
      specVersion: '1.4',
      components: 62,
      withoutLicence: { components: 0 },
    });
    expect(s.licences.map((u) => [u.expression, u.components])).toEqual([
      ['MIT', 57],
      ['BSD-3-Clause', 4],
      ['Apache-2.0', 1],
    ]);
    expect(judgeLicences(s, { denied: ['GPL-3.0', 'AGPL-3.0'], maxWithoutLicence: 0, allowUnparsed: false }).ok).toBe(
      true,
    );
    const noMit = judgeLicences(s, { denied: ['MIT'], maxWithoutLicence: 0, allowUnparsed: false });
    expect(noMit.ok).toBe(false);
    expect(noMit.refused).toEqual([expect.objectContaining({ expression: 'MIT', components: 57 })]);
  });

  it('SPDX 2.2 (App-BOM-ination): concluded licences, NOASSERTION falls back, an AND with a proprietary LicenseRef', async () => {
    const s = await parseSbom('app.spdx.json', stream('spdx-2.2-appbomination.json'));
    expect(s).toMatchObject({ format: 'SPDX', specVersion: '2.2', components: 7 });
    expect(Object.fromEntries(s.licences.map((u) => [u.expression, u.components]))).toEqual({
      'Apache-2.0': 3,
      '(LicenseRef-1 AND Apache-2.0)': 1,
      'LicenseRef-1': 1,
      'BSD-3-Clause': 1,
      'EPL-1.0': 1,
    });
    // A refused LicenseRef refuses the AND that holds it too.
    const verdict = judgeLicences(s, {
      denied: ['LicenseRef-1', 'EPL-1.0'],
      maxWithoutLicence: 0,
      allowUnparsed: false,
    });
    expect(verdict.refused.map((u) => u.expression).sort()).toEqual([
      '(LicenseRef-1 AND Apache-2.0)',
      'EPL-1.0',
      'LicenseRef-1',
    ]);
  });

  it('SPDX 2.3: an OR is acceptable when one side is', async () => {
    const s = await parseSbom('sbom.spdx.json', stream('spdx-2.3-example11.json'));
    expect(s).toMatchObject({ format: 'SPDX', specVersion: '2.3', components: 4 });
    expect(
      judgeLicences(s, { denied: ['Apache-2.0'], maxWithoutLicence: 0, allowUnparsed: false }).refused.map(
        (u) => u.expression,
      ),
    ).toEqual(['Apache-2.0']);
  });
});

describe('bad SBOMs are refused naming what is wrong', () => {
  it('truncated JSON', async () => {
    await expect(parseSbom('bom.json', truncated('cyclonedx-1.4-laravel-7.12.0.json'))).rejects.toThrow(
      /^bom\.json:\d+:\d+: malformed JSON: /,
    );
  });
  it('a CycloneDX document that breaks the schema names the path', async () => {
    const bad = JSON.parse(text('cyclonedx-1.4-laravel-7.12.0.json'));
    delete bad.components[3].name;
    const error = await parseSbom('bom.json', [JSON.stringify(bad)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvidenceParseError);
    expect((error as Error).message).toMatch(
      /^bom\.json:\d+:\d+: not a valid CycloneDX JSON SBOM: components\.3\.name: /,
    );
  });
  it('an unsupported version says which are read', async () => {
    await expect(
      parseSbom('bom.json', [JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.0', components: [] })]),
    ).rejects.toThrow(/specVersion: Invalid option: expected one of "1\.2"\|"1\.3"/);
  });
  it('neither format', async () => {
    await expect(parseSbom('x.json', ['{"packages":[]}'])).rejects.toThrow(
      'x.json:1:1: not an SBOM: expected CycloneDX JSON ("bomFormat": "CycloneDX") or SPDX 2.2/2.3 JSON ("spdxVersion": "SPDX-2.3")',
    );
  });
});

describe('build records', () => {
  const good = {
    artifact: 'ghcr.io/acme/shop',
    versionTag: 'v2.6.0-rc.1',
    digest: `sha256:${'a'.repeat(64)}`,
    sourceBranch: 'release/2.6',
    commit: 'abc1234',
    cleanBuild: true,
    signature: 'AAAA',
  };
  it('reads a good one', async () => {
    expect(await parseArtifactRecord('rc.json', [JSON.stringify(good)])).toEqual(good);
  });
  it('refuses a malformed digest or signature naming the field', async () => {
    await expect(parseArtifactRecord('rc.json', [JSON.stringify({ ...good, digest: 'md5:abc' })])).rejects.toThrow(
      'rc.json:1:69: not a build record: digest: sha256:<64 lower-case hex digits>',
    );
    await expect(
      parseArtifactRecord('rc.json', [JSON.stringify({ ...good, signature: 'not base64!' })]),
    ).rejects.toThrow(/signature: base64/);
  });
});
