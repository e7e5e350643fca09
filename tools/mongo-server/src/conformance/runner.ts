/** Runs every unified-format file under a directory against one MongoDB (or a fresh embedded server). */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { MongoClient } from 'mongodb';
import { startTarget } from './target.js';
import { detectServerInfo, type ServerInfo } from './requirements.js';
import { type CaseResult, runTest } from './run-test.js';
import { loadUnifiedFile } from './unified-format.js';

export interface ConformanceSummary {
  server: ServerInfo;
  results: CaseResult[];
  passed: number;
  failed: number;
  skipped: number;
}

export interface ConformanceOptions {
  /** A MongoDB connection string; without one a fresh embedded server is started for the run. */
  uri?: string;
  /** Per-test limit in milliseconds. */
  timeoutMs?: number;
  /** Called as each case finishes, e.g. to print failures as they happen. */
  onResult?: (result: CaseResult) => void;
}

/** Every `*.json` file under `dir`, recursively, in a stable order. */
export async function findTestFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function withServer<T>(uri: string | undefined, use: (uri: string) => Promise<T>): Promise<T> {
  const target = await startTarget(uri);
  try {
    return await use(target.uri);
  } finally {
    await target.stop();
  }
}

export async function runConformance(dir: string, options: ConformanceOptions = {}): Promise<ConformanceSummary> {
  const files = await findTestFiles(dir);
  if (files.length === 0) throw new Error(`no *.json test files under ${dir}`);
  return withServer(options.uri, async (uri) => {
    const internal = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
    await internal.connect();
    try {
      const server = await detectServerInfo(internal, uri);
      const results: CaseResult[] = [];
      const report = (result: CaseResult): void => {
        results.push(result);
        options.onResult?.(result);
      };
      for (const path of files) {
        const name = relative(dir, path);
        let file;
        try {
          file = await loadUnifiedFile(path);
        } catch (error) {
          report({ file: name, description: '(whole file)', status: 'failed', reason: (error as Error).message });
          continue;
        }
        for (const test of file.tests) {
          report(await runTest({ uri, internal, server, timeoutMs: options.timeoutMs ?? 10_000 }, name, file, test));
        }
      }
      const count = (status: CaseResult['status']): number => results.filter((r) => r.status === status).length;
      return { server, results, passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
    } finally {
      await internal.close();
    }
  });
}
