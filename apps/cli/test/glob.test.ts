import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGlob, globToRegExp, parseDuration } from '../src/index.js';

describe('globs for report paths', () => {
  it('matches ** at any depth, * within a segment, and {a,b}', () => {
    expect(globToRegExp('**/TEST-*.xml').test('a/b/TEST-x.xml')).toBe(true);
    expect(globToRegExp('**/TEST-*.xml').test('TEST-x.xml')).toBe(true);
    expect(globToRegExp('*.xml').test('a/TEST-x.xml')).toBe(false);
    expect(globToRegExp('*.{info,xml}').test('lcov.info')).toBe(true);
  });

  it('expands against the file system, sorted, files only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glob-'));
    mkdirSync(join(dir, 'r/unit'), { recursive: true });
    for (const f of ['r/b.xml', 'r/a.xml', 'r/unit/c.xml', 'r/notes.txt']) writeFileSync(join(dir, f), 'x');
    expect(expandGlob('r/**/*.xml', dir)).toEqual(['r/a.xml', 'r/b.xml', 'r/unit/c.xml']);
    expect(expandGlob('r/*.txt', dir)).toEqual(['r/notes.txt']);
    expect(expandGlob('nothing/*.xml', dir)).toEqual([]);
  });
});

describe('durations', () => {
  it('reads 30m, 45s, 500ms and bare seconds, and refuses anything else', () => {
    expect([
      parseDuration('30m', 't'),
      parseDuration('45s', 't'),
      parseDuration('500ms', 't'),
      parseDuration('2', 't'),
    ]).toEqual([1_800_000, 45_000, 500, 2000]);
    expect(() => parseDuration('soon', '--timeout')).toThrow(
      '--timeout "soon" is not a duration; use e.g. 30m, 45s, 1h or 500ms',
    );
  });
});
