/**
 * @hygie/keys — custody of the master key (DESIGN.md §3, §4.5): the key file (mode 0600, outside
 * the data directory), the key ring of derived keys, Shamir k-of-n shares for trustees, the
 * source key handed to data producers, and the platform key version of rotations.
 */
export { assertOutsideDataDir } from './data-dir-guard.js';
export {
  MASTER_SECRET_BYTES,
  type MasterKeyFile,
  type ShareFile,
  type SourceKeyFile,
} from './key-file-formats.js';
export { KeyRing, type KeyRingInfo } from './key-ring.js';
export {
  combineShares,
  readShareFile,
  shareFileName,
  splitKeyFile,
  splitKeyRing,
  type SplitOptions,
  type SplitResult,
} from './key-shares.js';
export { loadKeyRing, type KeySource } from './load-key-ring.js';
export {
  DEFAULT_DATA_DIR,
  DEFAULT_KEY_FILE,
  bumpPlatformKeyVersion,
  createKeyFile,
  readKeyFile,
  writeKeyFile,
} from './master-key-file.js';
export { physicalPath } from './physical-path.js';
export { type WriteSecretOptions } from './secret-file.js';
export { SourceKey, exportSourceKey, readSourceKey } from './source-key.js';
