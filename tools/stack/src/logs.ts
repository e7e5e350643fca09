import { join, resolve } from 'node:path';
import pino, { type DestinationStream, type StreamEntry } from 'pino';
import pretty from 'pino-pretty';
import type { LOG_LEVELS } from '@flightdeck/config';

/** The levels the terminal shows: what someone trying Flightdeck must notice, not every request. */
const TERMINAL_LEVEL = 'warn';

export interface StackLogs {
  destination: DestinationStream;
  /** Every line at LOG_LEVEL, as JSON. */
  file: string;
}

/**
 * Where `npm start` logs: every line at LOG_LEVEL as JSON to `dataDir/flightdeck.log` (appended, for grep and jq),
 * and warnings and errors also to the terminal, one readable line each, beside the banner.
 */
export function stackLogs(dataDir: string, level: (typeof LOG_LEVELS)[number]): StackLogs {
  const file = join(resolve(dataDir), 'flightdeck.log');
  const streams: StreamEntry[] = [];
  if (level !== 'silent') {
    streams.push({ level, stream: pino.destination({ dest: file, mkdir: true, append: true, sync: true }) });
    streams.push({
      level: TERMINAL_LEVEL,
      stream: pretty({
        destination: 1,
        sync: true,
        colorize: process.stdout.isTTY,
        singleLine: true,
        translateTime: 'SYS:HH:MM:ss',
        messageFormat: '{service}: {msg}',
        ignore: 'pid,hostname,service,requestId,correlationId',
        // `error` is the sentence a refused operation gives (a string): shown inline; `err` objects get their stack.
        errorLikeObjectKeys: ['err'],
      }),
    });
  }
  return { destination: pino.multistream(streams), file };
}
