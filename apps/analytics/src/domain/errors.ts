/** A request that breaks a rule of analytics; `field` names the input at fault. */
export class AnalyticsRuleError extends Error {
  override readonly name = 'AnalyticsRuleError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}
