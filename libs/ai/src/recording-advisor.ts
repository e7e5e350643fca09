import type { Advice, AdviceRequest, Advisor } from './advice.js';
import type { PredictionRecorder } from './predictions/prediction.js';

/**
 * Records every advice as a prediction before handing it out, so its accuracy can be measured later.
 * A failing recorder fails the advice: an unrecorded prediction would silently skew the accuracy figures.
 */
export class RecordingAdvisor implements Advisor {
  constructor(
    private readonly inner: Advisor,
    private readonly recorder: PredictionRecorder,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async advise<T>(request: AdviceRequest<T>): Promise<Advice<T>> {
    const advice = await this.inner.advise(request);
    await this.recorder.record({
      id: advice.predictionId,
      kind: request.kind,
      subject: request.subject,
      value: advice.value,
      confidence: advice.confidence,
      source: advice.source,
      ...(advice.model ? { model: advice.model } : {}),
      at: this.now(),
    });
    return advice;
  }
}
