/**
 * The warehouse model as one list: OMOP CDM v5.4 subset plus Hygie's bookkeeping tables, in an
 * order where every table comes after the tables its keys refer to. Engines generate their DDL
 * from this list; nothing else declares a warehouse table.
 */
import { HygieError } from '../errors.js';
import {
  conditionOccurrenceTable,
  deathTable,
  drugExposureTable,
  measurementTable,
  observationPeriodTable,
  observationTable,
  personTable,
  procedureOccurrenceTable,
  visitOccurrenceTable,
} from './cdm-clinical-tables.js';
import { careSiteTable, locationTable, providerTable } from './cdm-health-system-tables.js';
import { cdmSourceTable } from './cdm-metadata-tables.js';
import type { CdmColumn, CdmTable } from './cdm-types.js';
import {
  conceptAncestorTable,
  conceptRelationshipTable,
  conceptTable,
  vocabularyTable,
} from './cdm-vocabulary-tables.js';
import {
  hygieBatchFileTable,
  hygieBatchTable,
  hygieDisclosedCellTable,
  hygieDisclosedMemberTable,
  hygieOptOutTable,
  hygiePersonIdentityTable,
  hygieQuarantineTable,
  hygieSchemaMigrationsTable,
  hygieSurveillanceAlertTable,
  hygieSurveillanceRunTable,
  hygieSurveillanceValueTable,
} from './hygie-tables.js';

/** Every warehouse table, referenced tables first. */
export const CDM_TABLES = [
  vocabularyTable,
  conceptTable,
  conceptRelationshipTable,
  conceptAncestorTable,
  locationTable,
  careSiteTable,
  providerTable,
  personTable,
  observationPeriodTable,
  visitOccurrenceTable,
  conditionOccurrenceTable,
  drugExposureTable,
  procedureOccurrenceTable,
  measurementTable,
  observationTable,
  deathTable,
  cdmSourceTable,
  hygieSchemaMigrationsTable,
  hygieBatchTable,
  hygiePersonIdentityTable,
  hygieBatchFileTable,
  hygieQuarantineTable,
  hygieOptOutTable,
  hygieDisclosedCellTable,
  hygieDisclosedMemberTable,
  hygieSurveillanceRunTable,
  hygieSurveillanceValueTable,
  hygieSurveillanceAlertTable,
] as const;

/** Name of a warehouse table. */
export type CdmTableName = (typeof CDM_TABLES)[number]['name'];

/** The OMOP CDM version the description follows. */
export const CDM_VERSION = 'v5.4';

const byName = new Map<string, CdmTable>(CDM_TABLES.map((t) => [t.name, t]));

/** True when `name` is a warehouse table. */
export function isCdmTableName(name: string): name is CdmTableName {
  return byName.has(name);
}

/** The description of a warehouse table; throws HYG_NOT_FOUND for an unknown name. */
export function cdmTable(name: string): CdmTable {
  const table = byName.get(name);
  if (!table)
    throw new HygieError('HYG_NOT_FOUND', `unknown warehouse table "${name}"`, { table: name });
  return table;
}

/** The description of a column; throws HYG_NOT_FOUND when the table has no such column. */
export function cdmColumn(table: CdmTable, name: string): CdmColumn {
  const column = table.columns.find((c) => c.name === name);
  if (!column) {
    throw new HygieError('HYG_NOT_FOUND', `table "${table.name}" has no column "${name}"`, {
      table: table.name,
      column: name,
    });
  }
  return column;
}

/** The primary key column of a table, if it has one. */
export function primaryKeyColumn(table: CdmTable): CdmColumn | undefined {
  return table.columns.find((c) => c.primaryKey === true);
}
