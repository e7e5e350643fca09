import type { AdviceKind, AdviceSource } from '../advice.js';

/** One advice as given, kept for measuring its accuracy once the actual outcome is known. */
export interface Prediction {
  id: string;
  kind: AdviceKind;
  subject: string;
  value: unknown;
  confidence: number;
  source: AdviceSource;
  model?: string;
  at: Date;
}

export interface PredictionRecorder {
  record(prediction: Prediction): Promise<void>;
}

export interface PredictionQuery {
  kind?: AdviceKind;
  subject?: string;
}

/** A recorder that can also be read back (analytics, tests). */
export interface PredictionStore extends PredictionRecorder {
  find(query?: PredictionQuery): Promise<Prediction[]>;
}
