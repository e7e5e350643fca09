import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableLog, type LogOp } from '../src/storage/durable-log.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function openLog(): { log: DurableLog; replay(): LogOp[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-log-'));
  dirs.push(dir);
  const { log } = DurableLog.open(dir, { logger: pino({ level: 'silent' }), apply: () => {}, snapshot: () => [] });
  return {
    log,
    replay() {
      const ops: LogOp[] = [];
      DurableLog.open(dir, { logger: pino({ level: 'silent' }), apply: (op) => ops.push(op), snapshot: () => [] });
      return ops;
    },
  };
}

const put = (id: number): LogOp => ({ o: 'put', db: 'd', c: 'c', docs: [{ _id: id }] });
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p.then(() => 'flushed'), new Promise((r) => setTimeout(() => r(`still waiting after ${ms} ms`), ms))]);

describe('group commit', () => {
  it('acknowledges a writer whose op went out with the batch already in flight when it asked to flush', async () => {
    const { log, replay } = openLog();
    // Two writers append; the second flushes first and starts the batch holding both ops; the first flushes while it is written.
    log.append(put(1));
    log.append(put(2));
    const second = log.flush();
    const first = log.flush();
    expect(await within(Promise.all([first, second]), 2000)).toBe('flushed');
    await log.close();
    expect(replay().flatMap((op) => (op.o === 'put' ? op.docs.map((d) => d._id) : []))).toEqual([1, 2]);
  });
});
