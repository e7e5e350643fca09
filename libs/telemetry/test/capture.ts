import { createLogger, type Logger } from '../src/index.js';

export type LogLine = Record<string, unknown> & { msg: string; level: string };

/** A real pino logger whose JSON lines are kept in memory for assertions. */
export function capturedLogger(service = 'test-service'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const destination = { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) };
  return { logger: createLogger({ service, level: 'debug', destination }), lines };
}
