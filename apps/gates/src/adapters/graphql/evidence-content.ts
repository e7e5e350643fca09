import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { RuleError } from '@flightdeck/kernel';

const tooLarge = (name: string, limit: number) =>
  new RuleError(
    `evidence ${name} is larger than the limit of ${limit} bytes; split the report or raise EVIDENCE_MAX_BYTES`,
    'content',
  );

/**
 * The uploaded content as a stream of bytes for the parsers, gunzipped on the fly when encoded so,
 * and cut off with an error as soon as it passes the limit.
 */
export function evidenceStream(
  name: string,
  content: string,
  encoding: 'PLAIN' | 'GZIP_BASE64',
  limit: number,
): { stream: Readable; bytes: () => number } {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > limit) done(tooLarge(name, limit));
      else done(null, chunk);
    },
  });
  if (encoding === 'PLAIN') {
    if (Buffer.byteLength(content) > limit) throw tooLarge(name, limit);
    const bytes = Buffer.from(content);
    seen = bytes.length;
    return { stream: Readable.from([bytes]), bytes: () => seen };
  }
  if (!/^[A-Za-z0-9+/=\s]*$/.test(content))
    throw new RuleError(
      `evidence ${name}: content is not base64 (encoding GZIP_BASE64 expects the gzipped report in base64)`,
      'content',
    );
  const gunzip = createGunzip();
  const source = Readable.from([Buffer.from(content, 'base64')]);
  const fail = (err: Error) =>
    counter.destroy(
      err instanceof RuleError
        ? err
        : new RuleError(`evidence ${name}: the content is not valid gzip (${err.message})`, 'content'),
    );
  source.on('error', fail);
  gunzip.on('error', fail);
  source.pipe(gunzip).pipe(counter);
  return { stream: counter, bytes: () => seen };
}
