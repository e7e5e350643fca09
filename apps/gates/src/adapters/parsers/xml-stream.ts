import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { EvidenceParseError, textChunks, type ReportSource } from './evidence-error.js';

export interface XmlHandlers {
  open(tag: SaxesTagPlain, depth: number): void;
  close(name: string, depth: number): void;
  /** Text inside the current element; only called while `wantText()` says so. */
  text?(text: string): void;
  wantText?(): boolean;
}

/**
 * Feeds a report through saxes chunk by chunk: only the current chunk and the open elements are
 * held in memory, never the whole document. Malformed or truncated XML is refused with the line and
 * column where it broke.
 */
export async function streamXml(file: string, source: ReportSource, handlers: XmlHandlers): Promise<void> {
  const parser = new SaxesParser({ position: true });
  let depth = 0;
  parser.on('error', (err) => {
    const problem = err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    throw new EvidenceParseError(file, `malformed XML: ${problem}`, parser.line, parser.column);
  });
  parser.on('opentag', (tag) => {
    try {
      handlers.open(tag as SaxesTagPlain, depth);
    } catch (err) {
      if (err instanceof AttributeError) throw new EvidenceParseError(file, err.message, parser.line, parser.column);
      throw err;
    }
    if (!tag.isSelfClosing) depth++;
    else handlers.close(tag.name, depth);
  });
  parser.on('closetag', (tag) => {
    if (tag.isSelfClosing) return;
    depth--;
    handlers.close(tag.name, depth);
  });
  if (handlers.text) {
    const onText = handlers.text;
    const want = handlers.wantText ?? (() => true);
    parser.on('text', (t) => {
      if (want()) onText(t);
    });
    parser.on('cdata', (t) => {
      if (want()) onText(t);
    });
  }
  let sawAnything = false;
  for await (const chunk of textChunks(source)) {
    sawAnything ||= chunk.trim().length > 0;
    parser.write(chunk);
  }
  if (!sawAnything) throw new EvidenceParseError(file, 'the file is empty; expected an XML report');
  parser.close();
}

export function attr(tag: SaxesTagPlain, name: string): string | undefined {
  const v = tag.attributes[name];
  return typeof v === 'string' ? v : undefined;
}

/** An attribute whose value is not what its schema allows; `streamXml` reports it with the position of its element. */
class AttributeError extends Error {}

const XS_BOOLEAN: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/**
 * An xs:boolean attribute as tools really write it: the schema's `true`, `false`, `1`, `0`, and the capitalised
 * `True`/`False` of .NET's `bool.ToString()` (coverlet, dotnet-coverage). Absent is undefined; anything else is refused.
 */
export function booleanAttr(tag: SaxesTagPlain, name: string): boolean | undefined {
  const v = attr(tag, name);
  if (v === undefined) return undefined;
  const b = XS_BOOLEAN[v.trim().toLowerCase()];
  if (b === undefined) throw new AttributeError(`the attribute ${name}="${v}" of <${tag.name}> is not a boolean; expected true or false (or 1, 0)`);
  return b;
}

export function numberAttr(tag: SaxesTagPlain, name: string): number | undefined {
  const v = attr(tag, name);
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
