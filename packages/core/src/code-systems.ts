/**
 * Code system URIs Hygie writes in FHIR resources and recognises when reading them. French
 * terminologies use the URIs of the Agence du Numérique en Santé's terminology server where one
 * exists; the rest are the international HL7/WHO URIs.
 */
export const CodeSystems = {
  /** INS-NIR: the NIR used as national health identifier (OID of the INS-NIR). */
  insNir: 'urn:oid:1.2.250.1.213.1.4.8',
  /** A NIR already pseudonymised at the source (`K_source`): 17 upper-case hex characters. */
  nirSourcePseudonym: 'https://hygie.example/fhir/NamingSystem/nir-source-pseudonym',
  /** CIM-10 (French ICD-10); codes written with a dot as in FHIR practice (`E11.9`). */
  cim10: 'https://smt.esante.gouv.fr/terminologie-cim-10',
  /** WHO ICD-10 (codes from other tools). */
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  ccam: 'https://smt.esante.gouv.fr/terminologie-ccam',
  cip13: 'https://smt.esante.gouv.fr/terminologie-cip',
  atc: 'http://www.whocc.no/atc',
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  /** SNDS specialty nomenclature (IR_SPE_V). */
  sndsSpecialty: 'https://hygie.example/fhir/CodeSystem/snds-ir-spe-v',
  /** INSEE commune codes (Code officiel géographique). */
  inseeCommune: 'https://hygie.example/fhir/CodeSystem/insee-cog-commune',
  /** Synthetic establishment numbers written by `hygie synth` (not FINESS numbers). */
  syntheticEstablishment: 'https://hygie.example/fhir/NamingSystem/synthetic-establishment',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  dischargeDisposition: 'http://terminology.hl7.org/CodeSystem/discharge-disposition',
  diagnosisRole: 'http://terminology.hl7.org/CodeSystem/diagnosis-role',
} as const;

/** FHIR extension URL of the INSEE commune code of an address (French core profile). */
export const INSEE_ADDRESS_EXTENSION =
  'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code';

/** Writes a CIM-10 code in dotted form (`E119` → `E11.9`, `I10` → `I10`). */
export function dottedCim10(code: string): string {
  return code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

/** Removes the dot of a dotted ICD-10/CIM-10 code (`E11.9` → `E119`). */
export function undottedCim10(code: string): string {
  return code.replace('.', '').toUpperCase();
}
