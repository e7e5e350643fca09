/** The gate a release waits on: the first one, in order, that has not passed. */
export function nextGate<G extends { outcome?: string | null }>(gates: readonly G[]): G | undefined {
  return gates.find((g) => g.outcome !== 'PASS');
}
