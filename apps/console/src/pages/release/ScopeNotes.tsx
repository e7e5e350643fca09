export interface ScopeNoteFeature {
  id: string;
  title: string;
  breakingChange?: string | null;
  migration?: string | null;
  exclusion?: { reason: string; targetRelease?: string | null } | null;
}

/** What the scope document says besides the table: breaking changes with their migration, and what was left out and why. */
export function ScopeNotes({ features }: { features: readonly ScopeNoteFeature[] }) {
  const breaking = features.filter((f) => f.breakingChange);
  const excluded = features.filter((f) => f.exclusion);
  return (
    <>
      {breaking.length > 0 && (
        <>
          <h3>Breaking changes</h3>
          <ul>
            {breaking.map((f) => (
              <li key={f.id}>
                <strong>{f.title}</strong>: {f.breakingChange}
                {f.migration && <> Migration: {f.migration}</>}
              </li>
            ))}
          </ul>
        </>
      )}
      {excluded.length > 0 && (
        <>
          <h3>Left out</h3>
          <ul>
            {excluded.map((f) => (
              <li key={f.id}>
                <strong>{f.title}</strong>: {f.exclusion!.reason}
                {f.exclusion!.targetRelease && <> (planned for {f.exclusion!.targetRelease})</>}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
