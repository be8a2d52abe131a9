/**
 * SNDS table schemas (Table Schema JSON from the Health Data Hub's schema-snds, MPL-2.0) and
 * nomenclatures for the tables Hygie writes and reads.
 */
import { readFileSync } from 'node:fs';
import { dataPath, readSemicolonCsv } from './data-files.js';

/** SNDS tables whose schema ships with Hygie. PMSI tables use the generic `aa` year marker. */
export const SNDS_TABLES = [
  'IR_BEN_R',
  'ER_PRS_F',
  'ER_PHA_F',
  'T_MCOaaB',
  'T_MCOaaC',
  'T_MCOaaD',
  'T_MCOaaA',
  'KI_CCI_R',
  'KI_ECD_R',
] as const;

/** One of {@link SNDS_TABLES}. */
export type SndsTable = (typeof SNDS_TABLES)[number];

const schemaCache = new Map<string, unknown>();

/** The raw Table Schema JSON of an SNDS table (validate it with core's `parseTableSchema`). */
export function sndsTableSchemaJson(table: SndsTable): unknown {
  let s = schemaCache.get(table);
  if (s === undefined) {
    s = JSON.parse(readFileSync(dataPath('snds', 'schemas', `${table}.json`), 'utf8')) as unknown;
    schemaCache.set(table, s);
  }
  return s;
}

/**
 * Maps a file name such as `T_MCO19B` to its generic schema name `T_MCOaaB`; returns null when the
 * name is not a known SNDS table.
 */
export function sndsTableOfFile(baseName: string): SndsTable | null {
  const generic = baseName.replace(/^T_MCO[0-9]{2}/, 'T_MCOaa');
  return (SNDS_TABLES as readonly string[]).includes(generic) ? (generic as SndsTable) : null;
}

const nomenclatureCache = new Map<string, ReadonlySet<string>>();

/** The set of codes of a nomenclature column (e.g. `IR_SEX_V`, `SEX_COD`). */
export function sndsNomenclatureCodes(nomenclature: string, column: string): ReadonlySet<string> {
  const key = `${nomenclature}:${column}`;
  let set = nomenclatureCache.get(key);
  if (!set) {
    set = new Set(
      readSemicolonCsv('snds', 'nomenclatures', `${nomenclature}.csv`).map((r) => r[column] ?? ''),
    );
    nomenclatureCache.set(key, set);
  }
  return set;
}

/**
 * The code column of a nomenclature: the one its Table Schema marks with `role: "code"`, else its
 * primary key, else its first column.
 */
export function sndsNomenclatureCodeColumn(nomenclature: string): string {
  const json = JSON.parse(
    readFileSync(dataPath('snds', 'nomenclatures', `${nomenclature}.json`), 'utf8'),
  ) as {
    primaryKey?: string | string[];
    fields: { name: string; role?: string }[];
  };
  const byRole = json.fields.find((f) => f.role === 'code')?.name;
  const pk = Array.isArray(json.primaryKey) ? json.primaryKey[0] : json.primaryKey;
  return byRole ?? pk ?? (json.fields[0] as { name: string }).name;
}

/** Nomenclatures shipped with Hygie (see data/snds/nomenclatures). */
export const SNDS_NOMENCLATURES = [
  'IR_SEX_V',
  'IR_DPT_V',
  'IR_REG_V',
  'IR_SPE_V',
  'IR_ACT_V',
  'IR_NAT_V',
  'IR_CIM_V',
  'MS_CIM_V',
  'IR_CCAM_V63',
  'IR_CIP_V',
] as const;

/**
 * The codes a Table Schema field's nomenclature reference allows (`IR_SEX_V:SEX_COD`, or
 * `IR_NAT_V` for the nomenclature's code column), or undefined for a nomenclature Hygie does not
 * ship. Suits `compileRowValidator`'s `nomenclature` option.
 */
export function sndsNomenclatureOf(reference: string): ReadonlySet<string> | undefined {
  const [name, column] = reference.split(':') as [string, string | undefined];
  if (!(SNDS_NOMENCLATURES as readonly string[]).includes(name)) return undefined;
  return sndsNomenclatureCodes(name, column ?? sndsNomenclatureCodeColumn(name));
}
