import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { logProblems } from '../src/log-problems.js';

let dir: string | undefined;
afterEach(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

it("takes each process's last warnings and errors from its pino log, skipping other lines", async () => {
  dir = await mkdtemp(join(tmpdir(), 'chaos-log-problems-'));
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(l.trimEnd()) });
  logger.info('gates serving GraphQL');
  for (let i = 1; i <= 8; i++) logger.warn({ err: new Error(`connection ${i} closed`) }, 'MongoDB disconnected');
  logger.error('handler failed for the last time; event sent to the dead letters');
  await writeFile(join(dir, 'gates.log'), [...lines, 'a line node printed on its own', '{ torn'].join('\n'));
  await writeFile(join(dir, 'planning.log'), JSON.stringify({ level: 30, msg: 'all well' }));

  const problems = await logProblems(dir, 3);
  expect(problems.map((p) => p.process)).toEqual(['gates']);
  expect(problems[0]!.lines.map((l) => l.replace(/^\S+ /, ''))).toEqual([
    'MongoDB disconnected: connection 7 closed',
    'MongoDB disconnected: connection 8 closed',
    'handler failed for the last time; event sent to the dead letters',
  ]);
});
