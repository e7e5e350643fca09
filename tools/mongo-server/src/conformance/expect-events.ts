/** expectEvents: the command-monitoring events a client saw, in number and order. */
import type { Document } from './bson-values.js';
import type { CommandEvent, EntityMap } from './entities.js';
import { match } from './matcher.js';
import type { ExpectedEventsForClient } from './unified-format.js';

function describe(e: CommandEvent): string {
  return `${e.kind.replace('Event', '')} ${e.event.commandName}`;
}

function eventMismatches(
  expected: Document,
  actual: CommandEvent,
  path: string,
  entity: (n: string) => unknown,
): string[] {
  const [kind, spec] = Object.entries(expected)[0] as [string, Document];
  if (kind !== actual.kind) return [`${path}: expected a ${kind}, got ${describe(actual)}`];
  const problems: string[] = [];
  const event = actual.event as unknown as Document;
  if (spec.commandName !== undefined && spec.commandName !== actual.event.commandName) {
    problems.push(`${path}.commandName: expected ${String(spec.commandName)}, got ${actual.event.commandName}`);
  }
  if (spec.databaseName !== undefined && spec.databaseName !== event.databaseName) {
    problems.push(`${path}.databaseName: expected ${String(spec.databaseName)}, got ${String(event.databaseName)}`);
  }
  if (spec.command !== undefined)
    problems.push(...match(spec.command, event.command, { root: true, entity, path: `${path}.command` }));
  if (spec.reply !== undefined)
    problems.push(...match(spec.reply, event.reply, { root: true, entity, path: `${path}.reply` }));
  if (spec.hasServiceId !== undefined && (event.serviceId !== undefined) !== spec.hasServiceId) {
    problems.push(`${path}.hasServiceId: expected ${String(spec.hasServiceId)}`);
  }
  if (spec.hasServerConnectionId !== undefined && (event.serverConnectionId != null) !== spec.hasServerConnectionId) {
    problems.push(`${path}.hasServerConnectionId: expected ${String(spec.hasServerConnectionId)}`);
  }
  return problems;
}

export function expectedEventsMismatches(expectations: ExpectedEventsForClient[], entities: EntityMap): string[] {
  const problems: string[] = [];
  const entity = (name: string): unknown => entities.value(name);
  for (const expected of expectations) {
    const actual = entities.client(expected.client).events;
    const where = `expectEvents(${expected.client})`;
    const countOk = expected.ignoreExtraEvents
      ? actual.length >= expected.events.length
      : actual.length === expected.events.length;
    if (!countOk) {
      problems.push(
        `${where}: expected ${expected.events.length} event(s)${expected.ignoreExtraEvents ? ' or more' : ''}, got ${actual.length}: [${actual.map(describe).join(', ')}]`,
      );
      continue;
    }
    expected.events.forEach((e, i) => problems.push(...eventMismatches(e, actual[i]!, `${where}[${i}]`, entity)));
  }
  return problems;
}
