/**
 * Loaded into each service process of the soak (`node --expose-gc --import tsx --import <this file>`): every
 * SOAK_HEAP_SAMPLE_MS it runs a full garbage collection and appends the heap still in use (and the RSS) to
 * SOAK_HEAP_FILE as one JSON line, so the soak reads heap after GC without touching the service's code.
 * Without both variables it does nothing.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.SOAK_HEAP_FILE;
const everyMs = Number(process.env.SOAK_HEAP_SAMPLE_MS ?? 0);
const gc = (globalThis as { gc?: () => void }).gc;

if (file && everyMs > 0) {
  if (!gc)
    throw new Error('heap-probe: start node with --expose-gc (SOAK_HEAP_FILE is set, so a heap after GC is expected)');
  const sample = () => {
    gc();
    const { heapUsed, rss } = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ t: Date.now(), heapUsed, rss })}\n`);
  };
  setInterval(sample, everyMs).unref();
}
