import { Schema, type Connection, type HydratedDocument, type Model } from 'mongoose';
import { optimisticConcurrencyPlugin, timestampsPlugin } from '@flightdeck/persistence';
import { appliedEventsPlugin, outboxPlugin, type OutboxFields, type OutboxMethods } from '../src/index.js';

/** A planning-style aggregate whose events go out through its outbox. */
export interface ReleaseDoc extends OutboxFields {
  _id: string;
  name: string;
  status: string;
}
export type ReleaseModel = Model<ReleaseDoc, object, OutboxMethods>;
export type ReleaseDocument = HydratedDocument<ReleaseDoc, OutboxMethods>;

export function releaseModel(connection: Connection): ReleaseModel {
  const schema = new Schema<ReleaseDoc, ReleaseModel, OutboxMethods>({ _id: String, name: String, status: String });
  schema.plugin(timestampsPlugin);
  schema.plugin(optimisticConcurrencyPlugin);
  schema.plugin(outboxPlugin);
  return connection.model<ReleaseDoc, ReleaseModel>('Release', schema);
}

/** A consumer-side projection: how many times each release's event had an effect. */
export interface ProjectionDoc {
  _id: string;
  applied: number;
}

export function projectionModel(connection: Connection): Model<ProjectionDoc> {
  const schema = new Schema<ProjectionDoc>({ _id: String, applied: { type: Number, default: 0 } });
  schema.plugin(appliedEventsPlugin);
  return connection.model<ProjectionDoc>('ReleaseProjection', schema);
}
