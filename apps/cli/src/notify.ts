import { ApiError, graphql, type ApiOptions } from './api.js';
import { EXIT } from './exit-codes.js';

export interface SubscribeOptions {
  product: string;
  audience: string;
  channel: string;
  cadence?: string;
  url?: string;
  to: string[];
  /** The name of the environment variable holding the webhook's shared secret (never the secret on the command line). */
  secretEnv?: string;
  json: boolean;
}

interface SubscriptionRow {
  id: string;
  product: string;
  audience: string;
  cadence: string;
  channel: string;
  destination: string;
}

interface DeliveryRow {
  id: string;
  audience: string;
  event: string;
  channel: string;
  destination: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

const SUBSCRIPTION = 'id product audience cadence channel destination';

/** A subscription in one line, as subscribe and unsubscribe report it. */
const describeSubscription = (s: SubscriptionRow) => `${s.audience} of ${s.product}, ${s.cadence}, ${s.destination}`;

/** Adds a channel to a product's communication plan; Flightdeck checks the target and names what is wrong. */
export async function subscribe(
  api: ApiOptions,
  opts: SubscribeOptions,
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<number> {
  let secret: string | undefined;
  if (opts.secretEnv) {
    secret = env[opts.secretEnv];
    if (!secret) throw new ApiError(`--secret-env ${opts.secretEnv}: that environment variable is not set or empty`);
  }
  const channel = {
    kind: opts.channel.toUpperCase(),
    ...(opts.url ? { url: opts.url } : {}),
    ...(opts.to.length ? { to: opts.to } : {}),
    ...(secret ? { secret } : {}),
  };
  const { subscribe: s } = await graphql<{ subscribe: SubscriptionRow }>(
    api,
    `mutation Subscribe($input: SubscribeInput!) { subscribe(input: $input) { ${SUBSCRIPTION} } }`,
    {
      input: {
        product: opts.product,
        audience: opts.audience.toUpperCase(),
        ...(opts.cadence ? { cadence: opts.cadence.toUpperCase() } : {}),
        channel,
      },
    },
  );
  out(opts.json ? JSON.stringify(s, null, 2) : `subscribed ${s.id}: ${describeSubscription(s)}`);
  return EXIT.PASS;
}

/** Removes a subscription from its product's communication plan, by the id `notify list` shows. */
export async function unsubscribe(
  api: ApiOptions,
  opts: { id: string; json: boolean },
  out: (line: string) => void,
): Promise<number> {
  const { unsubscribe: s } = await graphql<{ unsubscribe: SubscriptionRow }>(
    api,
    `mutation Unsubscribe($id: ID!) { unsubscribe(id: $id) { ${SUBSCRIPTION} } }`,
    { id: opts.id },
  );
  out(opts.json ? JSON.stringify(s, null, 2) : `unsubscribed ${s.id}: ${describeSubscription(s)}`);
  return EXIT.PASS;
}

interface AudienceRow {
  audience: string;
  receives: string;
  usualCadence: string;
  cadences: string[];
}

/** The audiences as the release process defines them: what each receives, its usual cadence, what it may choose. */
export async function listAudiences(api: ApiOptions, opts: { json: boolean }, out: (line: string) => void) {
  const { audiences } = await graphql<{ audiences: AudienceRow[] }>(
    api,
    'query Audiences { audiences { audience receives usualCadence cadences } }',
    {},
  );
  if (opts.json) out(JSON.stringify(audiences, null, 2));
  else
    for (const a of audiences)
      out(`${a.audience}  usually ${a.usualCadence}, may choose ${a.cadences.join(', ')}; receives ${a.receives}`);
  return EXIT.PASS;
}

export async function listSubscriptions(
  api: ApiOptions,
  opts: { product?: string; json: boolean },
  out: (line: string) => void,
): Promise<number> {
  const { subscriptions } = await graphql<{ subscriptions: SubscriptionRow[] }>(
    api,
    `query Subscriptions($product: String) { subscriptions(product: $product) { ${SUBSCRIPTION} } }`,
    { product: opts.product ?? null },
  );
  if (opts.json) out(JSON.stringify(subscriptions, null, 2));
  else if (!subscriptions.length) out('no subscriptions');
  else for (const s of subscriptions) out(`${s.id}  ${s.product}  ${s.audience}  ${s.cadence}  ${s.destination}`);
  return EXIT.PASS;
}

/** The delivery log of a release; exits 1 when a delivery FAILED, so a pipeline can tell. */
export async function listDeliveries(
  api: ApiOptions,
  opts: { release: string; json: boolean },
  out: (line: string) => void,
): Promise<number> {
  if (!opts.release.trim())
    throw new ApiError('--release is empty; give the release as product@version (e.g. shop@2.4.0) or its id');
  const { notificationDeliveries: rows } = await graphql<{ notificationDeliveries: DeliveryRow[] }>(
    api,
    `
      query Deliveries($release: String!) {
        notificationDeliveries(release: $release) {
          id
          audience
          event
          channel
          destination
          status
          attempts
          lastError
        }
      }
    `,
    { release: opts.release },
  );
  if (opts.json) out(JSON.stringify(rows, null, 2));
  else if (!rows.length) out(`no notifications about ${opts.release} yet`);
  else
    for (const d of rows)
      out(
        `${d.status.padEnd(8)} ${d.event}  ${d.audience}  ${d.destination}  attempts ${d.attempts}${d.lastError ? `  last error: ${d.lastError}` : ''}`,
      );
  return rows.some((d) => d.status === 'FAILED') ? EXIT.FAIL : EXIT.PASS;
}
