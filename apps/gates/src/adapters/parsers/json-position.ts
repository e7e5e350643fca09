import { createScanner, printParseErrorCode, visit } from 'jsonc-parser';

/** Where something is in a text: 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Deepest nesting of arrays and objects in which a syntax error is looked for: jsonc-parser's visit recurses once per level. */
export const MAX_JSON_DEPTH = 1000;

const strict = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

export function positionOf(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The offset where the nesting first passes MAX_JSON_DEPTH, scanning tokens without recursion; undefined when it never does. */
function tooDeepAt(text: string): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== 17 /* EOF */; token = scanner.scan()) {
    if (token === 1 /* { */ || token === 3 /* [ */) {
      if (++depth > MAX_JSON_DEPTH) return scanner.getTokenOffset();
    } else if (token === 2 /* } */ || token === 4 /* ] */) depth--;
  }
  return undefined;
}

/** Why and where text that JSON.parse refused is not JSON (the first error, as jsonc-parser finds it). */
export function syntaxError(text: string): { problem: string; at?: Position } {
  const deep = tooDeepAt(text);
  if (deep !== undefined)
    return { problem: `nested more than ${MAX_JSON_DEPTH} arrays or objects deep`, at: positionOf(text, deep) };
  let first: { code: number; offset: number } | undefined;
  visit(
    text,
    {
      onError(code, offset) {
        first ??= { code, offset };
      },
    },
    strict,
  );
  if (!first) return { problem: 'not valid JSON' };
  const words = printParseErrorCode(first.code as Parameters<typeof printParseErrorCode>[0])
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  const ended = first.offset >= text.trimEnd().length;
  return {
    problem: `${words}${ended ? ' (the file ends early: truncated?)' : ''}`,
    at: positionOf(text, first.offset),
  };
}

/**
 * Where the value at `path` starts in valid JSON text, or where its nearest present parent starts when it is absent.
 * Tokens are scanned without recursion, so any nesting is fine.
 */
export function valuePosition(text: string, path: readonly (string | number)[]): Position | undefined {
  const scanner = createScanner(text, true);
  const frames: { array: boolean; key?: string; index: number; wantKey: boolean }[] = [];
  let nearest: number | undefined;
  const here = () => frames.map((f) => (f.array ? f.index : f.key));
  const valueStarts = (offset: number): boolean => {
    const at = here();
    if (at.length > path.length || !at.every((p, i) => p === path[i])) return false;
    nearest = offset;
    return at.length === path.length;
  };
  for (let token = scanner.scan(); token !== 17 /* EOF */; token = scanner.scan()) {
    const frame = frames.at(-1);
    const offset = scanner.getTokenOffset();
    if (token === 10 /* string */ && frame && !frame.array && frame.wantKey) {
      frame.key = scanner.getTokenValue();
      frame.wantKey = false;
      continue;
    }
    if (token === 5 /* , */) {
      if (frame?.array) frame.index++;
      else if (frame) frame.wantKey = true;
      continue;
    }
    if (token === 2 /* } */ || token === 4 /* ] */) {
      frames.pop();
      continue;
    }
    if (token === 6 /* : */) continue;
    // Anything else starts a value: an object, an array or a scalar.
    if (valueStarts(offset)) return positionOf(text, offset);
    if (token === 1 /* { */) frames.push({ array: false, index: 0, wantKey: true });
    else if (token === 3 /* [ */) frames.push({ array: true, index: 0, wantKey: false });
  }
  return nearest === undefined ? undefined : positionOf(text, nearest);
}

/** A JSON path as it reads in a message: runs[0].results[3].ruleId. */
export function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('') || '(the document)';
}
