/**
 * HMAC-SHA-256 and the pseudonym formulas of `@hygie/core/pseudonym.ts`, written in SQL so that the
 * engine pseudonymises every distinct identifier in parallel instead of JavaScript doing it row by
 * row. The keys travel as bound parameters (HMAC padded keys, hex), never in the SQL text.
 */

/** SQL for HMAC-SHA-256(key, message) as lower-case hex; `ipad`/`opad` are parameter placeholders. */
export function hmacSql(ipad: string, opad: string, messageBlob: string): string {
  return `sha256(unhex(${opad}) || unhex(sha256(unhex(${ipad}) || ${messageBlob})))`;
}

/** SQL turning the first 16 hex digits of a hash into a positive 63-bit id (0 becomes 1). */
export function id63Sql(hashHex: string): string {
  const v = `(('0x' || substr(${hashHex}, 1, 16))::UBIGINT & 9223372036854775807)::BIGINT`;
  return `(CASE WHEN ${v} = 0 THEN 1::BIGINT ELSE ${v} END)`;
}

/** SQL turning hex digits 17–32 of a hash into a signed 64-bit integer (two's complement). */
export function signed64Sql(hashHex: string): string {
  const u = `('0x' || substr(${hashHex}, 17, 16))::UBIGINT::HUGEINT`;
  return `(CASE WHEN ${u} >= 9223372036854775808 THEN ${u} - 18446744073709551616 ELSE ${u} END)::BIGINT`;
}

/** SQL for a BIGINT as 8 big-endian bytes (BLOB), the message of a rotation step. */
export function bigintBlobSql(id: string): string {
  return `unhex(lpad(hex(${id}), 16, '0'))`;
}

/** The SQL pattern of a raw NIR after separators are removed: 13 characters or 15 with the key. */
export const NIR_SQL_PATTERN = '[12][0-9]{4}([0-9]{2}|2A|2B)[0-9]{6}([0-9]{2})?';

/** SQL: a NIR body's check key (97 − body mod 97), Corsica counted as 19/18. */
export function nirKeySql(body13: string): string {
  return `(97 - (replace(replace(${body13}, '2A', '19'), '2B', '18')::BIGINT % 97))`;
}
