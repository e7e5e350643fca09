import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ProcessProblems {
  /** The log file's name without `.log`: the process and its start. */
  process: string;
  /** Its last warnings and errors, oldest first: time, message and the error's message. */
  lines: string[];
}

const WARN = 40;

/**
 * The last warnings and errors in each process's log of a run, for a failed run's summary: the run directory stays
 * on the machine that ran it, so what the summary prints is all a CI reader gets.
 */
export async function logProblems(dir: string, perProcess = 6): Promise<ProcessProblems[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.log')).sort();
  const out: ProcessProblems[] = [];
  for (const file of files) {
    const lines: string[] = [];
    for (const text of (await readFile(join(dir, file), 'utf8')).split('\n')) {
      if (!text.startsWith('{')) continue;
      let entry: { level?: number; time?: number; msg?: string; err?: { message?: string } };
      try {
        entry = JSON.parse(text) as typeof entry;
      } catch {
        continue;
      }
      if ((entry.level ?? 0) < WARN) continue;
      const at = entry.time ? new Date(entry.time).toISOString().slice(11, 23) : '?';
      const err = entry.err?.message ? `: ${entry.err.message}` : '';
      lines.push(`${at} ${entry.msg ?? ''}${err}`.slice(0, 240));
    }
    if (lines.length) out.push({ process: file.replace(/\.log$/, ''), lines: lines.slice(-perProcess) });
  }
  return out;
}
