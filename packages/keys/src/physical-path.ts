/**
 * Physical paths: where a path really points once every symbolic link and `..` is resolved the
 * way the kernel would, even when its last components do not exist yet. Used to tell whether a
 * key file would land inside the data directory — a lexical comparison would be fooled by
 * `hygie-data/../hygie-data/x` or by a symlink pointing into the data directory.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { HygieError } from '@hygie/core';

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

/**
 * The physical absolute form of `path`. Existing components are resolved with `realpath` one at a
 * time (so `link/..` goes to the link target's parent, as the kernel does); from the first missing
 * component on, the rest is joined as is. A dangling symbolic link on the way is refused: writing
 * through it would create a file at a place this function could not predict.
 */
export function physicalPath(path: string): string {
  const absolute = isAbsolute(path) ? path : `${process.cwd()}${sep}${path}`;
  let current = realpathSync(sep);
  let exists = true;
  for (const part of absolute.split(sep)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, part);
    if (exists) {
      try {
        current = realpathSync(next);
        continue;
      } catch (e) {
        const code = errorCode(e);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
        let dangling = false;
        try {
          dangling = lstatSync(next).isSymbolicLink();
        } catch {
          // Missing: the normal case of a file or directory still to be created.
        }
        if (dangling) {
          throw new HygieError(
            'HYG_KEY_ERROR',
            `${next} is a symbolic link to a missing target; refusing to write through it`,
            { path: next, reason: 'dangling-symlink' },
          );
        }
        exists = false;
      }
    }
    current = next;
  }
  return current;
}

/** True when `inner` is `outer` or lies below it (both physical absolute paths). */
export function isWithin(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  return inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}
