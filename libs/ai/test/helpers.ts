import { z } from 'zod';
import type { AdviceRequest } from '../src/index.js';

export const riskSchema = z.object({
  level: z.enum(['low', 'medium', 'high']),
  slipDays: z.number().int().min(0),
  reasons: z.array(z.string()),
});
export type Risk = z.infer<typeof riskSchema>;

export const baselineRisk: Risk = {
  level: 'medium',
  slipDays: 3,
  reasons: ['2 of 8 features are not done with 5 days left'],
};

export function riskRequest(overrides: Partial<AdviceRequest<Risk>> = {}): AdviceRequest<Risk> {
  return {
    kind: 'timeline-risk',
    subject: 'release-2.4.0',
    schema: riskSchema,
    instructions: 'Estimate how likely the release misses its date and by how many days.',
    input: { releaseDate: '2025-03-01', featuresDone: 6, featuresPlanned: 8, daysLeft: 5 },
    baseline: () => baselineRisk,
    baselineConfidence: 0.6,
    ...overrides,
  };
}

export const aiAnswer = {
  value: { level: 'high', slipDays: 6, reasons: ['velocity dropped 30% in the last sprint'] },
  confidence: 0.8,
  rationale: 'Two features remain and velocity is falling.',
};
