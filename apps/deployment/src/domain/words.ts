/** A count with its noun in the right number: "1 replica", "3 replicas", "0 replicas". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** The verb that agrees with a count: agree(1, 'is', 'are') is "is". */
export function agree(n: number, singular: string, plural: string): string {
  return n === 1 ? singular : plural;
}
