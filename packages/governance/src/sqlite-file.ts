/**
 * The governance store's SQLite file: created with mode 0600 in a directory created 0700, before
 * SQLite opens it, so that it never exists with wider permissions (SQLite then creates its `-wal`
 * and `-shm` files with the database file's permissions). An existing file with group or world
 * access is narrowed to 0600.
 */
import { chmodSync, closeSync, constants, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HygieError } from '@hygie/core';

/** Default file name of the store inside the data directory. */
export const GOVERNANCE_SQLITE_FILE = 'governance.sqlite';

/** The default store file of a data directory: `<data-dir>/governance.sqlite`. */
export function governanceSqliteFile(dataDir: string): string {
  return join(dataDir, GOVERNANCE_SQLITE_FILE);
}

/** Creates (if needed) the file with mode 0600; narrows an existing one. */
export function prepareSqliteFile(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const fd = openSync(file, constants.O_CREAT | constants.O_RDWR | constants.O_NOFOLLOW, 0o600);
    closeSync(fd);
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch (e) {
    throw new HygieError(
      'HYG_IO_ERROR',
      'cannot create the governance store file',
      { reason: 'store-file' },
      { cause: e },
    );
  }
}
