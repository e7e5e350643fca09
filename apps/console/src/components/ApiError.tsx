import type { CombinedError } from '@urql/core';
import { apiMessages } from '../api/client.js';

/** A refused or failed request, in the API's own words. */
export function ApiError({ error, action }: { error: CombinedError | undefined; action?: string }) {
  if (!error) return null;
  const messages = apiMessages(error);
  return (
    <div role="alert" className="alert">
      <strong>{action ? `${action} was refused` : 'The API answered with an error'}:</strong>
      {messages.length === 1 ? (
        <span> {messages[0]}</span>
      ) : (
        <ul>
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
