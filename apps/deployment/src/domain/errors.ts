/** A request the rules refuse (bad input, wrong phase, release not cleared); the message says what would be right. */
export class RolloutRuleError extends Error {
  override readonly name = 'RolloutRuleError';
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
