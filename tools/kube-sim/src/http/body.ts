import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { errors } from '../api/errors.js';

/**
 * Reads a request body up to `limit` bytes; a larger one is read to its end without being kept, then answered
 * with 413 (answering before the client has sent it all would cut it off mid-request).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > limit;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(errors.tooLarge(limit)) : resolve(Buffer.concat(chunks))));
    req.on('error', (e) => reject(errors.badRequest(`the request body could not be read: ${e.message}`)));
  });
}

const maxDepth = 100;

/** Rejects absurdly nested documents before any recursive code sees them. */
function checkDepth(value: unknown): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > maxDepth) throw errors.badRequest(`the request body is nested more than ${maxDepth} levels deep`);
    if (typeof v === 'object' && v !== null) for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
}

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Parses a body as JSON, or as YAML for the YAML media types. */
export function parseBody(body: Buffer, contentType: string): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw errors.badRequest('the request body is empty: send a JSON object');
  let value: unknown;
  if (
    contentType === 'application/yaml' ||
    contentType === 'application/apply-patch+yaml' ||
    contentType === 'text/yaml'
  ) {
    try {
      value = parseYaml(text);
    } catch (e) {
      throw errors.badRequest(`the request body is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
  } else {
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw errors.badRequest(`the request body is not valid JSON: ${(e as Error).message}`);
    }
  }
  checkDepth(value);
  return value;
}
