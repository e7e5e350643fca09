import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin } from '@flightdeck/events';
import { optimisticConcurrencyPlugin } from '@flightdeck/persistence';

/** One document per release-wide rollout: its state, a few fields for queries, and the outbox (one write per transition). */
export const releaseRolloutSchema = new Schema(
  {
    _id: { type: String, required: true },
    releaseId: { type: String, required: true },
    environment: { type: String, required: true },
    phase: { type: String, required: true },
    startedAt: { type: Date, required: true },
    completedAt: Date,
    state: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'release_rollouts', minimize: false },
);
releaseRolloutSchema.index({ phase: 1 });
releaseRolloutSchema.index({ releaseId: 1, startedAt: -1 });
releaseRolloutSchema.index({ completedAt: 1 });
releaseRolloutSchema.plugin(outboxPlugin);
releaseRolloutSchema.plugin(optimisticConcurrencyPlugin);

export type ReleaseRolloutModel = Model<Record<string, unknown>>;

export function releaseRolloutModel(connection: Connection): ReleaseRolloutModel {
  return (
    (connection.models.ReleaseRollout as ReleaseRolloutModel | undefined) ??
    (connection.model('ReleaseRollout', releaseRolloutSchema) as unknown as ReleaseRolloutModel)
  );
}
