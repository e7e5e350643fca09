import { describe, expect, it } from 'vitest';
import { Behaviours, parseBehaviours } from '../src/index.js';

describe('behaviour files', () => {
  it('maps images to behaviour with a default and wildcards', () => {
    const b = new Behaviours(parseBehaviours('default: {rps: 5}\nshop/web:2.0.0: {errorRatio: 0.2, p99Seconds: 1.5}\n"shop/web:3.*": {crash: true}\n'), 2);
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
});
