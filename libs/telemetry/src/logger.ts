import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { currentContext } from './context.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  service: string;
  level?: LevelWithSilent;
  /** Where JSON lines go; stdout when omitted. */
  destination?: DestinationStream;
}

/** A pino JSON logger that stamps every line with the service and the current request/correlation ids. */
export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: opts.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const ctx = currentContext();
        return ctx ? { requestId: ctx.requestId, correlationId: ctx.correlationId } : {};
      },
      redact: {
        paths: ['authorization', 'headers.authorization', 'req.headers.authorization', '*.password', '*.secret'],
        censor: '[redacted]',
      },
    },
    // Synchronous stdout: lines stay in order and none is lost when a shutdown ends with process.exit.
    opts.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}
