import { Schema, type Connection, type Model } from 'mongoose';
import { appliedEventsPlugin, outboxPlugin } from '@flightdeck/events';
import { optimisticConcurrencyPlugin } from '@flightdeck/persistence';
import { FEATURE_KINDS, FEATURE_STATUSES, PRIORITIES } from '../../domain/scope.js';
import { RELEASE_STATUSES } from '../../domain/lifecycle.js';
import { RELEASE_TYPES } from '../../domain/release-type.js';

const feature = new Schema(
  {
    id: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    priority: { type: String, enum: PRIORITIES, required: true },
    businessValue: Number,
    timeCriticality: Number,
    riskReduction: Number,
    effort: Number,
    status: { type: String, enum: FEATURE_STATUSES, required: true },
    dependsOn: { type: [String], default: [] },
    kind: { type: String, enum: FEATURE_KINDS },
    breakingChange: String,
    migration: String,
    exclusion: { type: new Schema({ reason: String, targetRelease: String }, { _id: false }), default: undefined },
  },
  { _id: false },
);

const transition = new Schema(
  { from: String, to: String, by: String, byName: String, at: Date, reason: String },
  { _id: false },
);

const scopeChange = new Schema(
  {
    kind: String,
    featureId: String,
    title: String,
    by: String,
    byName: String,
    at: Date,
    changes: { type: [Schema.Types.Mixed], default: [] },
    reason: String,
  },
  { _id: false },
);

const gateResult = new Schema(
  { gate: String, outcome: String, evaluationId: String, at: Date, reasons: { type: [String], default: undefined } },
  { _id: false },
);

const freezeTick = new Schema(
  { itemId: String, evidence: String, by: String, byName: String, at: Date },
  { _id: false },
);
const freezeException = new Schema(
  { changeId: String, reason: String, by: String, byName: String, at: Date },
  { _id: false },
);
const freeze = new Schema(
  { ticks: { type: [freezeTick], default: [] }, exceptions: { type: [freezeException], default: [] } },
  { _id: false },
);

const productionRollout = new Schema({ rolloutId: String, succeeded: Boolean, at: Date }, { _id: false });

export const releaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    product: { type: String, required: true },
    version: { type: String, required: true },
    type: { type: String, enum: RELEASE_TYPES, required: true },
    baseVersion: String,
    hotfix: { type: new Schema({ reason: String, details: String }, { _id: false }), default: undefined },
    theme: String,
    owner: String,
    targetDate: { type: Date, required: true },
    status: { type: String, enum: RELEASE_STATUSES, required: true },
    transitions: { type: [transition], default: [] },
    features: { type: [feature], default: [] },
    scopeChanges: { type: [scopeChange], default: [] },
    team: { velocityHistory: { type: [Number], default: [] }, plannedVelocity: Number },
    signals: {
      gates: { type: Schema.Types.Mixed, default: {} },
      productionRolloutSucceeded: { type: Boolean, default: false },
    },
    gateResults: { type: [gateResult], default: [] },
    productionRollouts: { type: [productionRollout], default: [] },
    lastForecast: { type: Schema.Types.Mixed, default: undefined },
    considerations: { type: Schema.Types.Mixed, default: undefined },
    freeze: { type: freeze, default: undefined },
    createdAt: Date,
    updatedAt: Date,
  },
  { collection: 'releases', minimize: false },
);

releaseSchema.index({ product: 1, version: 1 }, { unique: true });
releaseSchema.index({ targetDate: 1, _id: 1 });
releaseSchema.index({ product: 1, status: 1 });
releaseSchema.plugin(outboxPlugin);
releaseSchema.plugin(appliedEventsPlugin);
releaseSchema.plugin(optimisticConcurrencyPlugin);

export type ReleaseModel = Model<Record<string, unknown>>;

export function releaseModel(connection: Connection): ReleaseModel {
  return (
    (connection.models.Release as ReleaseModel | undefined) ??
    (connection.model('Release', releaseSchema) as unknown as ReleaseModel)
  );
}
