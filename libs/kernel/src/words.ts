// Counts in sentences people read (decisions, explanations, errors): "1 canary replica", "3 canary replicas".

/** A count with its noun in the right number: count(1, 'replica') is "1 replica", count(0, 'replica') "0 replicas". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** The word that agrees with a count: agree(1, 'is', 'are') is "is". */
export function agree(n: number, singular: string, plural: string): string {
  return n === 1 ? singular : plural;
}
