export {
  ADVICE_KINDS,
  AdviceFailedError,
  type Advice,
  type AdviceKind,
  type AdviceRequest,
  type AdviceSource,
  type Advisor,
} from './advice.js';
export { OpenAIAdvisor, type OpenAIAdvisorOptions } from './openai-advisor.js';
export { DeterministicAdvisor } from './deterministic-advisor.js';
export { FallbackAdvisor } from './fallback-advisor.js';
export { RecordingAdvisor } from './recording-advisor.js';
export { createAdvisor, type AdvisorDeps } from './create-advisor.js';
export { aiEnv, aiEnvSchema, aiOptionsFromEnv, createAdvisorFromEnv, type AiEnv } from './env.js';
export type { Prediction, PredictionQuery, PredictionRecorder, PredictionStore } from './predictions/prediction.js';
export { InMemoryPredictionStore } from './predictions/in-memory.js';
export { MongoosePredictionStore, predictionModel, type PredictionModel } from './predictions/mongoose.js';
export {
  resolvePrediction,
  summariseAccuracy,
  DEFAULT_TOLERANCE,
  type ResolvedPrediction,
  type AccuracySummary,
} from './accuracy.js';
