import type { Document } from 'bson';
import { isPlainObject } from '../storage/values.js';

/**
 * mingo's $bucket puts a value equal to a boundary into the bucket below it and emits `_id` last;
 * mongod's buckets are [lower, upper) with `_id` first. So $bucket is rewritten into the
 * equivalent $group on a $switch (bucket index), $sort by that index, then the index is mapped
 * back to its lower boundary (or the default). Malformed specs are left for mingo to refuse.
 */
/** mongod's error (code 40066) for a value outside the boundaries of a $bucket without default. */
export const NO_MATCHING_BUCKET =
  '$switch could not find a matching branch for an input, and no default was specified.';

// mingo's $switch yields null instead of failing when nothing matches; this default fails,
// with a message that aggregate.ts turns back into mongod's error.
const failNoMatchingBucket = { $toDouble: { $literal: NO_MATCHING_BUCKET } };

function expandBucket(spec: unknown): Document[] | undefined {
  if (!isPlainObject(spec) || !Array.isArray(spec.boundaries) || spec.boundaries.length < 2) return undefined;
  const bounds = spec.boundaries as unknown[];
  const hasDefault = spec.default !== undefined;
  const branches = bounds.slice(0, -1).map((lower, i) => ({
    case: {
      $and: [{ $gte: [spec.groupBy, { $literal: lower }] }, { $lt: [spec.groupBy, { $literal: bounds[i + 1] }] }],
    },
    then: i,
  }));
  const ids = [...bounds.slice(0, -1), ...(hasDefault ? [spec.default] : [])];
  const output = isPlainObject(spec.output) ? spec.output : { count: { $sum: 1 } };
  return [
    {
      $group: {
        _id: { $switch: { branches, default: hasDefault ? ids.length - 1 : failNoMatchingBucket } },
        ...output,
      },
    },
    { $sort: { _id: 1 } },
    { $set: { _id: { $arrayElemAt: [{ $literal: ids }, '$_id'] } } },
  ];
}

/** The pipeline with every $bucket (also inside $facet, $lookup and $unionWith) expanded. */
export function rewriteBuckets(pipeline: Document[]): Document[] {
  return pipeline.flatMap((stage) => {
    const [name] = Object.keys(stage);
    const body = stage[name!];
    if (name === '$bucket') return expandBucket(body) ?? [stage];
    if (name === '$facet' && isPlainObject(body)) {
      return [
        {
          $facet: Object.fromEntries(
            Object.entries(body).map(([k, p]) => [k, Array.isArray(p) ? rewriteBuckets(p) : p]),
          ),
        },
      ];
    }
    if ((name === '$lookup' || name === '$unionWith') && isPlainObject(body) && Array.isArray(body.pipeline)) {
      return [{ [name]: { ...body, pipeline: rewriteBuckets(body.pipeline as Document[]) } }];
    }
    return [stage];
  });
}
