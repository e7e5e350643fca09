// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- json-merge-patch ships no types; the reference makes them travel with this file into every program that imports kube-sim
/// <reference path="./json-merge-patch.d.ts" />
import jsonPatch from 'fast-json-patch';
import * as mergePatch from 'json-merge-patch';
import { ApiError, errors } from '../api/errors.js';
import { clone, isPlainObject } from '../api/types.js';
import { strategicMerge } from './strategic-merge.js';

export const patchTypes = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/** Applies a parsed patch body of one of the three classic content types to a copy of `original`. */
export function applyPatch(
  contentType: string,
  original: Record<string, unknown>,
  patch: unknown,
  kind: string,
): Record<string, unknown> {
  switch (contentType) {
    case patchTypes.json: {
      if (!Array.isArray(patch))
        throw errors.badRequest(
          'a JSON patch must be a JSON array of operations, e.g. [{"op":"replace","path":"/spec/replicas","value":3}]',
        );
      const doc = clone(original);
      const problem = jsonPatch.validate(patch as jsonPatch.Operation[], doc);
      if (problem)
        throw new ApiError(
          422,
          'Invalid',
          `the JSON patch cannot be applied: ${problem.name} at operation ${problem.index ?? '?'} (${problem.message.split('\n')[0]})`,
        );
      try {
        const result = jsonPatch.applyPatch(doc, patch as jsonPatch.Operation[], false, true).newDocument;
        if (!isPlainObject(result))
          throw errors.badRequest('the JSON patch replaced the whole object with something that is not an object');
        return result;
      } catch (e) {
        if (e instanceof ApiError) throw e;
        throw new ApiError(422, 'Invalid', `the JSON patch cannot be applied: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    case patchTypes.merge: {
      if (!isPlainObject(patch))
        throw errors.badRequest('a JSON merge patch must be a JSON object, e.g. {"spec":{"replicas":3}}');
      return mergePatch.apply(clone(original), patch) as Record<string, unknown>;
    }
    case patchTypes.strategic:
      return strategicMerge(original, patch, kind);
    default:
      throw errors.unsupportedMediaType(contentType, Object.values(patchTypes));
  }
}
