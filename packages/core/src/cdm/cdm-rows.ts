/**
 * Row types of the warehouse tables, derived from the descriptions themselves so they cannot drift
 * from the DDL. Values are as the warehouse returns them (see `CdmJsTypes`).
 */
import type {
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
import type { careSiteTable, locationTable, providerTable } from './cdm-health-system-tables.js';
import type { cdmSourceTable } from './cdm-metadata-tables.js';
import type { CdmRow } from './cdm-types.js';
import type {
  conceptAncestorTable,
  conceptRelationshipTable,
  conceptTable,
  vocabularyTable,
} from './cdm-vocabulary-tables.js';
import type { hygieBatchTable, hygieSchemaMigrationsTable } from './hygie-tables.js';

/** A PERSON row. */
export type PersonRow = CdmRow<typeof personTable>;
/** An OBSERVATION_PERIOD row. */
export type ObservationPeriodRow = CdmRow<typeof observationPeriodTable>;
/** A VISIT_OCCURRENCE row. */
export type VisitOccurrenceRow = CdmRow<typeof visitOccurrenceTable>;
/** A CONDITION_OCCURRENCE row. */
export type ConditionOccurrenceRow = CdmRow<typeof conditionOccurrenceTable>;
/** A DRUG_EXPOSURE row. */
export type DrugExposureRow = CdmRow<typeof drugExposureTable>;
/** A PROCEDURE_OCCURRENCE row. */
export type ProcedureOccurrenceRow = CdmRow<typeof procedureOccurrenceTable>;
/** A MEASUREMENT row. */
export type MeasurementRow = CdmRow<typeof measurementTable>;
/** An OBSERVATION row. */
export type ObservationRow = CdmRow<typeof observationTable>;
/** A DEATH row. */
export type DeathRow = CdmRow<typeof deathTable>;
/** A LOCATION row. */
export type LocationRow = CdmRow<typeof locationTable>;
/** A CARE_SITE row. */
export type CareSiteRow = CdmRow<typeof careSiteTable>;
/** A PROVIDER row. */
export type ProviderRow = CdmRow<typeof providerTable>;
/** A CONCEPT row. */
export type ConceptRow = CdmRow<typeof conceptTable>;
/** A CONCEPT_RELATIONSHIP row. */
export type ConceptRelationshipRow = CdmRow<typeof conceptRelationshipTable>;
/** A CONCEPT_ANCESTOR row. */
export type ConceptAncestorRow = CdmRow<typeof conceptAncestorTable>;
/** A VOCABULARY row. */
export type VocabularyRow = CdmRow<typeof vocabularyTable>;
/** A CDM_SOURCE row. */
export type CdmSourceRow = CdmRow<typeof cdmSourceTable>;
/** A HYGIE_SCHEMA_MIGRATIONS row. */
export type SchemaMigrationRow = CdmRow<typeof hygieSchemaMigrationsTable>;
/** A HYGIE_BATCH row. */
export type BatchRow = CdmRow<typeof hygieBatchTable>;
