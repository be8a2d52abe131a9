/**
 * OMOP CDM v5.4 health-system tables: places, care sites and providers. As in the clinical tables,
 * keys are `bigint` and columns made for direct identifiers are absent: `location.address_1` and
 * `address_2` (a person's street address) and `provider.provider_name`, `npi` and `dea` (a
 * professional's name and US registry numbers; French sources identify professionals by RPPS/ADELI
 * numbers, which are pseudonymised into `provider_source_value`).
 */
import { defineTable, optional, primaryKey, pseudonymOnly } from './cdm-define.js';

/** LOCATION: geographic areas, at the precision French sources give (commune, département). */
export const locationTable = defineTable({
  name: 'location',
  kind: 'health-system',
  description: 'A geographic area: commune, département and région (never a street address).',
  columns: [
    primaryKey('location_id', 'bigint', 'Location key.'),
    optional('city', 'text', 'Commune name or INSEE commune code.'),
    optional('state', 'text', 'INSEE région code (e.g. 84).'),
    optional('zip', 'text', 'Postal code.'),
    optional('county', 'text', 'INSEE département code (e.g. 69, 2A, 971).'),
    optional('location_source_value', 'text', 'Area code as written in the source.'),
    optional('country_concept_id', 'integer', 'Country concept.'),
    optional('country_source_value', 'text', 'Country as written in the source.'),
    optional('latitude', 'double', 'Latitude of a care site or area centroid (never a home).'),
    optional('longitude', 'double', 'Longitude of a care site or area centroid (never a home).'),
  ],
  indexes: [],
});

/** CARE_SITE: hospitals, clinics, pharmacies (FINESS establishments). */
export const careSiteTable = defineTable({
  name: 'care_site',
  kind: 'health-system',
  description: 'A place where care is given (establishment, ward, pharmacy).',
  columns: [
    primaryKey('care_site_id', 'bigint', 'Care site key.'),
    optional('care_site_name', 'text', 'Public name of the establishment.'),
    optional('place_of_service_concept_id', 'integer', 'Kind of place (hospital, pharmacy, …).'),
    optional('location_id', 'bigint', 'Where the site is (location.location_id).'),
    optional('care_site_source_value', 'text', 'Establishment code in the source (e.g. FINESS).'),
    optional('place_of_service_source_value', 'text', 'Kind of place as coded in the source.'),
  ],
  indexes: [],
});

/** PROVIDER: health professionals, pseudonymised. */
export const providerTable = defineTable({
  name: 'provider',
  kind: 'health-system',
  description: 'A health professional, known only by a pseudonym and a specialty.',
  columns: [
    primaryKey('provider_id', 'bigint', 'Provider key.'),
    optional('specialty_concept_id', 'integer', 'Specialty concept.'),
    optional('care_site_id', 'bigint', 'Main care site (care_site.care_site_id).'),
    optional('year_of_birth', 'integer', 'Year of birth of the professional.'),
    optional('gender_concept_id', 'integer', 'Sex of the professional.'),
    pseudonymOnly(
      optional(
        'provider_source_value',
        'text',
        'Pseudonym of the professional’s RPPS/ADELI number; never the number itself.',
      ),
    ),
    optional('specialty_source_value', 'text', 'Specialty as coded in the source.'),
    optional('specialty_source_concept_id', 'integer', 'Concept of the source specialty code.'),
    optional('gender_source_value', 'text', 'Sex as coded in the source.'),
    optional('gender_source_concept_id', 'integer', 'Concept of the source sex code.'),
  ],
  indexes: [],
});
