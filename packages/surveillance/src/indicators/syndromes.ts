/**
 * Syndrome definitions, as data: CIM-10 concept sets (codes and their descendants through
 * `concept_ancestor`) read in consultations and in hospital stays, and optionally ATC classes of
 * dispensed drugs. The codes are those of French syndromic surveillance (Réseau Sentinelles,
 * SurSaUD/OSCOUR groupings of Santé publique France) and cover the codes the synthetic generator
 * writes (`@hygie/synth` acute syndromes: consultation codes and stay principal diagnoses).
 * Non-specific codes a generator also uses for these stays (J18.9 pneumonia, E86 dehydration,
 * paracetamol N02BE01) are deliberately left out: they would count other diseases.
 *
 * **Drug proxies.** An SNDS extract has no diagnosis on town consultations (DCIR), so an
 * episode treated in town is seen only through what the pharmacy dispensed. Syndromes with a
 * specific enough treatment name its ATC classes, read by default: neuraminidase inhibitors
 * (J05AH) for influenza; racecadotril (A07XA04) and diosmectite (A07BC05) for gastroenteritis,
 * as French surveillance uses antidiarrhoeal sales. Bronchiolitis has no specific treatment
 * (guidelines advise against bronchodilators) and COVID-19's antivirals are hospital drugs:
 * from SNDS alone these two are seen through stays only.
 *
 * **Episodes.** Every matching event of a person (a consultation diagnosis, a stay's principal
 * diagnosis, a dispensing when asked) is dated; an event opens a new episode when the person has
 * no event of the same syndrome in the `episodeDays` days before it (default 14), otherwise it
 * belongs to the running episode (which is thereby extended: the gap between consecutive events,
 * not the time since the first, decides). An episode counts once, in the period (ISO week or
 * month) of its first event. Events up to `episodeDays` before the analysis period are read so
 * that an episode begun before the period is not counted again inside it.
 */

/** A code of a concept set. */
export interface SyndromeCode {
  /** CIM-10 for diagnoses (dotted or not: `J11.1` = `J111`), ATC for drugs. */
  readonly code: string;
  /** Include the descendants (default true). */
  readonly descendants?: boolean;
}

/** Where a syndrome's events are read. */
export type EventSource = 'consultation' | 'stay' | 'dispensation';

/** A syndrome. */
export interface SyndromeDefinition {
  readonly id: string;
  readonly label: string;
  /** CIM-10 diagnoses of consultations and stays. */
  readonly diagnoses: readonly SyndromeCode[];
  /** ATC classes of dispensed drugs specific to the syndrome (read only with `dispensation`). */
  readonly drugs?: readonly SyndromeCode[];
  /** Sources read by default (consultations and stays, and dispensations when `drugs` is set). */
  readonly sources?: readonly EventSource[];
  /** The episode window in days (default 14). */
  readonly episodeDays?: number;
}

/** Default episode window. */
export const DEFAULT_EPISODE_DAYS = 14;

const codes = (...list: string[]): SyndromeCode[] => list.map((code) => ({ code }));

/** The syndromes monitored by default (more can be passed to `computeIndicatorSeries`). */
export const SYNDROMES: readonly SyndromeDefinition[] = [
  {
    id: 'influenza',
    label: 'Influenza-like illness',
    // J09 avian/pandemic, J10 identified seasonal, J11 virus not identified.
    diagnoses: codes('J09', 'J10', 'J11'),
    drugs: codes('J05AH'), // neuraminidase inhibitors (oseltamivir)
  },
  {
    id: 'gastroenteritis',
    label: 'Acute gastroenteritis',
    // A08 viral intestinal infections, A09 gastroenteritis of presumed infectious origin.
    diagnoses: codes('A08', 'A09'),
    // Antidiarrhoeals dispensed for acute diarrhoea: racecadotril and diosmectite, the drug
    // proxies of French gastroenteritis surveillance from pharmacy sales.
    drugs: codes('A07XA04', 'A07BC05'),
  },
  {
    id: 'covid19',
    label: 'COVID-19',
    // U07.1 virus identified, U07.2 not identified.
    diagnoses: codes('U071', 'U072'),
  },
  {
    id: 'bronchiolitis',
    label: 'Bronchiolitis',
    diagnoses: codes('J21'),
  },
];

/** A default syndrome by id, undefined when unknown. */
export function syndromeById(id: string): SyndromeDefinition | undefined {
  return SYNDROMES.find((s) => s.id === id);
}
