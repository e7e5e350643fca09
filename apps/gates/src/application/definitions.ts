import { count, retryOnConflict, RuleError } from '@flightdeck/kernel';
import { gateTitle, parseGateDefinition, type GateDefinition } from '../domain/index.js';
import { nameOf, type GateChanges, type GatesDeps } from './gate-changes.js';
import type { Actor } from './ports.js';

/** A product's gates: the templates, and the versions its people define on top of them. */
export class GateDefinitions {
  constructor(
    private readonly deps: GatesDeps,
    private readonly changes: GateChanges,
  ) {}

  list(product: string): Promise<GateDefinition[]> {
    return this.changes.definitions(product);
  }

  async define(product: string, input: unknown, actor: Actor): Promise<GateDefinition> {
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(product))
      throw new RuleError(`product "${product}" is not a product name (letters, digits, ".", "_", "-")`, 'product');
    const parsed = parseGateDefinition(input);
    // Two definitions of the same gate at once: the one that loses the version is numbered again on a fresh read.
    return retryOnConflict(async () => {
      const existing = await this.list(product);
      const previous = existing.find((g) => g.name === parsed.name);
      for (const c of parsed.criteria) {
        if (c.kind === 'upstream' && !existing.some((g) => g.name === c.gate)) {
          throw new RuleError(
            `criterion ${c.id} needs the gate ${c.gate}, which ${product} does not have (it has ${existing.map((g) => g.name).join(', ')})`,
            'criteria',
          );
        }
      }
      const def: GateDefinition = {
        product,
        name: parsed.name,
        title: parsed.title ?? previous?.title ?? gateTitle(parsed.name),
        order: parsed.order ?? previous?.order ?? 100,
        appliesTo: parsed.appliesTo ?? previous?.appliesTo ?? 'STANDARD',
        criteria: parsed.criteria,
        approvals: parsed.approvals,
        fourEyes: parsed.fourEyes ?? previous?.fourEyes ?? false,
        version: (previous?.version ?? 0) + 1,
        definedBy: actor.subject,
        ...nameOf('definedByName', actor),
        definedAt: this.deps.clock.now(),
      };
      await this.deps.store.insertDefinition(
        def,
        this.changes.audit(actor, 'GATE_DEFINED', product, definedWhat(def, previous), { gate: def.name }),
      );
      return def;
    });
  }
}

/** The audit line of a definition: what it replaces, its criteria and its approvals. */
function definedWhat(def: GateDefinition, previous: GateDefinition | undefined): string {
  const which = previous ? `version ${def.version} replaces version ${previous.version}` : 'new gate';
  const criteria = `${count(def.criteria.length, 'criterion', 'criteria')} (${def.criteria.map((c) => c.id).join(', ')})`;
  const approvals = def.approvals.map((a) => `${a.count}× ${a.role}`).join(', ') || 'none';
  return `${which}: ${criteria}, approvals ${approvals}`;
}
