import type { Logger } from 'pino';

export interface ShutdownStep {
  name: string;
  run(): Promise<void>;
}

export interface ShutdownResult {
  reason: string;
  completed: string[];
  failed: string[];
  /** Steps that had not finished when the deadline passed (the running one and those never started). */
  unfinished: string[];
  timedOut: boolean;
}

export interface Shutdown {
  /** On SIGTERM or SIGINT: run the steps, then exit (0 when all finished, 1 otherwise). */
  install(opts?: { exit?: boolean }): void;
  /** Runs the steps once, in order, within the deadline; later calls return the same run. */
  run(reason: string): Promise<ShutdownResult>;
}

/**
 * Graceful shutdown: steps run in order (e.g. stop intake, drain NATS, finish in-flight work, close MongoDB).
 * A failing step is logged and the next one still runs; past the deadline it gives up and logs what did not finish.
 */
export function createShutdown(opts: { logger: Logger; deadlineMs: number; steps: ShutdownStep[] }): Shutdown {
  const { logger, deadlineMs, steps } = opts;
  let running: Promise<ShutdownResult> | undefined;

  async function runSteps(reason: string): Promise<ShutdownResult> {
    const started = Date.now();
    const deadline = started + deadlineMs;
    const result: ShutdownResult = { reason, completed: [], failed: [], unfinished: [], timedOut: false };
    logger.info({ reason, deadlineMs, steps: steps.map((s) => s.name) }, 'shutdown started');
    for (const [index, step] of steps.entries()) {
      const left = deadline - Date.now();
      const outcome = left > 0 ? await withinTime(step, left) : ('timeout' as const);
      if (outcome === 'timeout') {
        result.timedOut = true;
        result.unfinished = steps.slice(index).map((s) => s.name);
        logger.error(
          { reason, deadlineMs, unfinished: result.unfinished, completed: result.completed },
          `shutdown gave up after ${deadlineMs} ms: ${result.unfinished.join(', ')} did not finish`,
        );
        return result;
      }
      if (outcome === 'ok') {
        result.completed.push(step.name);
        logger.info({ step: step.name, elapsedMs: Date.now() - started }, `shutdown step done: ${step.name}`);
      } else {
        result.failed.push(step.name);
        logger.error({ step: step.name, err: outcome.error }, `shutdown step failed: ${step.name}`);
      }
    }
    logger.info(
      { reason, elapsedMs: Date.now() - started, completed: result.completed, failed: result.failed },
      'shutdown finished',
    );
    return result;
  }

  const run = (reason: string): Promise<ShutdownResult> => {
    running ??= runSteps(reason);
    return running;
  };

  return {
    run,
    install({ exit = true } = {}) {
      const onSignal = (signal: NodeJS.Signals) => {
        void run(signal).then((r) => {
          if (exit) process.exit(r.timedOut || r.failed.length > 0 ? 1 : 0);
        });
      };
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
    },
  };
}

async function withinTime(step: ShutdownStep, ms: number): Promise<'ok' | 'timeout' | { error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(() => step.run())
        .then(
          () => 'ok' as const,
          (error: unknown) => ({ error }),
        ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
