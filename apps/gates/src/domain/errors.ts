/** A rule of the gates domain was broken by the caller's input; `field` names the offending input. */
export class GateRuleError extends Error {
  override readonly name = 'GateRuleError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The caller may not do this (CI approving, approving for a role not held, …). */
export class GateForbiddenError extends Error {
  override readonly name = 'GateForbiddenError';
}

/** The thing asked for does not exist. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}
