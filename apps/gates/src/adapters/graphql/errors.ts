import { ConflictError } from '@flightdeck/persistence';
import { errorRule, mapDomainErrors } from '@flightdeck/subgraph';
import { GateForbiddenError, GateRuleError, NotFoundError } from '../../domain/index.js';
import { EvidenceParseError } from '../parsers/index.js';

/** The domain's errors as GraphQL errors with the codes clients branch on; anything else stays an internal error. */
const { mapped } = mapDomainErrors({
  rule: GateRuleError,
  notFound: NotFoundError,
  more: [
    errorRule(EvidenceParseError, 'BAD_USER_INPUT', {
      message: (err) => `evidence refused, nothing was stored: ${err.message}`,
      extensions: (err) => ({ file: err.file, line: err.line, column: err.column }),
    }),
    errorRule(GateForbiddenError, 'FORBIDDEN'),
    // Gates retries conflicts itself; one that still reaches the client is not about a revision the caller sent.
    errorRule(ConflictError, 'CONFLICT', { message: (err) => `${err.message} (gave up after several retries)` }),
  ],
});

export function guarded<T>(run: () => Promise<T>): Promise<T> {
  return mapped(run)();
}
