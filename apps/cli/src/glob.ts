import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const MAX_FILES = 2000;

/** A glob as a regular expression: `**` any depth, `*` and `?` within a segment, `{a,b}` alternatives, `[...]` classes. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((p) => p.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('|')})`;
        i = end;
      }
    } else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += glob.slice(i, end + 1).replace(/^\[!/, '[^');
        i = end;
      }
    } else re += /[.+^$()|\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`);
}

/** Files matching a glob, relative to `cwd` unless the glob is absolute; sorted, at most 2000. */
export function expandGlob(pattern: string, cwd = process.cwd()): string[] {
  const glob = pattern.split(sep).join('/');
  if (!/[*?[{]/.test(glob)) {
    try {
      return statSync(join(cwd, glob)).isFile() || statSync(glob).isFile() ? [pattern] : [];
    } catch {
      return [];
    }
  }
  const parts = glob.split('/');
  const firstMagic = parts.findIndex((p) => /[*?[{]/.test(p));
  const base = parts.slice(0, firstMagic).join('/') || (glob.startsWith('/') ? '/' : '.');
  const root = glob.startsWith('/') ? base : join(cwd, base);
  const re = globToRegExp(parts.slice(firstMagic).join('/'));
  let entries: string[];
  try {
    entries = readdirSync(root, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort()) {
    const rel = e.split(sep).join('/');
    if (!re.test(rel)) continue;
    const full = join(root, e);
    if (!statSync(full).isFile()) continue;
    out.push(glob.startsWith('/') ? full : relative(cwd, full) || full);
    if (out.length >= MAX_FILES) break;
  }
  return out;
}
