/**
 * Test helpers: a temporary directory per test file, file modes, and the printable forms of every
 * secret of a key ring (to check none leaks).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyRing } from '../src/index.js';
import { masterSecretOf } from '../src/key-ring.js';

/** A fresh temporary directory and its removal. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `hygie-keys-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Permission bits of a file, e.g. 0o600. */
export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

/** Hex, base64 and base64url forms of a key's bytes. */
export function printableForms(key: Buffer): string[] {
  return [
    key.toString('hex'),
    key.toString('hex').toUpperCase(),
    key.toString('base64'),
    key.toString('base64url'),
  ];
}

/** The printable forms of the master secret and of every key derived from it. */
export function secretForms(ring: KeyRing): string[] {
  const keys = [
    masterSecretOf(ring),
    ring.sourceNirKey(),
    ring.sourceNamespaceKey('hospital-a'),
    ...ring.platformKeys(),
    ring.providerKey(),
    ring.projectKey('p-001'),
    ring.logSigningSeed(),
    ring.logActorKey(),
  ];
  return keys.flatMap(printableForms);
}

/** Asserts-friendly: the secret forms found in a text. */
export function leakedIn(text: string, forms: readonly string[]): string[] {
  return forms.filter((f) => text.includes(f));
}
