/** A rule of the planning domain was broken by the caller's input; `field` names the offending input. */
export class PlanningRuleError extends Error {
  override readonly name = 'PlanningRuleError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}
