import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type DocumentNode } from 'graphql';

/**
 * A service's schema.graphql sits at its project root: a few folders above the source file that asks
 * (`import.meta.url`), and one above the dist/ bundle.
 */
export function findSchemaFile(fromUrl: string, service: string): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'schema.graphql');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`${service}: schema.graphql not found above ${fileURLToPath(fromUrl)}`);
}

export function loadSchemaFile(fromUrl: string, service: string): DocumentNode {
  return parse(readFileSync(findSchemaFile(fromUrl, service), 'utf8'));
}
