import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type DocumentNode } from 'graphql';

/** schema.graphql sits at the project root: four levels up from this file in src/, one up from the dist/ bundle. */
export function schemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'schema.graphql');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`analytics: schema.graphql not found above ${fileURLToPath(import.meta.url)}`);
}

export function loadTypeDefs(): DocumentNode {
  return parse(readFileSync(schemaPath(), 'utf8'));
}
