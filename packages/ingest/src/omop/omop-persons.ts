/**
 * Persons of an OMOP export, pseudonymised at the border, in SQL:
 *
 * - a person whose `person_source_value` holds a NIR (13 or 15 characters, separators allowed) or
 *   a 17-character source pseudonym is identified by it, with no namespace: it links with the same
 *   person from the SNDS, FHIR or any other source;
 * - any other person (a hospital number, nothing) is pseudonymised from the export's `person_id`
 *   inside the batch source's namespace: it links within that source only;
 * - event rows name persons by the export's `person_id`: they resolve through the staged person
 *   table, or — for a person of this source published by an earlier batch — through the source
 *   namespace and the warehouse. Rows whose person resolves to nobody are quarantined.
 *
 * The export's identifiers live only in the batch's temporary tables.
 */
import type { WarehouseSession } from '@hygie/warehouse';
import { IDENT_TABLE, buildPersonMap, type PersonMapReport } from '../person-map.js';
import type { PseudonymKeys } from '../pseudonym-keys.js';
import { NIR_SQL_PATTERN } from '../sql-hmac.js';
import { OMOP_EVENT_TABLES, OMOP_STAGING } from './omop-tables.js';
import { tagDuplicates, tagRows } from './omop-tags.js';

const PERSON = OMOP_STAGING.person.stage;

/** SQL: whether a `person_source_value` is a cross-source identifier (NIR or source pseudonym). */
export function linkableIdentifierSql(v: string): string {
  const n = `regexp_replace(${v}, '[ .-]', '', 'g')`;
  return `coalesce(regexp_full_match(upper(${n}), '${NIR_SQL_PATTERN}') OR regexp_full_match(${n}, '[0-9A-F]{17}'), false)`;
}

/**
 * Pseudonymises the export's persons and resolves every event row's person (`_person`); builds
 * `omop_person_link(src_pid, person_id, fingerprint, kind, from_file, _fi, _row)`.
 */
export async function resolveOmopPersons(
  s: WarehouseSession,
  keys: PseudonymKeys,
  namespace: string,
): Promise<PersonMapReport> {
  await tagDuplicates(s, PERSON, 'person_id');
  // Which identity each person row carries: its NIR or source pseudonym, or its source person_id
  // in the namespace of the source.
  await s.execute(
    `UPDATE ${PERSON} SET
       _ident_raw = CASE WHEN ${linkableIdentifierSql('person_source_value')} THEN person_source_value ELSE person_id::VARCHAR END,
       _ident_ns = CASE WHEN ${linkableIdentifierSql('person_source_value')} THEN NULL ELSE $1 END
     WHERE _reason IS NULL`,
    [namespace],
  );
  await s.execute(
    `INSERT INTO ${IDENT_TABLE} SELECT DISTINCT _ident_raw, _ident_ns FROM ${PERSON} WHERE _reason IS NULL`,
  );
  // Persons that events name but person.csv does not list: maybe persons of this source that an
  // earlier batch published (only source-local persons can be found again so).
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE omop_absent_person AS
     SELECT DISTINCT person_id AS src_pid FROM (${OMOP_EVENT_TABLES.map(
       (t) => `SELECT person_id FROM ${OMOP_STAGING[t].stage} WHERE _reason IS NULL`,
     ).join(' UNION ALL ')})
     WHERE person_id NOT IN (SELECT person_id FROM ${PERSON} WHERE person_id IS NOT NULL)`,
  );
  await s.execute(
    `INSERT INTO ${IDENT_TABLE} SELECT src_pid::VARCHAR, $1 FROM omop_absent_person`,
    [namespace],
  );
  const report = await buildPersonMap(s, keys, namespace);
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE omop_person_link AS
     SELECT * FROM (
       SELECT DISTINCT ON (p.person_id) p.person_id AS src_pid, m.person_id, m.fingerprint, m.kind,
         true AS from_file, p._fi, p._row
       FROM ${PERSON} p JOIN person_map m ON m.raw = p._ident_raw AND m.namespace IS NOT DISTINCT FROM p._ident_ns
       WHERE p._reason IS NULL AND m.person_id IS NOT NULL
       ORDER BY p.person_id, p._fi, p._row)
     UNION ALL
     SELECT a.src_pid, m.person_id, m.fingerprint, m.kind, false, NULL, NULL
     FROM omop_absent_person a JOIN person_map m ON m.raw = a.src_pid::VARCHAR AND m.namespace = $1
     WHERE m.person_id IN (SELECT person_id FROM person)`,
    [namespace],
  );
  await tagRows(
    s,
    PERSON,
    'person_id NOT IN (SELECT src_pid FROM omop_person_link WHERE from_file)',
    'person_source_value|not a valid NIR or source pseudonym',
  );
  for (const table of OMOP_EVENT_TABLES) {
    const stage = OMOP_STAGING[table].stage;
    await s.execute(
      `UPDATE ${stage} SET _person = l.person_id FROM omop_person_link l
       WHERE ${stage}.person_id = l.src_pid AND ${stage}._reason IS NULL`,
    );
    await tagRows(
      s,
      stage,
      `_person IS NULL AND person_id IN (SELECT person_id FROM ${PERSON} WHERE person_id IS NOT NULL)`,
      'person_id|person quarantined in person.csv',
    );
    await tagRows(
      s,
      stage,
      '_person IS NULL',
      'person_id|person not in person.csv nor in the warehouse',
    );
  }
  const [linked] = await s.query<{ n: number | bigint }>(
    'SELECT count(DISTINCT person_id) AS n FROM omop_person_link',
  );
  return { ...report, persons: Number(linked?.n ?? 0) };
}
