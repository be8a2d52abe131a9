/**
 * Worker thread hashing files with SHA-256 for `hashFiles`: hashing a national extract (tens of
 * gigabytes) on every core instead of the main thread alone.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

const port = parentPort;
if (port) {
  const buf = Buffer.allocUnsafe(4 << 20);
  port.on('message', (path: string) => {
    try {
      const hash = createHash('sha256');
      const fd = openSync(path, 'r');
      let bytes = 0;
      try {
        for (;;) {
          const n = readSync(fd, buf, 0, buf.length, null);
          if (n === 0) break;
          hash.update(buf.subarray(0, n));
          bytes += n;
        }
      } finally {
        closeSync(fd);
      }
      port.postMessage({ path, bytes, sha256: hash.digest('hex') });
    } catch {
      port.postMessage({ path, error: true });
    }
  });
}
