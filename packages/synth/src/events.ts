/**
 * The care a synthetic person receives, in a format-neutral form: the SNDS and FHIR writers turn
 * the same events into their own files, so both formats describe the same care.
 */

/** An ambulatory consultation. */
export interface Consultation {
  day: number;
  /** SNDS specialty code (IR_SPE_V): 1 = general practice. */
  spe: number;
  /** CIM-10 reason (written in FHIR; SNDS ambulatory claims carry no diagnosis). */
  reason: string;
  /** Syndrome id when the consultation is an acute episode (surveillance ground truth). */
  syndrome: string | null;
  /** Outbreak id when the episode was injected by an outbreak. */
  outbreak: string | null;
}

/** One product line of a dispensing. */
export interface DispensedItem {
  cip13: string;
  cip7: string;
  atc5: string;
  label: string;
  boxes: number;
  price: number;
}

/** A pharmacy dispensing (one visit, one or more products). */
export interface Dispensing {
  day: number;
  items: DispensedItem[];
  /** Prescriber's specialty. */
  prescriberSpe: number;
  /** Reimbursed at 100 % (long-term condition). */
  fullCover: boolean;
}

/** A lab result. */
export interface LabResult {
  day: number;
  loinc: string;
  value: number;
  decimals: number;
}

/** A hospital stay (PMSI MCO). */
export interface Stay {
  entry: number;
  exit: number;
  etaNum: string;
  /** Principal diagnosis, related diagnosis, associated diagnoses (CIM-10). */
  dp: string;
  dr: string;
  das: string[];
  /** CCAM acts with their day offset from entry. */
  acts: { code: string; offset: number }[];
  /** Entry mode (8 = home, 7 = transfer) and exit mode (8 = home, 9 = death). */
  entryMode: string;
  exitMode: string;
  syndrome: string | null;
  outbreak: string | null;
}

/** A death with its certified causes. */
export interface Death {
  day: number;
  /** Initial cause (CIM-10) and other certified causes. */
  cause: string;
  otherCauses: string[];
  /** Place: 1 home, 2 hospital, 4 nursing home. */
  place: number;
  /** Commune (world index) where the death occurred. */
  commune: number;
}

/** A residence period. */
export interface Residence {
  from: number;
  commune: number;
}

/** An active chronic condition episode. */
export interface ConditionEpisode {
  id: string;
  code: string;
  onset: number;
  end: number | null;
}

/** A person's whole record over the period. */
export interface PersonRecord {
  residences: Residence[];
  conditions: ConditionEpisode[];
  consultations: Consultation[];
  dispensings: Dispensing[];
  labs: LabResult[];
  stays: Stay[];
  death: Death | null;
  /** Identifiers of the person's usual GP and pharmacy (synthetic health-professional numbers). */
  gp: string;
  pharmacy: string;
  phone: string;
  street: string;
}
