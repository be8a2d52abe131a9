/**
 * Publishes a staged SNDS extract to the OMOP tables (the mapping of docs/data-model.md), inside
 * the batch's transaction, entirely in SQL: persons, observation periods, ambulatory visits and
 * providers, dispensings, hospital stays with their diagnoses and acts, deaths with causes.
 *
 * A staged row that is valid on its own but cannot be published — its person is neither in the
 * beneficiary file nor already in the warehouse, a pharmacy line has no claim, a stay has no
 * patient record — gets a reason and goes to quarantine with the others: nothing is dropped
 * silently. Such checks first count, and only tag rows when the count says some are missing, so
 * a clean extract pays for one join per check.
 */
import { hmacPads } from '@hygie/core';
import type { WarehouseSession } from '@hygie/warehouse';
import { Concepts, lookupTable } from '../concept-lookup.js';
import { communeLocationIdSql, sndsInseeCodeSql } from '../locations.js';
import type { PseudonymKeys } from '../pseudonym-keys.js';
import { derivedIdSql, rowIdSql } from '../row-ids.js';
import { hmacSql, id63Sql } from '../sql-hmac.js';
import { SNDS_STAGING } from './snds-tables.js';

/** CDM rows written, per table. */
export type PublishCounts = Record<string, number>;

const BEN = SNDS_STAGING.IR_BEN_R.stage;
const PRS = SNDS_STAGING.ER_PRS_F.stage;
const PHA = SNDS_STAGING.ER_PHA_F.stage;
const MB = SNDS_STAGING.T_MCOaaB.stage;
const MC = SNDS_STAGING.T_MCOaaC.stage;
const MD = SNDS_STAGING.T_MCOaaD.stage;
const MA = SNDS_STAGING.T_MCOaaA.stage;
const CCI = SNDS_STAGING.KI_CCI_R.stage;
const ECD = SNDS_STAGING.KI_ECD_R.stage;

/** Pharmacy lines per partition of the claims-to-lines join (see publishDispensings). */
const JOIN_PARTITION_ROWS = 7_000_000;

/** Consultation claim natures (IR_NAT_V) published as outpatient visits. */
const CONSULTATIONS = [1098, 1099, 1101, 1102, 1103, 1104, 1105, 1107, 1109, 1110, 1111, 1112];
/** Pharmacy claim natures published as pharmacy visits with their dispensed lines. */
const PHARMACY = [3311, 3312, 3313, 3315, 3316, 3341];

/** Key of the visit of a claim (large tables carry an unordered _id, not a row number). */
const claimVisitId = (batch: number): string => derivedIdSql(batch, 1, 'p._id');

const personJoin = (alias: string, column: string): string =>
  `JOIN person_map m ON m.raw = ${alias}."${column}" AND m.namespace IS NULL AND m.known`;

async function count(s: WarehouseSession, sql: string): Promise<number> {
  const [r] = await s.query<{ n: number | bigint }>(sql);
  return Number(r?.n ?? 0);
}

/** Tags still-valid rows matching `where` with a reason. */
async function tag(
  s: WarehouseSession,
  stage: string,
  where: string,
  reason: string,
): Promise<number> {
  return s.execute(`UPDATE ${stage} SET _reason = $1 WHERE _reason IS NULL AND (${where})`, [
    reason,
  ]);
}

/**
 * Marks invalid identifiers, decides which persons are known (beneficiary file or warehouse),
 * and quarantines rows of unknown persons.
 */
async function resolvePersons(s: WarehouseSession): Promise<void> {
  for (const spec of Object.values(SNDS_STAGING)) {
    if (!spec.identifier || spec.big) continue;
    await tag(
      s,
      spec.stage,
      `"${spec.identifier}" IN (SELECT raw FROM person_map WHERE namespace IS NULL AND person_id IS NULL)`,
      `${spec.identifier}|not a valid NIR or source pseudonym`,
    );
  }
  await s.execute('ALTER TABLE person_map ADD COLUMN known BOOLEAN DEFAULT false');
  await s.execute(
    `UPDATE person_map SET known = true WHERE person_id IN (
       SELECT m.person_id FROM ${BEN} b JOIN person_map m ON m.raw = b.BEN_NIR_PSA AND m.namespace IS NULL
       WHERE b._reason IS NULL AND m.person_id IS NOT NULL
       UNION SELECT person_id FROM person)`,
  );
  await s.execute(
    'CREATE OR REPLACE TEMP TABLE known_person AS SELECT DISTINCT person_id FROM person_map WHERE known',
  );
  for (const spec of Object.values(SNDS_STAGING)) {
    if (!spec.identifier || spec.table === 'IR_BEN_R') continue;
    if (spec.big) {
      // Claims hold the person id resolved while reading (NULL: the identifier is not valid).
      await tag(
        s,
        spec.stage,
        '_person IS NULL',
        `${spec.identifier}|not a valid NIR or source pseudonym`,
      );
      await tag(
        s,
        spec.stage,
        '_person NOT IN (SELECT person_id FROM known_person)',
        `${spec.identifier}|person not in the beneficiary file (IR_BEN_R) nor in the warehouse`,
      );
      continue;
    }
    await tag(
      s,
      spec.stage,
      `"${spec.identifier}" IN (SELECT raw FROM person_map WHERE namespace IS NULL AND person_id IS NOT NULL AND NOT known)`,
      `${spec.identifier}|person not in the beneficiary file (IR_BEN_R) nor in the warehouse`,
    );
  }
}

/** Persons, their identity bookkeeping and observation periods. */
async function publishPersons(
  s: WarehouseSession,
  batchId: string,
  batch: number,
  out: PublishCounts,
): Promise<void> {
  await s.execute(
    // One row per person (the first in the files): an aggregate, which the engine can spill,
    // rather than DISTINCT ON, which sorts everything in memory.
    `CREATE OR REPLACE TEMP TABLE ben_first AS
     SELECT m.person_id, min((b._fi::BIGINT << 40) + b._row) AS k
     FROM ${BEN} b ${personJoin('b', 'BEN_NIR_PSA')} WHERE b._reason IS NULL GROUP BY m.person_id`,
  );
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE ben_ok AS
     SELECT m.person_id, m.fingerprint, m.kind, b._fi, b._row, b.BEN_SEX_COD, b.BEN_NAI_ANN, b.BEN_NAI_MOI,
       b.BEN_DCD_DTE, b.BEN_RES_DPT, b.BEN_RES_COM, b.BEN_DTE_INS, b.BEN_DTE_MAJ
     FROM ${BEN} b ${personJoin('b', 'BEN_NIR_PSA')}
     JOIN ben_first f ON f.person_id = m.person_id AND f.k = (b._fi::BIGINT << 40) + b._row
     WHERE b._reason IS NULL`,
  );
  const insee = sndsInseeCodeSql('BEN_RES_DPT', 'BEN_RES_COM');
  out.person = await s.execute(
    `INSERT INTO person (person_id, gender_concept_id, year_of_birth, month_of_birth, race_concept_id,
       ethnicity_concept_id, location_id, person_source_value, gender_source_value)
     SELECT b.person_id,
       CASE b.BEN_SEX_COD WHEN 1 THEN ${Concepts.male} WHEN 2 THEN ${Concepts.female} ELSE 0 END,
       b.BEN_NAI_ANN::INTEGER, try_cast(b.BEN_NAI_MOI AS INTEGER), 0, 0,
       (SELECT l.location_id FROM location l WHERE l.location_id = ${communeLocationIdSql(insee)}),
       b.kind, b.BEN_SEX_COD::VARCHAR
     FROM ben_ok b WHERE b.person_id NOT IN (SELECT person_id FROM person)`,
  );
  await s.execute(
    `INSERT INTO hygie_person_identity (person_id, fingerprint, kind, batch_id)
     SELECT DISTINCT m.person_id, m.fingerprint, m.kind, $1 FROM person_map m
     WHERE m.known AND m.person_id NOT IN (SELECT person_id FROM hygie_person_identity)`,
    [batchId],
  );
  // The extract's coverage: first and last day of care it holds.
  const [span] = await s.query<{ lo: string | null; hi: string | null }>(
    `SELECT min(EXE_SOI_DTD)::VARCHAR AS lo, max(EXE_SOI_DTD)::VARCHAR AS hi FROM ${PRS} WHERE _reason IS NULL`,
  );
  const lo = span?.lo ?? null;
  const hi = span?.hi ?? null;
  if (lo !== null && hi !== null) {
    out.observation_period = await s.execute(
      `INSERT INTO observation_period (observation_period_id, person_id, observation_period_start_date,
         observation_period_end_date, period_type_concept_id)
       SELECT ${rowIdSql(batch, 'b._fi', 'b._row')}, b.person_id, st, en, ${Concepts.claim} FROM (
         SELECT *, greatest($1::DATE, coalesce(BEN_DTE_INS, $1::DATE),
                 make_date(BEN_NAI_ANN::INTEGER, coalesce(try_cast(BEN_NAI_MOI AS INTEGER), 1), 1)) AS st,
           least($2::DATE, coalesce(BEN_DCD_DTE, $2::DATE), coalesce(BEN_DTE_MAJ, $2::DATE)) AS en
         FROM ben_ok) b
       WHERE st <= en`,
      [lo, hi],
    );
  }
}

/** Providers (health professionals), pseudonymised like persons, and ambulatory visits. */
async function publishClaims(
  s: WarehouseSession,
  keys: PseudonymKeys,
  batch: number,
  out: PublishCounts,
): Promise<void> {
  const pads = hmacPads(keys.providerKey());
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE provider_map AS
     SELECT num, ${id63Sql(hmacSql('$1', '$2', "encode('pfs:' || num)"))} AS provider_id, spe FROM (
       SELECT PFS_EXE_NUM AS num, any_value(PSE_SPE_COD) AS spe FROM ${PRS}
       WHERE _reason IS NULL AND PFS_EXE_NUM IS NOT NULL GROUP BY PFS_EXE_NUM)`,
    [pads.ipadHex, pads.opadHex],
  );
  out.provider = await s.execute(
    `INSERT INTO provider (provider_id, specialty_concept_id, specialty_source_value)
     SELECT provider_id, 0, any_value(spe)::VARCHAR FROM provider_map
     WHERE provider_id NOT IN (SELECT provider_id FROM provider) GROUP BY provider_id`,
  );
  const mapped = [...CONSULTATIONS, ...PHARMACY].join(', ');
  out.visit_occurrence = await s.execute(
    `INSERT INTO visit_occurrence (visit_occurrence_id, person_id, visit_concept_id, visit_start_date,
       visit_end_date, visit_type_concept_id, provider_id, visit_source_value)
     SELECT ${claimVisitId(batch)}, p._person,
       CASE WHEN p.PRS_NAT_REF IN (${PHARMACY.join(', ')}) THEN ${Concepts.pharmacyVisit} ELSE ${Concepts.outpatientVisit} END,
       p.EXE_SOI_DTD, greatest(p.EXE_SOI_DTD, coalesce(p.EXE_SOI_DTF, p.EXE_SOI_DTD)), ${Concepts.claim},
       pv.provider_id, p.PRS_NAT_REF::VARCHAR
     FROM ${PRS} p
     LEFT JOIN provider_map pv ON pv.num = p.PFS_EXE_NUM
     WHERE p._reason IS NULL AND p.PRS_NAT_REF IN (${mapped}) AND p.EXE_SOI_DTD IS NOT NULL`,
  );
}

/** Dispensed drugs: ER_PHA_F lines joined to their ER_PRS_F claim. */
async function publishDispensings(
  s: WarehouseSession,
  batch: number,
  out: PublishCounts,
): Promise<void> {
  // The 128-bit folded claim key plus the order number: a wrong match would need a 128-bit hash
  // collision between two claims with the same order number.
  const on = 'h._k1 = p._k1 AND h._k2 = p._k2 AND h.DCT_ORD_NUM = p.DCT_ORD_NUM';
  const valid = await count(s, `SELECT count(*) AS n FROM ${PHA} WHERE _reason IS NULL`);
  // Pharmacy lines belong to pharmacy claims: joining with those first keeps the join's build
  // side a third of all claims; lines left over (other natures) get a second, rarely needed, pass.
  // The join is cut into partitions of the folded claim key (a line and its claim always fall in
  // the same one), each small enough to be joined in memory: memory stays bounded whatever the
  // size of the extract.
  const parts = Math.max(1, Math.ceil(valid / JOIN_PARTITION_ROWS));
  const insert = async (natures: string): Promise<number> => {
    let n = 0;
    for (let part = 0; part < parts; part++)
      n += await insertPart(natures, `_k1 % ${parts} = ${part}`);
    return n;
  };
  const insertPart = (natures: string, partition: string): Promise<number> =>
    s.execute(
      `INSERT INTO drug_exposure (drug_exposure_id, person_id, drug_concept_id, drug_exposure_start_date,
         drug_exposure_end_date, drug_type_concept_id, quantity, days_supply, visit_occurrence_id,
         drug_source_value, drug_source_concept_id)
       SELECT ${derivedIdSql(batch, 2, 'h._id')}, p._person, coalesce(c.concept_id, 0), p.EXE_SOI_DTD,
         p.EXE_SOI_DTD + (30 * greatest(1, coalesce(h.PHA_ACT_QSN, 1)) - 1)::INTEGER, ${Concepts.claim},
         h.PHA_ACT_QSN, 30 * greatest(1, coalesce(h.PHA_ACT_QSN, 1)),
         CASE WHEN p.PRS_NAT_REF IN (${PHARMACY.join(', ')}) THEN ${claimVisitId(batch)} END,
         coalesce(h.PHA_PRS_C13::VARCHAR, 'CIP7:' || h.PHA_PRS_IDE::VARCHAR), coalesce(c.concept_id, 0)
       FROM (SELECT * FROM ${PHA} WHERE _reason IS NULL AND ${partition}) h
       JOIN (SELECT * FROM ${PRS} WHERE _reason IS NULL AND EXE_SOI_DTD IS NOT NULL AND ${natures} AND ${partition}) p ON ${on}
       LEFT JOIN lookup_cip13_number c ON c.code = h.PHA_PRS_C13`,
    );
  const pharmacy = `PRS_NAT_REF IN (${PHARMACY.join(', ')})`;
  out.drug_exposure = await insert(pharmacy);
  if (out.drug_exposure < valid)
    out.drug_exposure += await insert(`(PRS_NAT_REF IS NULL OR NOT ${pharmacy})`);
  if (out.drug_exposure < valid) {
    await tag(
      s,
      PHA,
      `NOT EXISTS (SELECT 1 FROM ${PRS} p WHERE ${PHA}._k1 = p._k1 AND ${PHA}._k2 = p._k2 AND ${PHA}.DCT_ORD_NUM IS NOT DISTINCT FROM p.DCT_ORD_NUM AND p._reason IS NULL AND p.EXE_SOI_DTD IS NOT NULL)`,
      'DCT_ORD_NUM|no valid claim (ER_PRS_F) with this key',
    );
  }
}

/** Hospital stays (PMSI MCO): one inpatient visit per stay, diagnoses and acts. */
async function publishStays(s: WarehouseSession, batch: number, out: PublishCounts): Promise<void> {
  // A stay is a B row with its C row (patient and dates), keyed by year, establishment and number.
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE stay AS
     SELECT b._fi, b._row, b._year, try_cast(b.ETA_NUM AS BIGINT) AS eta, b.RSA_NUM AS rsa, m.person_id,
       coalesce(try_strptime(c.ENT_DAT, '%d%m%Y')::DATE, try_strptime(c.EXE_SOI_DTD, '%d%b%Y:%H:%M:%S')::DATE) AS entry,
       coalesce(try_strptime(c.SOR_DAT, '%d%m%Y')::DATE, try_strptime(c.EXE_SOI_DTF, '%d%b%Y:%H:%M:%S')::DATE) AS exit,
       b.DGN_PAL AS dp, b.DGN_REL AS dr, b.ENT_MOD AS ent_mod, b.SOR_MOD AS sor_mod
     FROM ${MB} b JOIN ${MC} c ON c._year IS NOT DISTINCT FROM b._year AND c.ETA_NUM = try_cast(b.ETA_NUM AS BIGINT)
       AND c.RSA_NUM = b.RSA_NUM AND c._reason IS NULL
     ${personJoin('c', 'NIR_ANO_17')}
     WHERE b._reason IS NULL`,
  );
  const stays = await count(s, 'SELECT count(*) AS n FROM stay WHERE entry IS NOT NULL');
  const validB = await count(s, `SELECT count(*) AS n FROM ${MB} WHERE _reason IS NULL`);
  const validC = await count(s, `SELECT count(*) AS n FROM ${MC} WHERE _reason IS NULL`);
  if (stays < validB) {
    await tag(
      s,
      MB,
      `NOT EXISTS (SELECT 1 FROM stay x WHERE x._fi = ${MB}._fi AND x._row = ${MB}._row AND x.entry IS NOT NULL)`,
      'RSA_NUM|no valid patient record (T_MCOaaC) for this stay',
    );
  }
  if (stays < validC) {
    await tag(
      s,
      MC,
      `NOT EXISTS (SELECT 1 FROM stay x WHERE x._year IS NOT DISTINCT FROM ${MC}._year AND x.eta = ${MC}.ETA_NUM AND x.rsa = ${MC}.RSA_NUM AND x.entry IS NOT NULL)`,
      'RSA_NUM|no valid stay (T_MCOaaB) for this patient record',
    );
  }
  await s.execute('DELETE FROM stay WHERE entry IS NULL');
  const visitId = rowIdSql(batch, 'x._fi', 'x._row');
  out.visit_occurrence =
    (out.visit_occurrence ?? 0) +
    (await s.execute(
      `INSERT INTO visit_occurrence (visit_occurrence_id, person_id, visit_concept_id, visit_start_date,
       visit_end_date, visit_type_concept_id, visit_source_value, admitted_from_concept_id,
       admitted_from_source_value, discharged_to_concept_id, discharged_to_source_value)
     SELECT ${visitId}, x.person_id, ${Concepts.inpatientVisit}, x.entry, greatest(x.entry, coalesce(x.exit, x.entry)),
       ${Concepts.claim}, 'PMSI MCO', 0, x.ent_mod, 0, x.sor_mod
     FROM stay x`,
    ));
  const condition = (
    variant: number,
    code: string,
    status: number,
    statusSource: string,
    where: string,
  ): Promise<number> =>
    s.execute(
      `INSERT INTO condition_occurrence (condition_occurrence_id, person_id, condition_concept_id,
         condition_start_date, condition_end_date, condition_type_concept_id, condition_status_concept_id,
         visit_occurrence_id, condition_source_value, condition_source_concept_id, condition_status_source_value)
       SELECT ${rowIdSql(batch, 'x._fi', 'x._row', variant)}, x.person_id, coalesce(c.concept_id, 0), x.entry,
         greatest(x.entry, coalesce(x.exit, x.entry)), ${Concepts.claim}, ${status}, ${visitId}, ${code},
         coalesce(c.concept_id, 0), '${statusSource}'
       FROM stay x LEFT JOIN ${lookupTable('CIM10')} c ON c.code = ${code} WHERE ${where}`,
    );
  let conditions = await condition(0, 'x.dp', Concepts.primaryDiagnosis, 'DP', 'x.dp IS NOT NULL');
  conditions += await condition(1, 'x.dr', Concepts.secondaryDiagnosis, 'DR', 'x.dr IS NOT NULL');
  // Associated diagnoses and acts of a published stay.
  const stayOf = (t: string): string =>
    `JOIN stay x ON x._year IS NOT DISTINCT FROM ${t}._year AND x.eta = try_cast(${t}.ETA_NUM AS BIGINT) AND x.rsa = try_cast(${t}.RSA_NUM AS BIGINT)`;
  const validD = await count(s, `SELECT count(*) AS n FROM ${MD} WHERE _reason IS NULL`);
  const das = await s.execute(
    `INSERT INTO condition_occurrence (condition_occurrence_id, person_id, condition_concept_id,
       condition_start_date, condition_end_date, condition_type_concept_id, condition_status_concept_id,
       visit_occurrence_id, condition_source_value, condition_source_concept_id, condition_status_source_value)
     SELECT ${rowIdSql(batch, `${MD}._fi`, `${MD}._row`)}, x.person_id, coalesce(c.concept_id, 0), x.entry,
       greatest(x.entry, coalesce(x.exit, x.entry)), ${Concepts.claim}, ${Concepts.secondaryDiagnosis}, ${visitId},
       ${MD}.ASS_DGN, coalesce(c.concept_id, 0), 'DAS'
     FROM ${MD} ${stayOf(MD)} LEFT JOIN ${lookupTable('CIM10')} c ON c.code = ${MD}.ASS_DGN
     WHERE ${MD}._reason IS NULL`,
  );
  if (das < validD) {
    await tag(
      s,
      MD,
      `NOT EXISTS (SELECT 1 FROM stay x WHERE x._year IS NOT DISTINCT FROM ${MD}._year AND x.eta = try_cast(${MD}.ETA_NUM AS BIGINT) AND x.rsa = try_cast(${MD}.RSA_NUM AS BIGINT))`,
      'RSA_NUM|no published stay for this diagnosis',
    );
  }
  out.condition_occurrence = (out.condition_occurrence ?? 0) + conditions + das;
  const validA = await count(s, `SELECT count(*) AS n FROM ${MA} WHERE _reason IS NULL`);
  out.procedure_occurrence = await s.execute(
    `INSERT INTO procedure_occurrence (procedure_occurrence_id, person_id, procedure_concept_id, procedure_date,
       procedure_type_concept_id, quantity, visit_occurrence_id, procedure_source_value, procedure_source_concept_id)
     SELECT ${rowIdSql(batch, `${MA}._fi`, `${MA}._row`)}, x.person_id, coalesce(c.concept_id, 0),
       x.entry + coalesce(${MA}.ENT_DAT_DEL, 0)::INTEGER, ${Concepts.claim}, ${MA}.NBR_EXE_ACT::INTEGER, ${visitId},
       ${MA}.CDC_ACT, coalesce(c.concept_id, 0)
     FROM ${MA} ${stayOf(MA)} LEFT JOIN ${lookupTable('CCAM')} c ON c.code = ${MA}.CDC_ACT
     WHERE ${MA}._reason IS NULL`,
  );
  if (out.procedure_occurrence < validA) {
    await tag(
      s,
      MA,
      `NOT EXISTS (SELECT 1 FROM stay x WHERE x._year IS NOT DISTINCT FROM ${MA}._year AND x.eta = try_cast(${MA}.ETA_NUM AS BIGINT) AND x.rsa = try_cast(${MA}.RSA_NUM AS BIGINT))`,
      'RSA_NUM|no published stay for this act',
    );
  }
}

/** Deaths: the CépiDc record (initial cause) first, else the beneficiary file's date. */
async function publishDeaths(
  s: WarehouseSession,
  batch: number,
  out: PublishCounts,
): Promise<void> {
  out.death = await s.execute(
    `INSERT INTO death (person_id, death_date, death_type_concept_id, cause_concept_id, cause_source_value, cause_source_concept_id)
     SELECT person_id, death_date, type, cause, source, cause FROM (
       SELECT DISTINCT ON (person_id) * FROM (
         SELECT m.person_id, k.BEN_DCD_DTE AS death_date, ${Concepts.registry} AS type, coalesce(c.concept_id, 0) AS cause,
           k.DCD_CIM_COD AS source, 0 AS pref
         FROM ${CCI} k ${personJoin('k', 'BEN_NIR_ANO')} LEFT JOIN ${lookupTable('CIM10')} c ON c.code = k.DCD_CIM_COD
         WHERE k._reason IS NULL AND k.BEN_DCD_DTE IS NOT NULL
         UNION ALL
         SELECT person_id, BEN_DCD_DTE, ${Concepts.claim}, 0, NULL, 1 FROM ben_ok WHERE BEN_DCD_DTE IS NOT NULL)
       ORDER BY person_id, pref)
     WHERE person_id NOT IN (SELECT person_id FROM death)`,
  );
  // Every certified cause (KI_ECD_R) as a condition at the date of death, registry type.
  out.condition_occurrence =
    (out.condition_occurrence ?? 0) +
    (await s.execute(
      `INSERT INTO condition_occurrence (condition_occurrence_id, person_id, condition_concept_id,
       condition_start_date, condition_type_concept_id, condition_source_value, condition_source_concept_id,
       condition_status_source_value)
     SELECT ${rowIdSql(batch, 'e._fi', 'e._row')}, m.person_id, coalesce(c.concept_id, 0), e.BEN_DCD_DTE,
       ${Concepts.registry}, e.ECD_CIM_COD, coalesce(c.concept_id, 0), 'cause of death ' || coalesce(e.ECD_CAU_RNG::VARCHAR, '')
     FROM ${ECD} e ${personJoin('e', 'BEN_NIR_ANO')} LEFT JOIN ${lookupTable('CIM10')} c ON c.code = e.ECD_CIM_COD
     WHERE e._reason IS NULL AND e.BEN_DCD_DTE IS NOT NULL`,
    ));
}

/** Publishes the whole staged extract; returns CDM rows written per table. */
export async function publishSnds(
  s: WarehouseSession,
  keys: PseudonymKeys,
  batchId: string,
  batch: number,
  timings: Record<string, number> = {},
): Promise<PublishCounts> {
  const out: PublishCounts = {};
  const steps: [string, () => Promise<void>][] = [
    ['persons', () => resolvePersons(s)],
    ['person rows', () => publishPersons(s, batchId, batch, out)],
    ['claims', () => publishClaims(s, keys, batch, out)],
    ['dispensings', () => publishDispensings(s, batch, out)],
    ['stays', () => publishStays(s, batch, out)],
    ['deaths', () => publishDeaths(s, batch, out)],
  ];
  for (const [name, step] of steps) {
    const t = performance.now();
    await step();
    timings[`publish ${name}`] = Math.round(performance.now() - t);
  }
  return out;
}
