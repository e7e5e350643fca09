import { useState } from 'react';
import { Markdown } from '../../components/Markdown.js';

const DOCS = [
  ['weeklyStatus', 'Weekly status'],
  ['scope', 'Scope'],
  ['releaseNotes', 'Release notes'],
] as const;

export function DocumentsSection({
  documents,
}: {
  documents: { scope: string; weeklyStatus: string; releaseNotes: string };
}) {
  const [shown, setShown] = useState<(typeof DOCS)[number][0]>('weeklyStatus');
  return (
    <section id="documents" tabIndex={-1} aria-labelledby="documents-h" className="card">
      <h2 id="documents-h">Documents</h2>
      <div role="tablist" aria-label="Documents" className="tabs">
        {DOCS.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            id={`tab-${key}`}
            aria-selected={shown === key}
            aria-controls={`doc-${key}`}
            onClick={() => setShown(key)}
          >
            {label}
          </button>
        ))}
      </div>
      {DOCS.filter(([key]) => key === shown).map(([key]) => (
        <div key={key} id={`doc-${key}`} role="tabpanel" aria-labelledby={`tab-${key}`} className="document">
          <Markdown>{documents[key]}</Markdown>
        </div>
      ))}
    </section>
  );
}
