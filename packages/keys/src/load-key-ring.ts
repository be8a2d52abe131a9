/**
 * How the platform starts: from the master key file, or from k trustee shares when the key is
 * held by trustees and no key file is kept (DESIGN.md §1.7).
 */
import { HygieError } from '@hygie/core';
import { assertOutsideDataDir } from './data-dir-guard.js';
import { combineShares } from './key-shares.js';
import type { KeyRing } from './key-ring.js';
import { readKeyFile } from './master-key-file.js';

/** Where the master key comes from. */
export type KeySource =
  { keyFile: string; dataDir?: string } | { shareFiles: readonly string[]; dataDir?: string };

/**
 * Loads the key ring from a key file or from share files. With `dataDir`, also refuses key
 * material found inside the data directory, where it must never be.
 */
export async function loadKeyRing(source: KeySource): Promise<KeyRing> {
  if ('keyFile' in source) {
    if (source.dataDir !== undefined) assertOutsideDataDir(source.keyFile, source.dataDir);
    return readKeyFile(source.keyFile);
  }
  if (source.shareFiles.length === 0) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'no share file given', { argument: 'shares' });
  }
  if (source.dataDir !== undefined) {
    for (const f of source.shareFiles) assertOutsideDataDir(f, source.dataDir, 'share file');
  }
  return combineShares(source.shareFiles);
}
