import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin } from '@flightdeck/events';
import { optimisticConcurrencyPlugin } from '@flightdeck/persistence';

/**
 * One document per rollout: the whole state machine in `state`, a few fields beside it for queries, and the
 * outbox, so a transition and its events are one single-document write.
 */
export const rolloutSchema = new Schema(
  {
    _id: { type: String, required: true },
    releaseId: { type: String, required: true },
    environment: String,
    phase: { type: String, required: true },
    /** Promoted, with the bake still analysing inside the rollback window: the controller drives it. */
    baking: { type: Boolean, default: false },
    /** Names alerts that abort it and an alert can still act on it. */
    watchingAlerts: { type: Boolean, default: false },
    targetKey: { type: String, required: true },
    namespace: String,
    startedAt: { type: Date, required: true },
    /** When the rollout reached PROMOTED or ROLLED_BACK; null while it is not final. */
    completedAt: Date,
    state: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'rollouts', minimize: false },
);
rolloutSchema.index({ phase: 1 });
rolloutSchema.index({ baking: 1 });
rolloutSchema.index({ watchingAlerts: 1 });
rolloutSchema.index({ releaseId: 1, startedAt: -1 });
rolloutSchema.index({ targetKey: 1, phase: 1 });
rolloutSchema.index({ startedAt: -1, _id: -1 });
rolloutSchema.index({ completedAt: 1 });
rolloutSchema.plugin(outboxPlugin);
rolloutSchema.plugin(optimisticConcurrencyPlugin);

export type RolloutModel = Model<Record<string, unknown>>;

export function rolloutModel(connection: Connection): RolloutModel {
  return (
    (connection.models.Rollout as RolloutModel | undefined) ??
    (connection.model('Rollout', rolloutSchema) as unknown as RolloutModel)
  );
}

/** What deployment knows of each release's gates, from gates events. */
export const releaseGatesSchema = new Schema(
  { _id: { type: String, required: true }, gates: { type: Schema.Types.Mixed, default: {} } },
  { collection: 'release_gates', minimize: false },
);

export type ReleaseGatesModel = Model<{
  _id: string;
  gates: Record<string, { outcome: string; evaluationId: string; at: string }>;
}>;

export function releaseGatesModel(connection: Connection): ReleaseGatesModel {
  return (
    (connection.models.ReleaseGates as ReleaseGatesModel | undefined) ??
    (connection.model('ReleaseGates', releaseGatesSchema) as unknown as ReleaseGatesModel)
  );
}
