import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** tools/kube-sim as its own process (its CPU is not the measured service's), with `behaviours` (YAML) for its pods. */
export async function startKubeSimProcess(
  dir: string,
  timeScale: number,
  behaviours: string,
): Promise<{ url: string; kubeconfig: string; proc: ChildProcess }> {
  const behavioursFile = join(dir, 'behaviours.yaml');
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  await writeFile(behavioursFile, behaviours);
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'tools/kube-sim/src/main.ts'),
      '--port',
      '0',
      '--kubeconfig',
      kubeconfig,
      '--time-scale',
      String(timeScale),
      '--behaviours',
      behavioursFile,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('kube-sim did not start within 30 s')), 30_000);
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /ready (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.on('exit', (code) => reject(new Error(`kube-sim exited with ${code}`)));
  });
  return { url, kubeconfig, proc };
}
