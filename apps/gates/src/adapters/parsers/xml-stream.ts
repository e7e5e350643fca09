import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { EvidenceParseError, excerpt, textChunks, type ReportSource } from './evidence-error.js';

/** Deepest element nesting accepted: reports nest a few levels (nested JUnit suites a few dozen); each open element is held in memory. */
export const MAX_XML_DEPTH = 256;

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
 * column where it broke. A DOCTYPE may name a DTD (Cobertura's does), which is never fetched; one declaring
 * entities (billion laughs, external entities) is refused, and so is nesting deeper than MAX_XML_DEPTH.
 */
export async function streamXml(file: string, source: ReportSource, handlers: XmlHandlers): Promise<void> {
  const parser = new SaxesParser({ position: true });
  let depth = 0;
  parser.on('error', (err) => {
    const problem = err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    throw new EvidenceParseError(file, `malformed XML: ${problem}`, parser.line, Math.max(1, parser.column));
  });
  // What the handlers refuse (ContentError) is reported at the element being read.
  const at = <T>(run: () => T): T => {
    try {
      return run();
    } catch (err) {
      if (err instanceof ContentError)
        throw new EvidenceParseError(file, err.message, parser.line, Math.max(1, parser.column));
      throw err;
    }
  };
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) {
      throw new EvidenceParseError(
        file,
        "entity declarations are not accepted in a report (<!ENTITY … > in its DOCTYPE): remove the DOCTYPE's internal subset",
        parser.line,
        Math.max(1, parser.column),
      );
    }
  });
  parser.on('opentag', (tag) => {
    if (depth >= MAX_XML_DEPTH)
      throw new EvidenceParseError(
        file,
        `nested more than ${MAX_XML_DEPTH} elements deep; no report format nests that deep`,
        parser.line,
        Math.max(1, parser.column),
      );
    at(() => handlers.open(tag as SaxesTagPlain, depth));
    if (!tag.isSelfClosing) depth++;
    else at(() => handlers.close(tag.name, depth));
  });
  parser.on('closetag', (tag) => {
    if (tag.isSelfClosing) return;
    depth--;
    at(() => handlers.close(tag.name, depth));
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

/** A part of the report its format does not allow; `streamXml` reports it with the position of its element. */
export class ContentError extends Error {}

const XS_BOOLEAN: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/**
 * An xs:boolean attribute as tools really write it: the schema's `true`, `false`, `1`, `0`, and the capitalised
 * `True`/`False` of .NET's `bool.ToString()` (coverlet, dotnet-coverage). Absent is undefined; anything else is refused.
 */
export function booleanAttr(tag: SaxesTagPlain, name: string): boolean | undefined {
  const v = attr(tag, name);
  if (v === undefined) return undefined;
  const b = XS_BOOLEAN[v.trim().toLowerCase()];
  if (b === undefined)
    throw new ContentError(
      `the attribute ${name}=${excerpt(v)} of <${tag.name}> is not a boolean; expected true or false (or 1, 0)`,
    );
  return b;
}

export function numberAttr(tag: SaxesTagPlain, name: string): number | undefined {
  const v = attr(tag, name);
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
