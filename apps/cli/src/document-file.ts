import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ApiError } from './api.js';

/** A YAML or JSON file given as `--file`, parsed; a missing file or bad syntax is an error naming the file. */
export function readDocumentFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ApiError(
      `--file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  try {
    return parseYaml(text);
  } catch (err) {
    throw new ApiError(`--file ${file}: not YAML or JSON: ${(err as Error).message}`);
  }
}
