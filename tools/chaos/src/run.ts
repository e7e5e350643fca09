/**
 * One chaos run: the stack, the releases and the faults for `minutes`, then the faults stop, the releases under way
 * finish, the stack catches up, and the invariants are checked. Everything drawn comes from `seed`; the seed is in
 * the report, so a failure can be replayed (the same releases and the same faults at the same moments; where a fault
 * lands inside a request still depends on timing).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@flightdeck/auth';
import { gatewayClient } from './client.js';
import { DEFAULT_SCALE, startFaultInjector, type FaultRecord, type FaultScale, type UnexpectedExit } from './faults.js';
import { consumerLags, readHistory } from './history.js';
import { logProblems, type ProcessProblems } from './log-problems.js';
import {
  clusterMatchesRollouts,
  eventsDelivered,
  noDuplicateEffects,
  noPromotionOnInconclusive,
  outboxesDrained,
  readStores,
  rolloutsConverge,
  stateExplainedByEvents,
  type InvariantResult,
} from './invariants.js';
import { seededRandom } from './random.js';
import { analyticsEqualsReplay } from './replay.js';
import { defineProductionGate, runReleases, type People, type ReleaseRecord } from './scenario.js';
import { startChaosStack } from './stack.js';

export interface ChaosOptions {
  seed: number;
  /** How long releases are started and faults injected. */
  minutes: number;
  lanes: number;
  /** Bound on one release from plan to a converged rollout. */
  releaseTimeoutMs: number;
  /** Bound on the stack catching up once the faults stop (outboxes empty, consumers caught up). */
  settleTimeoutMs: number;
  faultScale?: FaultScale;
  /** Injector loops running at once (their faults may overlap, never on the same part); 2 by default. */
  faultLoops?: number;
  /** Keep the run's directory (logs, stores) even when every invariant holds. */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface ChaosReport {
  seed: number;
  minutes: number;
  lanes: number;
  dir: string;
  faults: FaultRecord[];
  unexpectedExits: UnexpectedExit[];
  releases: ReleaseRecord[];
  /** From the faults' end to outboxes empty and consumers caught up. */
  settleMs: number;
  invariants: InvariantResult[];
  ok: boolean;
  /** When an invariant did not hold: each process's last warnings and errors. */
  problems?: ProcessProblems[];
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const log = opts.log ?? (() => undefined);
  const dir = await mkdtemp(join(tmpdir(), 'flightdeck-chaos-'));
  const secret = `chaos-${opts.seed}-secret-that-is-at-least-32-characters`;
  log(`seed ${opts.seed}: ${opts.minutes} min, ${opts.lanes} lanes; logs and stores in ${dir}`);
  const stack = await startChaosStack({ dir, secret, lanes: opts.lanes });
  let ok = false;
  try {
    const token = (subject: string, roles: Parameters<typeof mintToken>[0]['roles']) =>
      mintToken({ secret, subject, roles });
    const people: People = {
      rita: gatewayClient(stack.gatewayUrl, await token('rita', ['RELEASE_MANAGER', 'SRE'])),
      rob: gatewayClient(stack.gatewayUrl, await token('rob', ['RELEASE_MANAGER'])),
      pipeline: gatewayClient(
        stack.gatewayUrl,
        await mintToken({ secret, subject: 'pipeline', roles: ['CI'], machine: true }),
      ),
    };
    const windowFrom = new Date(Date.now() - 3_600_000).toISOString();
    await defineProductionGate(people, 60_000);

    const stopStarting = new AbortController();
    const loops = Array.from({ length: opts.faultLoops ?? 2 }, (_, i) =>
      seededRandom(i === 0 ? opts.seed : opts.seed * 7919 + i),
    );
    const injector = startFaultInjector(stack, loops, opts.faultScale ?? DEFAULT_SCALE, log);
    const releases = runReleases({
      people,
      randomFor: (lane) => seededRandom(opts.seed * 101 + lane + 1),
      lanes: opts.lanes,
      releaseTimeoutMs: opts.releaseTimeoutMs,
      signal: stopStarting.signal,
      onRelease: (r) =>
        log(
          `release ${r.version}: ${r.gatePath}, ${r.image} → ${r.error ? `not converged: ${r.error}` : `${r.phase}${r.action ? `, ${r.action}` : ''} after ${Math.round((r.convergedMs ?? 0) / 1000)} s`}`,
        ),
    });
    await new Promise((r) => setTimeout(r, opts.minutes * 60_000));
    stopStarting.abort();
    log('no new releases; stopping the faults');
    await injector.stop();
    log('faults stopped; waiting for the releases under way');
    const records = await releases;

    const settleStarted = Date.now();
    const settled = await settle(stack.natsUrl, stack.mongo.uri, stack.databases, opts.settleTimeoutMs);
    const settleMs = Date.now() - settleStarted;
    log(
      settled
        ? `caught up in ${settleMs} ms; checking the invariants`
        : `not caught up after ${settleMs} ms; checking the invariants anyway`,
    );

    const stores = await readStores(stack.mongo.uri, stack.databases);
    const history = await readHistory(stack.natsUrl);
    const invariants: InvariantResult[] = [
      eventsDelivered(history),
      outboxesDrained(stores),
      stateExplainedByEvents(stores, history),
      noDuplicateEffects(stores, history),
      noPromotionOnInconclusive(stores),
      rolloutsConverge(stores, records, opts.releaseTimeoutMs),
      await clusterMatchesRollouts(stores, stack.kubeconfig, opts.lanes),
    ];
    const releaseIds = (stores.collections.planning.releases ?? []).map((r) => String(r._id));
    invariants.push(
      await analyticsEqualsReplay(
        stack,
        releaseIds,
        { from: windowFrom, to: new Date(Date.now() + 3_600_000).toISOString() },
        opts.settleTimeoutMs,
      ),
    );
    ok = invariants.every((i) => i.checked && !i.violations.length);
    return {
      seed: opts.seed,
      minutes: opts.minutes,
      lanes: opts.lanes,
      dir,
      faults: injector.faults,
      unexpectedExits: injector.unexpectedExits,
      releases: records,
      settleMs,
      invariants,
      ok,
      ...(ok ? {} : { problems: await logProblems(dir) }),
    };
  } finally {
    await stack.stop();
    if (ok && !opts.keep) await rm(dir, { recursive: true, force: true });
  }
}

/** Waits for every outbox to be empty and every durable consumer to have acknowledged every event. */
async function settle(
  natsUrl: string,
  mongoUri: string,
  databases: Parameters<typeof readStores>[1],
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const lags = await consumerLags(natsUrl);
      if (
        lags.every((l) => !l.pending && !l.ackPending) &&
        !outboxesDrained(await readStores(mongoUri, databases)).violations.length
      )
        return true;
    } catch {
      // a part still coming back
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}
