/**
 * The export format of the transparency log — what a citizen, a journalist or an auditor
 * downloads and checks offline with `verifyLogExport` and the log's public key.
 *
 * JSON Lines (UTF-8, one JSON value per line, `\n` separated):
 *
 * 1. a header: `{"type":"hygie-log-export/v1","logId":"<hex>","publicKey":"<SPKI PEM>"}`;
 * 2. one line per entry, in index order 0…n−1, exactly
 *    `{"type":"entry","index":<i>,"entry":<the entry in RFC 8785 canonical JSON>}` — the
 *    entry's leaf hash is SHA-256(0x00 ‖ those canonical bytes), so anyone can recompute it;
 * 3. every signed tree head stored when the export started, oldest first:
 *    `{"type":"sth","logId":…,"treeSize":…,"rootHash":…,"timestamp":…,"signature":…}`.
 *
 * A head signs (log id, size, root, time); its root must equal the Merkle Tree Hash (RFC 9162)
 * of the first `treeSize` entries.
 */
import type { SignedTreeHead } from '@hygie/core';

/** Type tag of the export header. */
export const LOG_EXPORT_TYPE = 'hygie-log-export/v1';

/** The header line. */
export function exportHeaderLine(logId: string, publicKeyPem: string): string {
  return JSON.stringify({ type: LOG_EXPORT_TYPE, logId, publicKey: publicKeyPem });
}

/** The line of entry `index`, from its canonical JSON text (kept byte for byte). */
export function exportEntryLine(index: number, canonicalEntry: string): string {
  return `{"type":"entry","index":${index},"entry":${canonicalEntry}}`;
}

/** The line of a signed tree head. */
export function exportHeadLine(sth: SignedTreeHead): string {
  return JSON.stringify({
    type: 'sth',
    logId: sth.logId,
    treeSize: sth.treeSize,
    rootHash: sth.rootHash,
    timestamp: sth.timestamp,
    signature: sth.signature,
  });
}

/** What an export wrote. */
export interface LogExportSummary {
  /** Entries written (the log's size when the export started). */
  entries: number;
  /** Signed tree heads written. */
  heads: number;
}
