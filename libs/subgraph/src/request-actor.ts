import { personOf, type Identity } from '@flightdeck/auth';
import { currentContext } from '@flightdeck/telemetry';

/** Who makes a request, as the records and events of a change keep it. */
export interface RequestActor {
  /** The token's subject: the identity key every rule and comparison uses. */
  by: string;
  /** The token's display name (the subject when it has none): for display only, never compared. */
  byName: string;
  correlationId?: string;
}

/** The caller of a mutation as records keep them, with the request's correlation id. */
export function requestActor(identity: Identity): RequestActor {
  const person = personOf(identity);
  const correlationId = currentContext()?.correlationId;
  return { by: person.subject, byName: person.name, ...(correlationId ? { correlationId } : {}) };
}
