/**
 * Hygie's own bookkeeping tables in the warehouse, kept minimal and prefixed `hygie_` so they are
 * never mistaken for OMOP tables. They hold no person data.
 */
import { defineTable, optional, primaryKey, required, singleColumnIndexes } from './cdm-define.js';

/** HYGIE_SCHEMA_MIGRATIONS: which schema migrations ran, with a checksum of their DDL. */
export const hygieSchemaMigrationsTable = defineTable({
  name: 'hygie_schema_migrations',
  kind: 'hygie',
  description: 'One row per applied schema migration.',
  columns: [
    primaryKey('version', 'integer', 'Migration number, applied in increasing order.'),
    required('name', 'text', 'Short name of the migration.'),
    required('checksum', 'text', 'SHA-256 of the migration DDL; a change means tampering.'),
    required('applied_at', 'timestamp', 'When the migration was applied (UTC).'),
  ],
  indexes: [],
});

/** HYGIE_BATCH: one row per ingestion batch, so a load can be traced and undone. */
export const hygieBatchTable = defineTable({
  name: 'hygie_batch',
  kind: 'hygie',
  description: 'One row per ingestion batch: its source, format, outcome and row counts.',
  columns: [
    primaryKey('batch_id', 'text', 'Batch key (a UUID).'),
    required('source', 'text', 'Name of the source (e.g. snds-dcir, fhir-chu-lyon).'),
    required('format', 'text', 'Input format (snds-csv, fhir-ndjson, omop-csv, …).'),
    required('started_at', 'timestamp', 'When the batch started (UTC).'),
    optional('finished_at', 'timestamp', 'When the batch finished (UTC); null while running.'),
    required('status', 'text', 'running, published, failed or rolled_back.'),
    optional('row_counts', 'text', 'JSON object of row counts (read, rejected, per table).'),
    {
      ...optional(
        'content_hash',
        'text',
        'SHA-256 over format, source and file hashes: re-ingesting the same files is a no-op.',
      ),
      addedIn: 2,
    },
    {
      ...optional('key_id', 'text', 'Id of the master key the pseudonyms were derived with.'),
      addedIn: 2,
    },
    {
      ...optional('platform_key_version', 'integer', 'Platform pseudonym key version used.'),
      addedIn: 2,
    },
    {
      ...optional('manifest', 'text', 'The batch manifest (JSON): files, hashes, counts, timings.'),
      addedIn: 2,
    },
    {
      ...optional(
        'error',
        'text',
        'Why a failed or rejected batch was not published (safe message).',
      ),
      addedIn: 2,
    },
  ],
  indexes: singleColumnIndexes('status'),
});

/**
 * HYGIE_PERSON_IDENTITY: one row per warehouse person: its identity kind and a fingerprint that
 * tells two identities apart should their 63-bit ids ever collide (ingestion refuses the batch).
 * No primary key on DuckDB (an in-memory index would grow with the population): ingestion inserts
 * each person once by construction.
 */
export const hygiePersonIdentityTable = defineTable({
  name: 'hygie_person_identity',
  kind: 'hygie',
  addedIn: 2,
  personKey: 'person_id',
  description:
    'Identity bookkeeping of each person: kind (nir or a source namespace) and fingerprint.',
  columns: [
    required('person_id', 'bigint', 'Person key (person.person_id).'),
    required('fingerprint', 'bigint', 'Keyed 64-bit fingerprint of the identity (not reversible).'),
    required(
      'kind',
      'text',
      'nir (links across sources) or ns:<source> (links within one source).',
    ),
    required('batch_id', 'text', 'Batch that first brought the person.'),
  ],
  indexes: singleColumnIndexes('person_id'),
});

/** HYGIE_BATCH_FILE: the source files of a batch with their hash and row counts. */
export const hygieBatchFileTable = defineTable({
  name: 'hygie_batch_file',
  kind: 'hygie',
  addedIn: 2,
  description: 'One row per source file and source table of a batch.',
  columns: [
    required('batch_id', 'text', 'The batch.'),
    required('path', 'text', 'File path as given to the ingestion.'),
    required('sha256', 'text', 'SHA-256 of the file content.'),
    required('bytes', 'bigint', 'File size.'),
    required('source_table', 'text', 'Source table or resource type.'),
    required('rows_read', 'bigint', 'Rows (or resources) read.'),
    required('rows_loaded', 'bigint', 'Rows accepted.'),
    required('rows_quarantined', 'bigint', 'Rows quarantined; read = loaded + quarantined.'),
  ],
  indexes: singleColumnIndexes('batch_id'),
});

/**
 * HYGIE_QUARANTINE: every rejected source row, by file, line, field and rule — never the value,
 * which may be an identifier (DESIGN.md §4.1, §4.7).
 */
export const hygieQuarantineTable = defineTable({
  name: 'hygie_quarantine',
  kind: 'hygie',
  addedIn: 2,
  description: 'One row per rejected source row: where it is and which rule it broke.',
  columns: [
    required('batch_id', 'text', 'The batch.'),
    required('path', 'text', 'Source file.'),
    required(
      'line',
      'bigint',
      'Line in the file (or entry of a FHIR Bundle); 0 for the whole file.',
    ),
    required('source_table', 'text', 'Source table or resource type.'),
    optional('field', 'text', 'Column or element at fault.'),
    required('rule', 'text', 'The rule broken, in words.'),
  ],
  indexes: singleColumnIndexes('batch_id'),
});

/**
 * HYGIE_OPT_OUT: the warehouse mirror of the citizens' active opt-outs, so that every research
 * query can exclude those persons in SQL, next to the data (DESIGN.md §4.4). The governance store
 * holds the register (with its history); this table is derived from it and replaced whole by the
 * server (`syncOptOutMirror`). Platform person ids only — never a NIR.
 */
export const hygieOptOutTable = defineTable({
  name: 'hygie_opt_out',
  kind: 'hygie',
  addedIn: 3,
  personKey: 'person_id',
  description: 'One row per person with an active opt-out (mirror of the governance store).',
  columns: [
    primaryKey('person_id', 'bigint', 'Person key (person.person_id) of the opted-out person.'),
    required(
      'surveillance_excluded',
      'boolean',
      'True when the opt-out also applies to public-health surveillance (not exempt).',
    ),
    optional('since', 'timestamp', 'When the active opt-out was recorded (UTC).'),
  ],
  indexes: [],
});

/**
 * HYGIE_DISCLOSED_CELL: every cell of an aggregate a permit's project has been shown, for the
 * differencing defence (issue #5): a new cell whose population differs from an earlier one by
 * fewer than the minimum cell size would reveal those few persons. Cells only; their persons are
 * in `hygie_disclosed_member`. Nothing here leaves the warehouse.
 */
export const hygieDisclosedCellTable = defineTable({
  name: 'hygie_disclosed_cell',
  kind: 'hygie',
  addedIn: 4,
  description: 'One row per aggregate cell shown to a project under a permit.',
  columns: [
    primaryKey('cell_id', 'bigint', 'Cell key (increasing).'),
    required('permit_id', 'text', 'The permit the cell was computed under.'),
    required('run_id', 'text', 'The query run (governance store) that showed it.'),
    required('measure', 'text', 'The measure of the query the cell belongs to.'),
    required('cell_key', 'text', 'The cell’s strata, canonical JSON.'),
    required('definition', 'text', 'SHA-256 of the cell’s question: query, measure and strata.'),
    required('persons', 'bigint', 'Distinct persons behind the cell.'),
    required('disclosed_at', 'timestamp', 'When it was shown (UTC).'),
  ],
  indexes: singleColumnIndexes('permit_id'),
});

/** HYGIE_DISCLOSED_MEMBER: the persons behind each disclosed cell (platform person ids only). */
export const hygieDisclosedMemberTable = defineTable({
  name: 'hygie_disclosed_member',
  kind: 'hygie',
  addedIn: 4,
  personKey: 'person_id',
  description: 'One row per person behind a disclosed cell.',
  columns: [
    required('cell_id', 'bigint', 'The cell (hygie_disclosed_cell.cell_id).'),
    required('person_id', 'bigint', 'Person key (person.person_id).'),
  ],
  indexes: singleColumnIndexes('cell_id'),
});

/** HYGIE_SURVEILLANCE_RUN: one row per computation of the surveillance indicators (issue #7). */
export const hygieSurveillanceRunTable = defineTable({
  name: 'hygie_surveillance_run',
  kind: 'hygie',
  addedIn: 5,
  description: 'One row per run of the surveillance computation: what triggered it, its outcome.',
  columns: [
    primaryKey('run_id', 'text', 'Run key (a UUID).'),
    required('trigger', 'text', 'schedule, ingestion or manual.'),
    required('started_at', 'timestamp', 'When the run started (UTC).'),
    optional('finished_at', 'timestamp', 'When it finished (UTC); null while running.'),
    required('status', 'text', 'running, completed or failed.'),
    optional('error', 'text', 'Error code of a failed run (never a value).'),
  ],
  indexes: [],
});

/**
 * HYGIE_SURVEILLANCE_VALUE: the latest value of every indicator series — counts and rates by
 * area and period, aggregates only. A run replaces the series it recomputes.
 */
export const hygieSurveillanceValueTable = defineTable({
  name: 'hygie_surveillance_value',
  kind: 'hygie',
  addedIn: 5,
  description: 'One row per indicator, area and period: cases, denominator, rate and interval.',
  columns: [
    required('indicator', 'text', 'Indicator id (e.g. influenza, hospitalisations-j, deaths).'),
    required('level', 'text', 'nation, region or departement.'),
    required('area', 'text', 'INSEE code of the area (FR for the nation).'),
    required('unit', 'text', 'isoweek or month.'),
    required('period', 'text', 'ISO week (2024-W05) or month (2024-02).'),
    required('cases', 'bigint', 'Cases (episodes, stays, deaths) in the area and period.'),
    optional('population', 'double', 'Denominator (persons).'),
    optional('rate', 'double', 'Rate per 100,000.'),
    optional('rate_lower', 'double', 'Lower bound of the 95 % interval of the rate.'),
    optional('rate_upper', 'double', 'Upper bound of the 95 % interval of the rate.'),
    optional('standardised_rate', 'double', 'Age-standardised rate per 100,000.'),
    required('run_id', 'text', 'The run that computed it.'),
    {
      ...optional(
        'expected',
        'double',
        'Expected count (excess mortality: from the baseline years).',
      ),
      addedIn: 6,
    },
    { ...optional('excess', 'double', 'Observed minus expected.'), addedIn: 6 },
    {
      ...optional('excess_lower', 'double', 'Lower bound of the 95 % band of the excess.'),
      addedIn: 6,
    },
    {
      ...optional('excess_upper', 'double', 'Upper bound of the 95 % band of the excess.'),
      addedIn: 6,
    },
    {
      ...optional(
        'standardised_lower',
        'double',
        'Lower bound of the 95 % interval (Fay–Feuer) of the age-standardised rate.',
      ),
      addedIn: 7,
    },
    {
      ...optional(
        'standardised_upper',
        'double',
        'Upper bound of the 95 % interval (Fay–Feuer) of the age-standardised rate.',
      ),
      addedIn: 7,
    },
  ],
  // One row per (indicator, level, area, unit, period): a run replaces an indicator's rows in
  // one transaction.
  indexes: singleColumnIndexes('indicator'),
});

/** HYGIE_SURVEILLANCE_ALERT: alarms of outbreak detection, with their evidence. */
export const hygieSurveillanceAlertTable = defineTable({
  name: 'hygie_surveillance_alert',
  kind: 'hygie',
  addedIn: 5,
  description: 'One row per detection result kept: observed, expected, threshold, p-value, alarm.',
  columns: [
    primaryKey('alert_id', 'bigint', 'Alert key (increasing).'),
    required('run_id', 'text', 'The run that computed it.'),
    required('indicator', 'text', 'Indicator id.'),
    required('level', 'text', 'nation, region or departement.'),
    required('area', 'text', 'INSEE code of the area.'),
    required('period', 'text', 'ISO week tested.'),
    required('algorithm', 'text', 'farrington-flexible, ears-c1, ears-c2, ears-c3 or cusum.'),
    required('observed', 'bigint', 'Observed count.'),
    optional('expected', 'double', 'Expected count.'),
    optional('threshold', 'double', 'Upper threshold.'),
    optional('p_value', 'double', 'p-value of the observed count, when the algorithm gives one.'),
    required('alarm', 'boolean', 'Whether the observed count is above the threshold.'),
    required('computed_at', 'timestamp', 'When it was computed (UTC).'),
  ],
  indexes: singleColumnIndexes('run_id', 'period'),
});
