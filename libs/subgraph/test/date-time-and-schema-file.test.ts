import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTime, findSchemaFile, loadSchemaFile } from '../src/index.js';

describe('DateTime', () => {
  it('reads ISO 8601 text into a Date and writes it back as UTC text', () => {
    const d = DateTime.parseValue('2026-07-01T14:00:00+02:00');
    expect(d.toISOString()).toBe('2026-07-01T12:00:00.000Z');
    expect(DateTime.serialize(d)).toBe('2026-07-01T12:00:00.000Z');
    expect(DateTime.parseLiteral({ kind: Kind.STRING, value: '2026-07-01T12:00:00Z' })).toEqual(
      new Date('2026-07-01T12:00:00Z'),
    );
  });

  it('refuses anything else, saying what would be right', () => {
    expect(() => DateTime.parseValue('next tuesday')).toThrow(
      'DateTime must be an ISO 8601 date-time such as 2026-07-01T12:00:00Z, got "next tuesday"',
    );
    expect(() => DateTime.parseValue('1700000000')).toThrow(/ISO 8601/);
    expect(() => DateTime.parseLiteral({ kind: Kind.INT, value: '5' })).toThrow(
      'DateTime must be a string such as "2026-07-01T12:00:00Z"',
    );
  });
});

describe('findSchemaFile', () => {
  it('finds schema.graphql above the asking file, and says where it looked when there is none', () => {
    const root = mkdtempSync(join(tmpdir(), 'schema-file-'));
    mkdirSync(join(root, 'src/adapters/graphql'), { recursive: true });
    writeFileSync(join(root, 'schema.graphql'), 'type Query { hello: String }');
    const asking = pathToFileURL(join(root, 'src/adapters/graphql/schema.ts')).href;
    expect(findSchemaFile(asking, 'demo')).toBe(join(root, 'schema.graphql'));
    expect(loadSchemaFile(asking, 'demo').definitions).toHaveLength(1);
    const elsewhere = pathToFileURL(join(mkdtempSync(join(tmpdir(), 'no-schema-')), 'a/b/c/d/e/f.ts')).href;
    expect(() => findSchemaFile(elsewhere, 'demo')).toThrow(/^demo: schema.graphql not found above /);
  });
});
