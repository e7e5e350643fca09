import { describe, expect, it } from 'vitest';
import { Behaviours, parseBehaviours } from '../src/index.js';
import { TAG_CONVENTIONS } from '../src/behaviours.js';

describe('behaviour files', () => {
  it('maps images to behaviour with a default and wildcards', () => {
    const b = new Behaviours(
      parseBehaviours(
        'default: {rps: 5}\nshop/web:2.0.0: {errorRatio: 0.2, p99Seconds: 1.5}\n"shop/web:3.*": {crash: true}\n',
      ),
      2,
    );
    expect(b.forImage('shop/web:2.0.0')).toMatchObject({ rps: 5, errorRatio: 0.2, p99Seconds: 1.5, startSeconds: 2 });
    expect(b.forImage('shop/web:3.1.0').crash).toBe(true);
    expect(b.forImage('other:1').crash).toBeUndefined();
    expect(b.forImage('other:1', 7).startSeconds).toBe(7);
  });

  it('says what is wrong with a bad file', () => {
    expect(() => parseBehaviours('shop/web:1: {rps: -1}', 'b.yaml')).toThrow(/b\.yaml .*shop\/web:1\.rps/);
    expect(() => parseBehaviours('shop/web:1: {speed: 3}', 'b.yaml')).toThrow(/speed/);
    expect(() => parseBehaviours('a: [', 'b.yaml')).toThrow(/not valid YAML/);
  });

  it('gives a tag whose pre-release part says bad, slow or crash that behaviour, unless the file names the image', () => {
    const b = new Behaviours(parseBehaviours('default: {rps: 5}\nshop/web:2.0.0-bad: {errorRatio: 0.01}\n'), 2);
    expect(b.forImage('demo/web:2.0.0-bad')).toMatchObject({ rps: 5, errorRatio: 0.3, p99Seconds: 1.5 });
    expect(b.forImage('registry.local:5000/team/api:1.4.0-rc.1.bad')).toMatchObject({ errorRatio: 0.3 });
    expect(b.forImage('demo/web:3.0.0-slow')).toMatchObject({ errorRatio: 0.001, p99Seconds: 2 });
    expect(b.forImage('demo/web:4.0.0-crash').crash).toBe(true);
    // Good: any other tag, a word that only contains one, a registry port, a digest.
    for (const good of [
      'demo/web:2.0.0',
      'demo/web:2.0.0-badger',
      'demo/badcache:1.0.0',
      'localhost:5000/web',
      'demo/web@sha256:abc',
    ]) {
      expect(b.forImage(good), good).toMatchObject({ rps: 5, errorRatio: 0.001, p99Seconds: 0.25 });
      expect(b.forImage(good).crash, good).toBeUndefined();
    }
    // The file's own entries win over the conventions.
    expect(b.forImage('shop/web:2.0.0-bad')).toMatchObject({ errorRatio: 0.01, p99Seconds: 0.25 });
    expect(Object.keys(TAG_CONVENTIONS)).toEqual(['bad', 'slow', 'crash']);
  });
});
