import fc from 'fast-check';

/**
 * Characters reports really carry, hostile ones included: XML and JSON specials, quotes, backslashes, accents,
 * CJK, an emoji (a surrogate pair, so chunks can split it), and the keys of prototype pollution and MongoDB operators.
 */
const pieces = [
  'a',
  'Z',
  '0',
  '9',
  '_',
  '-',
  '.',
  '/',
  '\\',
  ':',
  ',',
  '<',
  '>',
  '&',
  '"',
  "'",
  '$',
  '{',
  '}',
  '[',
  ']',
  'é',
  'ß',
  '漢',
  '字',
  '😀',
  '%',
  ';',
  '#',
  '=',
  '?',
  '!',
];
const words = [
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '$gt',
  'a.b',
  '../../etc/passwd',
  'C:\\temp\\x.cs',
  'src/app.ts',
  ']]>',
  '&amp;',
  '<![CDATA[',
];

/** A non-empty string without whitespace, from the pieces and words above. */
export const hostileWord = (maxLength = 12): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength }).map((a) => a.join('')) },
    { weight: 1, arbitrary: fc.constantFrom(...words) },
  );

/** Words separated by single spaces: no whitespace at either end. */
export const hostileText = (maxWords = 6): fc.Arbitrary<string> =>
  fc.array(hostileWord(), { minLength: 1, maxLength: maxWords }).map((w) => w.join(' '));

/** Escaped for an XML attribute value in double quotes. */
export function xmlAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Escaped for XML character data. */
export function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The UTF-8 bytes of a text cut into chunks at the given offsets (inside multi-byte characters too), as an upload delivers them. */
export function chunksAt(text: string, cuts: number[]): Uint8Array[] {
  const bytes = Buffer.from(text, 'utf8');
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of at) {
    if (c > from) out.push(bytes.subarray(from, c));
    from = Math.max(from, c);
  }
  if (from < bytes.length || out.length === 0) out.push(bytes.subarray(from));
  return out;
}

/** Where to cut a text into chunks. */
export const cuts = fc.array(fc.nat(), { maxLength: 12 });
