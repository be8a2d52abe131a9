/**
 * What the SNDS connector keeps of each source table in staging: the columns the mapping to the
 * CDM uses (docs/data-model.md), and which column holds the person identifier. Every column of the
 * file is validated; only these are kept, which keeps staging small.
 */
import type { SndsTable } from '@hygie/reference';

/** The staging layout of one SNDS table. */
export interface SndsStagingSpec {
  table: SndsTable;
  /** Temporary staging table. */
  stage: string;
  /** Column holding the person identifier (raw NIR or source pseudonym), if any. */
  identifier: string | null;
  /** Columns kept (NULL when the file does not have them). */
  keep: readonly string[];
  /**
   * Large tables (claims, pharmacy lines): staged without a row ordinal (numbering rows in file
   * order costs a serial pass) and with the person id resolved while reading; the line of a
   * quarantined row is found afterwards, by its `lineKey`, in a second pass over that file only.
   */
  big: boolean;
  /**
   * Columns that identify a row of a large table, to find its line again (`_k1`, `_k2`: the
   * folded claim key, see `claimKeySql`). Of the nine claim key columns only the order number is
   * kept in staging: the folded key replaces the others, which keeps staging small.
   */
  lineKey: readonly string[];
}

const CLAIM_KEY = [
  'DCT_ORD_NUM',
  'FLX_DIS_DTD',
  'FLX_EMT_NUM',
  'FLX_EMT_ORD',
  'FLX_EMT_TYP',
  'FLX_TRT_DTD',
  'ORG_CLE_NUM',
  'PRS_ORD_NUM',
  'REM_TYP_AFF',
] as const;

/** The nine columns that join ER_PHA_F lines to their ER_PRS_F claim. */
export const SNDS_CLAIM_KEY: readonly string[] = CLAIM_KEY;

/** Staging layout per SNDS table. */
export const SNDS_STAGING: Readonly<Record<SndsTable, SndsStagingSpec>> = {
  IR_BEN_R: {
    table: 'IR_BEN_R',
    stage: 'stg_snds_ben',
    identifier: 'BEN_NIR_PSA',
    big: false,
    lineKey: [],
    keep: [
      'BEN_NIR_PSA',
      'BEN_SEX_COD',
      'BEN_NAI_ANN',
      'BEN_NAI_MOI',
      'BEN_DCD_DTE',
      'BEN_RES_DPT',
      'BEN_RES_COM',
      'BEN_DTE_INS',
      'BEN_DTE_MAJ',
    ],
  },
  ER_PRS_F: {
    table: 'ER_PRS_F',
    stage: 'stg_snds_prs',
    identifier: 'BEN_NIR_PSA',
    big: true,
    lineKey: ['_k1', '_k2'],
    keep: [
      'DCT_ORD_NUM',
      'EXE_SOI_DTD',
      'EXE_SOI_DTF',
      'PRS_NAT_REF',
      'PSE_SPE_COD',
      'PFS_EXE_NUM',
    ],
  },
  ER_PHA_F: {
    table: 'ER_PHA_F',
    stage: 'stg_snds_pha',
    identifier: null,
    big: true,
    lineKey: ['_k1', '_k2', 'PHA_ORD_NUM'],
    keep: ['DCT_ORD_NUM', 'PHA_ORD_NUM', 'PHA_PRS_C13', 'PHA_PRS_IDE', 'PHA_ACT_QSN'],
  },
  T_MCOaaB: {
    table: 'T_MCOaaB',
    stage: 'stg_snds_mco_b',
    big: false,
    lineKey: [],
    identifier: null,
    keep: ['ETA_NUM', 'RSA_NUM', 'DGN_PAL', 'DGN_REL', 'ENT_MOD', 'SOR_MOD'],
  },
  T_MCOaaC: {
    table: 'T_MCOaaC',
    stage: 'stg_snds_mco_c',
    big: false,
    lineKey: [],
    identifier: 'NIR_ANO_17',
    keep: ['ETA_NUM', 'RSA_NUM', 'NIR_ANO_17', 'ENT_DAT', 'SOR_DAT', 'EXE_SOI_DTD', 'EXE_SOI_DTF'],
  },
  T_MCOaaD: {
    table: 'T_MCOaaD',
    stage: 'stg_snds_mco_d',
    big: false,
    lineKey: [],
    identifier: null,
    keep: ['ETA_NUM', 'RSA_NUM', 'ASS_DGN'],
  },
  T_MCOaaA: {
    table: 'T_MCOaaA',
    stage: 'stg_snds_mco_a',
    big: false,
    lineKey: [],
    identifier: null,
    keep: ['ETA_NUM', 'RSA_NUM', 'CDC_ACT', 'ENT_DAT_DEL', 'NBR_EXE_ACT'],
  },
  KI_CCI_R: {
    table: 'KI_CCI_R',
    stage: 'stg_snds_cci',
    big: false,
    lineKey: [],
    identifier: 'BEN_NIR_ANO',
    keep: ['BEN_NIR_ANO', 'DCD_IDT_ENC', 'BEN_DCD_DTE', 'DCD_CIM_COD'],
  },
  KI_ECD_R: {
    table: 'KI_ECD_R',
    stage: 'stg_snds_ecd',
    big: false,
    lineKey: [],
    identifier: 'BEN_NIR_ANO',
    keep: ['BEN_NIR_ANO', 'DCD_IDT_ENC', 'ECD_CIM_COD', 'ECD_CAU_RNG', 'BEN_DCD_DTE'],
  },
};

/** Year of a PMSI file from its name (`T_MCO19B` → 2019); null for other tables. */
export function pmsiYear(baseName: string): number | null {
  const m = /^T_MCO(\d{2})[A-Z]/.exec(baseName);
  if (!m) return null;
  const yy = Number(m[1]);
  return yy > 60 ? 1900 + yy : 2000 + yy;
}
