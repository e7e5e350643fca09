import type { GateOutcomes, ReleaseClearance } from '../../application/ports.js';
import type { ReleaseGatesModel } from './rollout-model.js';

/** The gates that clear a release for production: the Production gate, or the hotfix gate for a hotfix. */
export const CLEARING_GATES = ['PRODUCTION', 'HOTFIX'];

/** The projection of gates events: the latest outcome per gate per release. */
export class MongoReleaseClearance implements ReleaseClearance, GateOutcomes {
  constructor(private readonly model: ReleaseGatesModel) {}

  async record(releaseId: string, gate: string, outcome: string, evaluationId: string, at: string): Promise<void> {
    // Only a later evaluation replaces an earlier one, so a redelivered or out-of-order event changes nothing.
    const path = `gates.${gate}`;
    await this.model
      .updateOne(
        { _id: releaseId, $or: [{ [path]: { $exists: false } }, { [`${path}.at`]: { $lte: at } }] },
        { $set: { [path]: { outcome, evaluationId, at } } },
      )
      .exec()
      .then(async (res) => {
        if (res.matchedCount === 0) {
          try {
            await this.model.create({ _id: releaseId, gates: { [gate]: { outcome, evaluationId, at } } });
          } catch (err) {
            if ((err as { code?: number }).code !== 11000) throw err; // exists with a later evaluation
          }
        }
      });
  }

  async clearance(releaseId: string): Promise<{ cleared: boolean; reason: string }> {
    const doc = await this.model.findById(releaseId).lean().exec();
    const gates = doc?.gates ?? {};
    const passed = CLEARING_GATES.find((g) => gates[g]?.outcome === 'PASS');
    if (passed)
      return { cleared: true, reason: `its ${passed} gate passed (evaluation ${gates[passed]!.evaluationId})` };
    const seen = CLEARING_GATES.filter((g) => gates[g]).map((g) => `${g} is ${gates[g]!.outcome}`);
    return {
      cleared: false,
      reason: seen.length
        ? `${seen.join(', ')}; the PRODUCTION gate (or HOTFIX gate for a hotfix) must PASS`
        : 'no PRODUCTION (or HOTFIX) gate has passed for it yet',
    };
  }
}
