import type { Child, Exit } from './child.js';

/** etcd and kwok log JSON lines; the Kubernetes components log klog lines (`E1204 10:00:00.000000 1 file.go:12] msg`). */
function readable(line: string): string {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    try {
      const j = JSON.parse(trimmed) as Record<string, unknown>;
      const msg = String(j.msg ?? j.message ?? '');
      const err = j.error ?? j.err;
      return err ? `${msg}: ${String(err)}` : msg;
    } catch {
      return trimmed;
    }
  }
  return trimmed.replace(/^[EFWI]\d{4} [\d:.]+\s+\d+ [\w./-]+:\d+\]\s*/, '');
}

function isError(line: string): boolean {
  const t = line.trim();
  if (t.startsWith('{')) return /"level":"(error|fatal|panic|dpanic)"/i.test(t);
  return (
    /^[EF]\d{4} /.test(t) || /^(Error|error):/.test(t) || /\b(fatal|panic|failed|cannot|unable|invalid)\b/i.test(t)
  );
}

/** Why a component stopped or never got ready, in its own words: its last error lines, or its last lines. */
export function failureOf(child: Child, exit?: Exit): string {
  const lines = child.tail(60).filter((l) => l.trim());
  const errors = lines.filter(isError).map(readable);
  const said = (errors.length ? errors.slice(-4) : lines.slice(-4).map(readable)).filter(
    (l, i, all) => all.indexOf(l) === i,
  );
  const how = exit
    ? exit.signal
      ? `was killed by ${exit.signal}`
      : `exited with code ${exit.code}`
    : 'is still running';
  return `${child.name} ${how}${said.length ? `:\n  ${said.join('\n  ')}` : ' without saying why'}`;
}
