import { Schema, type Connection, type Model } from 'mongoose';
import { appliedEventsPlugin, outboxPlugin } from '@flightdeck/events';
import { optimisticConcurrencyPlugin } from '@flightdeck/persistence';

const mixedList = { type: [Schema.Types.Mixed], default: [] };

export const definitionSchema = new Schema(
  {
    _id: { type: String, required: true },
    product: { type: String, required: true },
    name: { type: String, required: true },
    version: { type: Number, required: true },
    definition: { type: Schema.Types.Mixed, required: true },
    audit: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'gate_definitions', minimize: false, versionKey: false },
);
definitionSchema.index({ product: 1, name: 1, version: 1 }, { unique: true });

/** One gate of one release: evidence summaries, ticks, approvals, evaluation history, audit lines, outbox. */
export const gateStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    releaseId: { type: String, required: true },
    gate: { type: String, required: true },
    product: { type: String, required: true },
    evidence: mixedList,
    ticks: mixedList,
    approvals: mixedList,
    evaluations: mixedList,
    passedAt: Date,
    audit: mixedList,
  },
  { collection: 'gate_states', minimize: false },
);
gateStateSchema.index({ releaseId: 1 });
gateStateSchema.index({ product: 1 });
gateStateSchema.plugin(outboxPlugin);
gateStateSchema.plugin(optimisticConcurrencyPlugin);

/** The projection of planning's releases, with the readiness assessments made of each. */
export const releaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    product: String,
    version: String,
    type: String,
    requestedBy: String,
    status: String,
    /** Features by encoded id: { title, status }. */
    features: { type: Schema.Types.Mixed, default: {} },
    readiness: mixedList,
    audit: mixedList,
  },
  { collection: 'releases', minimize: false },
);
releaseSchema.index({ product: 1, version: 1 });
releaseSchema.plugin(outboxPlugin);
releaseSchema.plugin(appliedEventsPlugin);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents are mapped by the repository
export type AnyModel = Model<any>;

export interface GatesModels {
  definitions: AnyModel;
  states: AnyModel;
  releases: AnyModel;
}

export function gatesModels(connection: Connection): GatesModels {
  const get = (name: string, schema: Schema) => connection.models[name] ?? connection.model(name, schema);
  return {
    definitions: get('GateDefinition', definitionSchema),
    states: get('GateState', gateStateSchema),
    releases: get('GatesRelease', releaseSchema),
  };
}
