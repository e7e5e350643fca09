import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { can } from '../auth/permissions.js';
import { useSession } from '../auth/SessionContext.js';
import { ApiError } from '../components/ApiError.js';
import { graphql } from '../gql/index.js';
import type { HotfixReason } from '../gql/graphql.js';

const Create = graphql(`
  mutation CreateRelease($input: CreateReleaseInput!) {
    createRelease(input: $input) {
      id
    }
  }
`);

const REASONS: HotfixReason[] = [
  'PRODUCTION_DOWN',
  'CRITICAL_SECURITY_VULNERABILITY',
  'DATA_CORRUPTION_OR_LOSS',
  'MAJOR_SLA_BREACH',
  'COMPLIANCE_VIOLATION',
];

export function NewReleasePage() {
  const { session } = useSession();
  const navigate = useNavigate();
  const [result, create] = useMutation(Create);
  const [form, setForm] = useState({
    product: '',
    version: '',
    theme: '',
    owner: session?.subject ?? '',
    targetDate: '',
    hotfixReason: '',
    hotfixDetails: '',
  });
  const hotfix = /-hotfix/.test(form.version);
  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = {
      product: form.product.trim(),
      version: form.version.trim(),
      theme: form.theme.trim(),
      owner: form.owner.trim(),
      targetDate: `${form.targetDate}T00:00:00Z`,
      ...(hotfix && form.hotfixReason
        ? { hotfixReason: form.hotfixReason as HotfixReason, hotfixDetails: form.hotfixDetails }
        : {}),
    };
    const answer = await create({ input });
    if (answer.data) navigate(`/releases/${answer.data.createRelease.id}`);
  }

  if (!can(session, 'createRelease')) {
    return (
      <section className="narrow">
        <h1>New release</h1>
        <p>
          Creating a release needs the Release Manager role.{' '}
          {session ? 'Your token does not carry it.' : <Link to="/sign-in">Sign in</Link>}
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>New release</h1>
      <form onSubmit={submit} className="stack">
        <label>
          Product <input {...field('product')} required placeholder="shop" />
        </label>
        <label>
          Version <input {...field('version')} required placeholder="2.4.0" aria-describedby="version-help" />
        </label>
        <p id="version-help" className="muted">
          The type follows from the version: X.0.0 major, X.Y.0 minor, X.Y.Z patch, X.Y.Z-hotfix hotfix.
        </p>
        <label>
          Theme <input {...field('theme')} required placeholder="One-page checkout" />
        </label>
        <label>
          Owner <input {...field('owner')} required />
        </label>
        <label>
          Target date <input type="date" {...field('targetDate')} required />
        </label>
        {hotfix && (
          <fieldset>
            <legend>Why a hotfix</legend>
            <label>
              Reason
              <select {...field('hotfixReason')} required>
                <option value="">Choose…</option>
                {REASONS.map((r) => (
                  <option key={r} value={r}>
                    {r.replace(/_/g, ' ').toLowerCase()}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Details <input {...field('hotfixDetails')} required />
            </label>
          </fieldset>
        )}
        <ApiError error={result.error} action="Creating the release" />
        <button type="submit" disabled={result.fetching}>
          Create release
        </button>
      </form>
    </section>
  );
}
