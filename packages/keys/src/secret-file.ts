/**
 * Files holding secrets (master key, shares, source key): created with mode 0600 from the first
 * byte, never left half-written, and refused on reading when other users could read them (as ssh
 * refuses a private key with loose permissions).
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { HygieError } from '@hygie/core';
import { assertOutsideDataDir } from './data-dir-guard.js';

/** How a secret file is written. */
export interface WriteSecretOptions {
  /** Replace an existing file (atomically). Without it an existing file is an error. */
  force?: boolean;
  /** The data directory the file must stay out of (DESIGN.md §4.5). */
  dataDir?: string;
}

/** Secret files are a few hundred bytes; anything much larger is not one. */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** Permission bits of group and others: any of them set makes a secret file unsafe. */
const GROUP_OTHER_BITS = 0o077;

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

function ioError(action: string, path: string, e: unknown): HygieError {
  // Only the errno code is kept: it is safe, and the message of some errors quotes arguments.
  const code = errorCode(e) ?? 'unknown';
  return new HygieError('HYG_IO_ERROR', `cannot ${action} ${path} (${code})`, {
    file: path,
    errno: code,
  });
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone or never created: nothing to clean.
  }
}

/** Writes all of `data` to `fd`, makes it 0600 and durable. */
function fill(fd: number, data: Buffer): void {
  // umask can only remove bits from the mode given to open(); set exactly 0600 in case it removed
  // the owner's own read bit.
  fchmodSync(fd, 0o600);
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
  fsyncSync(fd);
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems cannot fsync a directory; the rename itself is still atomic.
  }
}

/**
 * Writes a secret file: mode 0600 from creation (`open` with `O_CREAT | O_EXCL`, so no other
 * user can ever open it), its directory created 0700 if missing. Refuses to overwrite unless
 * `force`; with `force` the new content goes to a temporary 0600 file renamed over the old one, so
 * a reader sees either the old or the new file, never a mix. Refuses a path inside `dataDir`.
 */
export function writeSecretFile(
  path: string,
  text: string,
  options: WriteSecretOptions = {},
  what = 'key file',
): void {
  if (options.dataDir !== undefined) assertOutsideDataDir(path, options.dataDir, what);
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw ioError('create the directory of', path, e);
  }
  // The directory exists now: check again in case a link on the way resolves differently.
  if (options.dataDir !== undefined) assertOutsideDataDir(path, options.dataDir, what);
  const data = Buffer.from(text, 'utf8');
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  try {
    if (options.force === true) {
      const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
      const fd = openSync(tmp, flags, 0o600);
      try {
        fill(fd, data);
      } catch (e) {
        closeSync(fd);
        tryUnlink(tmp);
        throw e;
      }
      closeSync(fd);
      try {
        renameSync(tmp, path);
      } catch (e) {
        tryUnlink(tmp);
        throw e;
      }
    } else {
      let fd: number;
      try {
        fd = openSync(path, flags, 0o600);
      } catch (e) {
        if (errorCode(e) === 'EEXIST') {
          throw new HygieError(
            'HYG_CONFLICT',
            `${path} already exists; refusing to overwrite it (use --force to replace it)`,
            { file: path },
          );
        }
        throw e;
      }
      try {
        fill(fd, data);
      } catch (e) {
        closeSync(fd);
        tryUnlink(path);
        throw e;
      }
      closeSync(fd);
    }
  } catch (e) {
    if (e instanceof HygieError) throw e;
    throw ioError('write', path, e);
  } finally {
    data.fill(0);
  }
  syncDirectory(dir);
}

/**
 * Reads a secret file as text. Refuses (`HYG_KEY_ERROR`) a file that group or others may access,
 * with the command that fixes it, before reading a byte of it; `HYG_KEY_NOT_FOUND` when missing.
 */
export function readSecretFile(path: string, what = 'key file'): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') {
      throw new HygieError('HYG_KEY_NOT_FOUND', `${what} ${path} not found`, { file: path });
    }
    throw ioError('open', path, e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      throw new HygieError('HYG_KEY_ERROR', `${what} ${path} is not a regular file`, {
        file: path,
        reason: 'not-a-file',
      });
    }
    // POSIX permissions only mean something on POSIX systems.
    if (process.platform !== 'win32' && (st.mode & GROUP_OTHER_BITS) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      throw new HygieError(
        'HYG_KEY_ERROR',
        `${what} ${path} is accessible by other users (mode ${mode}); ` +
          `restrict it with: chmod 600 ${path}`,
        { file: path, mode, reason: 'insecure-permissions' },
      );
    }
    if (st.size > MAX_SECRET_FILE_BYTES) {
      throw new HygieError('HYG_KEY_ERROR', `${what} ${path} is too large to be one`, {
        file: path,
        reason: 'too-large',
      });
    }
    try {
      return readFileSync(fd, 'utf8');
    } catch (e) {
      throw ioError('read', path, e);
    }
  } finally {
    closeSync(fd);
  }
}
