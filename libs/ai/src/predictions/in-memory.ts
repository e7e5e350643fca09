import type { Prediction, PredictionQuery, PredictionStore } from './prediction.js';

/** Keeps predictions in process memory: for tests and the embedded all-in-one mode. */
export class InMemoryPredictionStore implements PredictionStore {
  private readonly byId = new Map<string, Prediction>();

  async record(prediction: Prediction): Promise<void> {
    // Recording the same id again changes nothing, like the unique _id of the mongoose store.
    if (!this.byId.has(prediction.id)) this.byId.set(prediction.id, structuredClone(prediction));
  }

  async find(query: PredictionQuery = {}): Promise<Prediction[]> {
    return [...this.byId.values()]
      .filter(
        (p) =>
          (query.kind === undefined || p.kind === query.kind) &&
          (query.subject === undefined || p.subject === query.subject),
      )
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map((p) => structuredClone(p));
  }
}
