/**
 * The seeded fault injector: one fault at a time, at random gaps, each drawn from the seed: a service or the gateway
 * SIGKILLed and started again after a while (as Kubernetes would), nats-server stopped and started on its JetStream
 * store, the MongoDB-wire server SIGKILLed for several seconds (its durable log keeps every acknowledged write), and
 * Prometheus taken away for a while (it comes back with no samples). A process that exits on its own is noted and
 * started again, like a pod's container restart.
 */
import type { Random } from './random.js';
import type { ChaosStack, ProcessName } from './stack.js';

export type FaultKind = 'kill-service' | 'freeze-service' | 'restart-nats' | 'stop-mongo' | 'stop-prometheus';

export interface FaultRecord {
  /** Which of the injector's loops drew it (each has its own seeded stream). */
  loop: number;
  /** Milliseconds since the injector started. */
  atMs: number;
  kind: FaultKind;
  target: string;
  /** How long the part was away, as drawn. */
  downMs: number;
  /** From the fault to the part answering again. */
  recoveredMs?: number;
  error?: string;
}

export interface UnexpectedExit {
  atMs: number;
  process: string;
  code: number | null;
  signal: string | null;
  logTail: string;
}

export interface FaultScale {
  /** Gap between two faults, milliseconds. */
  gapMs: [number, number];
  serviceDownMs: [number, number];
  /** A frozen (SIGSTOP) service: long enough, at the top, for JetStream to redeliver what it had not acknowledged. */
  freezeMs: [number, number];
  natsDownMs: [number, number];
  mongoDownMs: [number, number];
  prometheusDownMs: [number, number];
}

export const DEFAULT_SCALE: FaultScale = {
  gapMs: [1_000, 6_000],
  serviceDownMs: [200, 3_000],
  freezeMs: [2_000, 40_000],
  natsDownMs: [1_000, 5_000],
  mongoDownMs: [3_000, 8_000],
  prometheusDownMs: [8_000, 25_000],
};

const KINDS: { kind: FaultKind; weight: number }[] = [
  { kind: 'kill-service', weight: 6 },
  { kind: 'freeze-service', weight: 1 },
  { kind: 'restart-nats', weight: 1.5 },
  { kind: 'stop-mongo', weight: 1.5 },
  { kind: 'stop-prometheus', weight: 1 },
];
const PROCESSES: ProcessName[] = ['planning', 'gates', 'deployment', 'analytics', 'gateway'];

/** The next fault: its kind (by weight), its target and how long the part stays away. */
export function drawFault(random: Random, scale: FaultScale): { kind: FaultKind; target: string; downMs: number } {
  const total = KINDS.reduce((sum, k) => sum + k.weight, 0);
  let x = random.int(0, Math.round(total * 1000) - 1) / 1000;
  let kind = KINDS[0]!.kind;
  for (const k of KINDS) {
    if (x < k.weight) {
      kind = k.kind;
      break;
    }
    x -= k.weight;
  }
  const target =
    kind === 'kill-service' || kind === 'freeze-service' ? random.pick(PROCESSES) : kind.replace(/^\w+-/, '');
  const ranges: Record<FaultKind, [number, number]> = {
    'kill-service': scale.serviceDownMs,
    'freeze-service': scale.freezeMs,
    'restart-nats': scale.natsDownMs,
    'stop-mongo': scale.mongoDownMs,
    'stop-prometheus': scale.prometheusDownMs,
  };
  const range = ranges[kind];
  return { kind, target, downMs: random.int(range[0], range[1]) };
}

export interface FaultInjector {
  faults: FaultRecord[];
  unexpectedExits: UnexpectedExit[];
  /** Stops injecting, waits for the fault under way to heal, and leaves every part running. */
  stop(): Promise<void>;
}

/**
 * Starts one injector loop per random source: faults of different loops may overlap (a service killed while
 * MongoDB is away), but a part is never the target of two faults at once (a loop waits for its target to be back).
 */
export function startFaultInjector(
  stack: ChaosStack,
  randoms: Random[],
  scale: FaultScale = DEFAULT_SCALE,
  log: (line: string) => void = () => undefined,
): FaultInjector {
  const started = Date.now();
  const faults: FaultRecord[] = [];
  const unexpectedExits: UnexpectedExit[] = [];
  let stopping = false;
  /** Processes the injector itself has taken down: their exit is expected. */
  const takenDown = new Set<string>();
  /** Targets of a fault under way. */
  const busy = new Set<string>();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const inject = async (fault: FaultRecord): Promise<void> => {
    const t0 = Date.now();
    switch (fault.kind) {
      case 'kill-service': {
        const proc = stack.processes[fault.target as ProcessName];
        takenDown.add(fault.target);
        try {
          await proc.kill('SIGKILL');
          await sleep(fault.downMs);
          await proc.start();
        } finally {
          takenDown.delete(fault.target);
        }
        break;
      }
      case 'freeze-service': {
        const child = stack.processes[fault.target as ProcessName].child;
        child.kill('SIGSTOP');
        await sleep(fault.downMs);
        child.kill('SIGCONT');
        break;
      }
      case 'restart-nats':
        await stack.nats.restart({ downMs: fault.downMs });
        break;
      case 'stop-mongo':
        await stack.mongo.kill();
        await sleep(fault.downMs);
        await stack.mongo.start();
        break;
      case 'stop-prometheus':
        await stack.prometheus.stop();
        await sleep(fault.downMs);
        await stack.prometheus.start();
        break;
    }
    fault.recoveredMs = Date.now() - t0;
  };

  // Every kind and target is drawn from the loop's seeded stream before the fault runs, so a seed gives the same sequence.
  const loops = randoms.map(async (random, loop) => {
    while (!stopping) {
      await sleep(random.int(scale.gapMs[0], scale.gapMs[1]));
      const drawn = drawFault(random, scale);
      while (!stopping && (busy.has(drawn.target) || takenDown.has(drawn.target))) await sleep(250);
      if (stopping) break;
      const fault: FaultRecord = { loop, atMs: Date.now() - started, ...drawn };
      faults.push(fault);
      busy.add(fault.target);
      log(`fault ${faults.length}: ${fault.kind} ${fault.target} for ${fault.downMs} ms`);
      await inject(fault)
        .catch((err: unknown) => {
          fault.error = (err as Error).message.slice(0, 2000);
          log(`fault ${fault.kind} ${fault.target} did not heal: ${fault.error}`);
        })
        .finally(() => busy.delete(fault.target));
    }
  });

  // A process that died without the injector is restarted (as a pod's container would be) and reported.
  const watch = setInterval(() => {
    for (const name of PROCESSES) {
      const proc = stack.processes[name];
      const child = proc.child;
      if (takenDown.has(name) || (child.exitCode === null && child.signalCode === null)) continue;
      takenDown.add(name);
      unexpectedExits.push({
        atMs: Date.now() - started,
        process: name,
        code: child.exitCode,
        signal: child.signalCode,
        logTail: proc.log().slice(-3000),
      });
      log(`${name} exited on its own (${child.exitCode ?? child.signalCode}); starting it again`);
      void proc
        .start()
        .catch((err: unknown) => log(`${name} did not start again: ${(err as Error).message.slice(0, 500)}`))
        .finally(() => takenDown.delete(name));
    }
  }, 500);

  return {
    faults,
    unexpectedExits,
    async stop() {
      stopping = true;
      await Promise.all(loops);
      // Whatever is still down (a failed restart) comes back before the invariants are checked.
      if (!stack.mongo.running()) await stack.mongo.start();
      if (!stack.prometheus.running()) await stack.prometheus.start();
      while (takenDown.size) await sleep(200);
      clearInterval(watch);
      for (const name of PROCESSES) {
        const proc = stack.processes[name];
        if (proc.child.exitCode !== null || proc.child.signalCode !== null) await proc.start();
      }
    },
  };
}
