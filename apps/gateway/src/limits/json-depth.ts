import type { RequestHandler } from 'express';
import { sendGraphQLError } from '@flightdeck/subgraph';

/** Deepest nesting of arrays and objects accepted in a request body: no Flightdeck input nests more than a few levels. */
export const MAX_JSON_DEPTH = 64;

/** How deep `value` nests arrays and objects, counted without recursion; stops counting once past `limit`. */
export function jsonDepth(value: unknown, limit = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Refuses a parsed JSON body nested deeper than `max` with 400 BAD_USER_INPUT. JSON.parse takes any depth, but the
 * gateway forwards variables with JSON.stringify, which recurses: 100,000 nested arrays ended in an internal error.
 */
export function jsonDepthLimit(max = MAX_JSON_DEPTH): RequestHandler {
  return (req, res, next) => {
    // GET carries its variables as JSON in the query string; Apollo parses them later.
    const variables = typeof req.query?.variables === 'string' ? parsedOrUndefined(req.query.variables) : undefined;
    if (jsonDepth(req.body, max) <= max && jsonDepth(variables, max) <= max) return next();
    sendGraphQLError(
      res,
      400,
      `The request's JSON is nested more than ${max} arrays or objects deep; no Flightdeck input nests that deep.`,
      'BAD_USER_INPUT',
      {
        reason: 'JSON_TOO_DEEP',
        limit: max,
      },
    );
  };
}

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // Apollo refuses it with its own message.
  }
}
