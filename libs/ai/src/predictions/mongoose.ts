import { Schema, type Connection, type Model } from 'mongoose';
import { ADVICE_KINDS } from '../advice.js';
import type { Prediction, PredictionQuery, PredictionStore } from './prediction.js';

interface PredictionDocument {
  _id: string;
  kind: Prediction['kind'];
  subject: string;
  value: unknown;
  confidence: number;
  source: Prediction['source'];
  model?: string;
  at: Date;
}

const predictionSchema = new Schema<PredictionDocument>(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ADVICE_KINDS, required: true },
    subject: { type: String, required: true },
    value: { type: Schema.Types.Mixed },
    confidence: { type: Number, required: true, min: 0, max: 1 },
    source: { type: String, enum: ['ai', 'deterministic'], required: true },
    model: { type: String },
    at: { type: Date, required: true },
  },
  { collection: 'predictions', versionKey: false, minimize: false },
);
predictionSchema.index({ kind: 1, subject: 1, at: 1 });

export type PredictionModel = Model<PredictionDocument>;

/** The mongoose model of predictions on the given connection (one per service database). */
export function predictionModel(connection: Connection): PredictionModel {
  return (
    (connection.models.Prediction as PredictionModel | undefined) ??
    connection.model<PredictionDocument>('Prediction', predictionSchema)
  );
}

export class MongoosePredictionStore implements PredictionStore {
  private readonly model: PredictionModel;

  constructor(connection: Connection) {
    this.model = predictionModel(connection);
  }

  async record(prediction: Prediction): Promise<void> {
    const { id, ...rest } = prediction;
    try {
      await this.model.create({ _id: id, ...rest });
    } catch (error) {
      // The same prediction recorded twice (a retried use case) is kept once.
      if ((error as { code?: number }).code === 11000) return;
      throw error;
    }
  }

  async find(query: PredictionQuery = {}): Promise<Prediction[]> {
    const filter: Record<string, string> = {};
    if (query.kind !== undefined) filter.kind = query.kind;
    if (query.subject !== undefined) filter.subject = query.subject;
    const docs = await this.model.find(filter).sort({ at: 1 }).lean<PredictionDocument[]>();
    return docs.map(({ _id, model, ...rest }) => ({ id: _id, ...rest, ...(model ? { model } : {}) }));
  }
}
