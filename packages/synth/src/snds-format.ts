/**
 * The SNDS extract layout Hygie writes: which tables, which columns of each table schema (an
 * extract selects columns, as real SNDS extractions do), and how identifier columns differ in an
 * extract that still carries raw NIRs (before pseudonymisation at ingestion).
 */
import type { FieldSchema } from '@hygie/core';
import type { SndsTable } from '@hygie/reference';

/** Columns written per table, in file order. */
// prettier-ignore
export const SNDS_COLUMNS: Readonly<Record<SndsTable, readonly string[]>> = {
  IR_BEN_R: [
    'BEN_NIR_PSA', 'BEN_RNG_GEM', 'BEN_NAI_ANN', 'BEN_NAI_MOI', 'BEN_SEX_COD', 'BEN_DCD_DTE', 'BEN_DCD_AME',
    'BEN_RES_DPT', 'BEN_RES_COM', 'ORG_AFF_BEN', 'BEN_TOP_CNS', 'BEN_DTE_INS', 'BEN_DTE_MAJ',
  ],
  ER_PRS_F: [
    'DCT_ORD_NUM', 'FLX_DIS_DTD', 'FLX_EMT_NUM', 'FLX_EMT_ORD', 'FLX_EMT_TYP', 'FLX_TRT_DTD', 'ORG_CLE_NUM',
    'PRS_ORD_NUM', 'REM_TYP_AFF', 'BEN_NIR_PSA', 'BEN_RNG_GEM', 'BEN_SEX_COD', 'BEN_NAI_ANN', 'BEN_RES_DPT',
    'BEN_RES_COM', 'EXE_SOI_DTD', 'EXE_SOI_DTF', 'PRS_NAT_REF', 'PRS_ACT_QTE', 'PRS_PAI_MNT', 'BSE_REM_MNT',
    'RGO_REM_TAU', 'PSE_SPE_COD', 'PSE_ACT_NAT', 'PFS_EXE_NUM', 'PSP_SPE_COD', 'PFS_PRE_NUM',
  ],
  ER_PHA_F: [
    'DCT_ORD_NUM', 'FLX_DIS_DTD', 'FLX_EMT_NUM', 'FLX_EMT_ORD', 'FLX_EMT_TYP', 'FLX_TRT_DTD', 'ORG_CLE_NUM',
    'PRS_ORD_NUM', 'REM_TYP_AFF', 'PHA_ORD_NUM', 'PHA_PRS_C13', 'PHA_PRS_IDE', 'PHA_ACT_QSN', 'PHA_ACT_PRU',
  ],
  T_MCOaaB: [
    'ETA_NUM', 'RSA_NUM', 'RSS_NUM', 'AGE_ANN', 'AGE_JOU', 'COD_SEX', 'BDI_DEP', 'BDI_COD', 'DGN_PAL', 'DGN_REL',
    'ENT_MOD', 'SOR_MOD', 'SEJ_NBJ', 'SOR_ANN', 'SOR_MOI', 'NBR_DGN', 'NBR_ACT', 'NBR_RUM',
  ],
  T_MCOaaC: ['ETA_NUM', 'RSA_NUM', 'NIR_ANO_17', 'EXE_SOI_DTD', 'EXE_SOI_DTF', 'ENT_DAT', 'SOR_DAT', 'SOR_ANN', 'SOR_MOI'],
  T_MCOaaD: ['ETA_NUM', 'RSA_NUM', 'DGN_ASS_NUM', 'ASS_DGN'],
  T_MCOaaA: ['ETA_NUM', 'RSA_NUM', 'CDC_ACT', 'ACV_ACT', 'PHA_ACT', 'NBR_EXE_ACT', 'ENT_DAT_DEL'],
  KI_CCI_R: [
    'BEN_NIR_ANO', 'DCD_IDT_ENC', 'FLX_PER_ANN', 'DCD_DPT_COD', 'DCD_COM_COD', 'BEN_RES_DPT', 'BEN_RES_COM',
    'BEN_DCD_DTE', 'BEN_DCD_AME', 'DCD_LIE_COD', 'BEN_NAI_ANN', 'BEN_NAI_MOI', 'BEN_SEX_COD', 'DCD_CIM_COD',
  ],
  KI_ECD_R: ['BEN_NIR_ANO', 'DCD_IDT_ENC', 'FLX_PER_ANN', 'CER_LIG_NUM', 'ECD_CAU_RNG', 'ECD_CIM_COD', 'BEN_DCD_DTE'],
};

/** The column holding the person's identifier in each table, when it has one. */
export const SNDS_PERSON_ID_COLUMN: Readonly<Partial<Record<SndsTable, string>>> = {
  IR_BEN_R: 'BEN_NIR_PSA',
  ER_PRS_F: 'BEN_NIR_PSA',
  T_MCOaaC: 'NIR_ANO_17',
  KI_CCI_R: 'BEN_NIR_ANO',
  KI_ECD_R: 'BEN_NIR_ANO',
};

/** The SNDS field separator. */
export const SNDS_SEPARATOR = ';';

const NIR_PATTERN = '[12][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}';

/**
 * Field overrides for an extract whose identifier columns carry the raw 15-character NIR (a
 * pre-pseudonymisation extract, as `hygie synth` writes): the schema's 17-character pseudonym
 * length rule is replaced by the NIR's shape. Every other rule of the table schema applies as is.
 */
export const RAW_NIR_OVERRIDES: Readonly<Record<string, Partial<FieldSchema>>> = Object.fromEntries(
  ['BEN_NIR_PSA', 'NIR_ANO_17', 'BEN_NIR_ANO'].map((c) => [
    c,
    { constraints: { minLength: 15, maxLength: 15, pattern: NIR_PATTERN } } as Partial<FieldSchema>,
  ]),
);

/** File name (without extension) of a table for a year: PMSI tables carry the 2-digit year. */
export function sndsFileName(table: SndsTable, year: number): string {
  return table.startsWith('T_MCOaa')
    ? table.replace('aa', String(year % 100).padStart(2, '0'))
    : table;
}
