export { EvidenceParseError } from '../../application/evidence.js';

/** What every parser reads: a Node stream or any async iterable of chunks. */
export type ReportSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** Turns byte chunks into text without splitting a multi-byte character across chunks. */
export async function* textChunks(source: ReportSource): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
