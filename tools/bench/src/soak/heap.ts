import { readFile } from 'node:fs/promises';

export interface HeapSample {
  /** ms since the epoch */
  t: number;
  heapUsed: number;
  rss: number;
}

export interface HeapFigures {
  samples: number;
  /** Heap after GC at the end of the warm-up and at the end of the run (MB; the median of three samples each). */
  startMb: number;
  endMb: number;
  growthMb: number;
  maxMb: number;
  /** Least-squares slope of heap after GC over the run after the warm-up, MB per minute. */
  slopeMbPerMinute: number;
  rssEndMb: number;
}

export async function readHeapSamples(file: string): Promise<HeapSample[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as HeapSample);
}

const mb = (bytes: number) => bytes / (1024 * 1024);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Heap after GC from `from` (the end of the warm-up, ms since the epoch) on; undefined with fewer than two samples. */
export function heapFigures(all: HeapSample[], from: number): HeapFigures | undefined {
  const samples = all.filter((s) => s.t >= from);
  if (samples.length < 2) return undefined;
  const heap = samples.map((s) => mb(s.heapUsed));
  const edge = Math.min(3, Math.floor(samples.length / 2));
  const startMb = median(heap.slice(0, edge));
  const endMb = median(heap.slice(-edge));
  const minutes = samples.map((s) => (s.t - samples[0]!.t) / 60_000);
  const mx = minutes.reduce((a, b) => a + b, 0) / minutes.length;
  const my = heap.reduce((a, b) => a + b, 0) / heap.length;
  const sxx = minutes.reduce((a, x) => a + (x - mx) ** 2, 0);
  const sxy = minutes.reduce((a, x, i) => a + (x - mx) * (heap[i]! - my), 0);
  return {
    samples: samples.length,
    startMb,
    endMb,
    growthMb: endMb - startMb,
    maxMb: Math.max(...heap),
    slopeMbPerMinute: sxx > 0 ? sxy / sxx : 0,
    rssEndMb: mb(samples.at(-1)!.rss),
  };
}
