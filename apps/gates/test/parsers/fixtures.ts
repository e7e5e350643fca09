import { createReadStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
export const stream = (name: string) => createReadStream(fixture(name), { highWaterMark: 256 }); // small chunks: tags and characters split across chunks
export const text = (name: string) => readFileSync(fixture(name), 'utf8');
/** The file cut at a fraction of its length, as an interrupted upload would leave it. */
export const truncated = (name: string, fraction = 0.6) => {
  const t = text(name);
  return [t.slice(0, Math.floor(t.length * fraction))];
};
