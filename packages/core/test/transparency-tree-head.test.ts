import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import {
  HygieError,
  TREE_HEAD_TYPE,
  ed25519KeyPairFromSeed,
  logIdOf,
  publicKeyFromPem,
  publicKeyPem,
  signTreeHead,
  treeHeadSignedBytes,
  verifyTreeHead,
} from '../src/index.js';
import type { SignedTreeHead, TreeHead } from '../src/index.js';

// RFC 8032 §7.1, test 1.
const SEED = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
const PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const EMPTY_SIG =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

const { privateKey, publicKey } = ed25519KeyPairFromSeed(SEED);
const head: TreeHead = {
  logId: logIdOf(publicKey),
  treeSize: 42,
  rootHash: 'ab'.repeat(32),
  timestamp: '2025-03-01T09:00:00.000Z',
};

test('the key pair from a seed is the RFC 8032 one; the log id hashes the raw public key', () => {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  assert.equal(der.subarray(12).toString('hex'), PUBLIC);
  assert.equal(sign(null, Buffer.alloc(0), privateKey).toString('hex'), EMPTY_SIG);
  assert.equal(
    logIdOf(publicKey),
    createHash('sha256').update(Buffer.from(PUBLIC, 'hex')).digest('hex'),
  );
  const pem = publicKeyPem(publicKey);
  assert.match(pem, /^-----BEGIN PUBLIC KEY-----/);
  assert.equal(logIdOf(publicKeyFromPem(pem)), logIdOf(publicKey));
  assert.throws(() => ed25519KeyPairFromSeed(Buffer.alloc(31)), HygieError);
  assert.throws(() => publicKeyFromPem('not a key'), HygieError);
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  assert.throws(() => publicKeyFromPem(pkcs8), HygieError);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
  assert.throws(
    () => publicKeyFromPem(rsa.export({ type: 'spki', format: 'pem' }) as string),
    HygieError,
  );
});

test('signed bytes are the canonical JSON of the typed head', () => {
  assert.equal(
    treeHeadSignedBytes(head).toString('utf8'),
    `{"logId":"${head.logId}","rootHash":"${'ab'.repeat(32)}","timestamp":"2025-03-01T09:00:00.000Z","treeSize":42,"type":"${TREE_HEAD_TYPE}"}`,
  );
});

test('a signed tree head verifies; any modified field, another key or a bad signature fails', () => {
  const sth = signTreeHead(head, privateKey);
  assert.ok(verifyTreeHead(sth, publicKey));
  assert.ok(verifyTreeHead(sth, publicKeyFromPem(publicKeyPem(publicKey))));
  const modified: SignedTreeHead[] = [
    { ...sth, treeSize: 43 },
    { ...sth, rootHash: 'ac' + 'ab'.repeat(31) },
    { ...sth, timestamp: '2025-03-01T09:00:00.001Z' },
    { ...sth, logId: 'cd'.repeat(32) },
    { ...sth, signature: Buffer.alloc(64).toString('base64') },
    { ...sth, signature: sth.signature.slice(0, -4) },
    { ...sth, signature: `${sth.signature} ` },
    { ...sth, treeSize: -1 },
    { ...sth, timestamp: '2025-03-01T09:00:00Z' },
  ];
  for (const m of modified) assert.ok(!verifyTreeHead(m, publicKey), JSON.stringify(m));
  const other = ed25519KeyPairFromSeed(Buffer.alloc(32, 7));
  assert.ok(!verifyTreeHead(sth, other.publicKey), 'another key');
  // Another key signing the same head under its own id does not pass for this log either.
  const forged = signTreeHead({ ...head, logId: logIdOf(other.publicKey) }, other.privateKey);
  assert.ok(verifyTreeHead(forged, other.publicKey));
  assert.ok(!verifyTreeHead({ ...forged, logId: head.logId }, publicKey));
  assert.ok(!verifyTreeHead(null as unknown as SignedTreeHead, publicKey));
});

test('signing refuses a malformed head or a key that is not an Ed25519 private key', () => {
  assert.throws(() => signTreeHead({ ...head, rootHash: 'AB'.repeat(32) }, privateKey), HygieError);
  assert.throws(() => signTreeHead({ ...head, treeSize: 1.5 }, privateKey), HygieError);
  assert.throws(
    () => signTreeHead({ ...head, timestamp: '2025-02-30T00:00:00.000Z' }, privateKey),
    HygieError,
  );
  assert.throws(() => signTreeHead(head, publicKey), HygieError);
});
