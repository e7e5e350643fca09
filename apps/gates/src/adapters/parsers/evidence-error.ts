export { EvidenceParseError } from '../../application/evidence.js';

/** A value from a report as a message shows it (a path, a name): cut to `max` characters. */
export function shorten(value: string, max = 120): string {
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length - max} more characters)`;
}

/** A value from a report as a message quotes it: JSON-quoted and cut to `max` characters. */
export function excerpt(value: string, max = 60): string {
  return value.length <= max
    ? JSON.stringify(value)
    : `${JSON.stringify(value.slice(0, max))}… (${value.length - max} more characters)`;
}

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
