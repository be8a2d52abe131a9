/**
 * The transparency log's pure part (issue #6): RFC 8785 canonical JSON, the RFC 9162 Merkle tree
 * (hashes, proofs, verification), the incremental frontier, signed tree heads and the log entry.
 * The store, the export and the offline verifier live in `@hygie/governance`.
 */
export * from './canonical-json.js';
export * from './merkle.js';
export * from './compact-range.js';
export * from './tree-head.js';
export * from './log-entry.js';
