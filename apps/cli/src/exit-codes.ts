/** Exit codes of `flightdeck`, for pipelines to branch on. */
export const EXIT = {
  PASS: 0,
  FAIL: 1,
  /** CONDITIONAL, or the wait timed out. */
  CONDITIONAL: 2,
  /** The command could not do its job: bad usage, no token, Flightdeck unreachable or refusing. */
  ERROR: 3,
} as const;
