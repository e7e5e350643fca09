import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin } from '@flightdeck/events';

export interface RecordDocument {
  _id: string;
  header: Record<string, unknown>;
  facts: Record<string, unknown>;
  /** When a fact last landed (the server's clock), for readers of changes. */
  changedAt?: Date;
}

function recordSchema(withOutbox: boolean): Schema<RecordDocument> {
  const schema = new Schema<RecordDocument>(
    {
      _id: { type: String, required: true },
      header: { type: Schema.Types.Mixed, default: {} },
      facts: { type: Schema.Types.Mixed, default: {} },
      changedAt: Date,
    },
    { versionKey: false, minimize: false },
  );
  schema.index({ 'header.product': 1 });
  schema.index({ 'header.releaseId': 1 });
  schema.index({ 'header.workload': 1 });
  schema.index({ 'header.team': 1 });
  schema.index({ 'header.rolloutId': 1 });
  schema.index({ changedAt: 1 });
  // Incidents are analytics' own entities: their events go out through the outbox of the same document.
  if (withOutbox) schema.plugin(outboxPlugin);
  return schema;
}

export interface ProjectionModels {
  release: Model<RecordDocument>;
  rollout: Model<RecordDocument>;
  incident: Model<RecordDocument>;
}

export function projectionModels(connection: Connection): ProjectionModels {
  const get = (name: string, collection: string, outbox: boolean) =>
    (connection.models[name] as Model<RecordDocument> | undefined) ??
    connection.model<RecordDocument>(name, recordSchema(outbox), collection);
  return {
    release: get('AnalyticsRelease', 'release_projection', false),
    rollout: get('AnalyticsRollout', 'rollout_projection', false),
    incident: get('AnalyticsIncident', 'incidents', true),
  };
}
