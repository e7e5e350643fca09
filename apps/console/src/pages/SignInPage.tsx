import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useClient } from 'urql';
import { apiMessages } from '../api/client.js';
import { useSession } from '../auth/SessionContext.js';
import { graphql } from '../gql/index.js';

// Answered by the gateway itself once it has verified the token.
const Check = graphql(`
  query SignInCheck {
    __typename
  }
`);

export function SignInPage() {
  const { signIn, signOut } = useSession();
  const client = useClient();
  const navigate = useNavigate();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const session = signIn(token);
      // The gateway verifies the token: a bad signature, issuer or audience is refused here, in its words.
      const answer = await client
        .query(
          Check,
          {},
          { fetchOptions: { headers: { authorization: `Bearer ${session.token}` } }, requestPolicy: 'network-only' },
        )
        .toPromise();
      if (answer.error) {
        signOut();
        setError(apiMessages(answer.error).join(' '));
        return;
      }
      navigate('/');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <p>
        Paste a token: for local use, the one <code>npm start</code> printed (or{' '}
        <code>npm run mint-token -- --user you --roles QA_LEAD</code>); otherwise a bearer token from your identity
        provider. Its <code>roles</code> claim decides which actions the console offers; the API decides what it allows.
      </p>
      <form onSubmit={submit}>
        <label htmlFor="token">Token</label>
        <textarea
          id="token"
          name="token"
          rows={5}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          required
          spellCheck={false}
          autoComplete="off"
        />
        {error && (
          <div role="alert" className="alert">
            {error}
          </div>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
      <p className="muted">The token stays in this browser tab (session storage) and goes only to this gateway.</p>
    </section>
  );
}
