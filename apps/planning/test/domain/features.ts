import type { Feature } from '../../src/domain/scope.js';

/** A feature with sensible defaults; tests override what they are about. */
export function feature(id: string, over: Partial<Feature> = {}): Feature {
  return {
    id,
    title: over.title ?? `Feature ${id}`,
    description: '',
    priority: 'SHOULD',
    businessValue: 5,
    timeCriticality: 3,
    riskReduction: 2,
    effort: 5,
    status: 'TODO',
    dependsOn: [],
    ...over,
  };
}
