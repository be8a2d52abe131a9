/**
 * The master key never sits in the data directory (DESIGN.md §4.5): whoever copies, backs up or
 * is handed the warehouse must not get the key that re-identifies it along with it.
 */
import { HygieError } from '@hygie/core';
import { isWithin, physicalPath } from './physical-path.js';

/**
 * Throws a `HYG_KEY_ERROR` when `file` would be inside `dataDir` (comparing physical paths, so
 * `..` segments and symbolic links cannot hide it). `what` names the file in the message.
 */
export function assertOutsideDataDir(file: string, dataDir: string, what = 'key file'): void {
  const target = physicalPath(file);
  const data = physicalPath(dataDir);
  if (isWithin(target, data)) {
    throw new HygieError(
      'HYG_KEY_ERROR',
      `refusing to put the ${what} ${file} inside the data directory ${dataDir}: ` +
        'keys must live outside the data directory and its backups; choose another path',
      { file, dataDir, reason: 'inside-data-dir' },
    );
  }
}
