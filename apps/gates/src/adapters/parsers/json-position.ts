import { createScanner, findNodeAtLocation, parseTree, printParseErrorCode, visit, type JSONPath } from 'jsonc-parser';

/** Where something is in a text: 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Deepest nesting of arrays and objects the positions below are looked up in; jsonc-parser recurses once per level. */
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
  if (deep !== undefined) return { problem: `nested more than ${MAX_JSON_DEPTH} arrays or objects deep`, at: positionOf(text, deep) };
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
  const words = printParseErrorCode(first.code as Parameters<typeof printParseErrorCode>[0]).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const ended = first.offset >= text.trimEnd().length;
  return { problem: `${words}${ended ? ' (the file ends early: truncated?)' : ''}`, at: positionOf(text, first.offset) };
}

/** Where the value at `path` starts in valid JSON text; undefined when it is not there or the text nests too deep to look. */
export function valuePosition(text: string, path: JSONPath): Position | undefined {
  if (tooDeepAt(text) !== undefined) return undefined;
  const root = parseTree(text, [], strict);
  if (!root) return undefined;
  // An absent member is reported where its nearest present parent starts.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(root, path.slice(0, depth));
    if (node) return positionOf(text, node.offset);
  }
  return undefined;
}

/** A JSON path as it reads in a message: runs[0].results[3].ruleId. */
export function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('') || '(the document)';
}
