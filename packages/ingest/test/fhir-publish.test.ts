/**
 * Publishing FHIR that other tools produce: a Synthea-style transaction Bundle (SNOMED CT, RxNorm,
 * LOINC, CVX; `urn:uuid:` references; no NIR) goes into the warehouse with its source codes kept,
 * the known ones mapped, its persons pseudonymised in the source's namespace, and the resource
 * types Hygie does not take quarantined without failing the batch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createFhirConnector, runBatch } from '../src/index.js';
import { freshWarehouse, testKeys } from './ingest-helpers.js';

const SYNTHEA = fileURLToPath(new URL('../../test/fixtures/fhir/synthea/', import.meta.url));

test('a Synthea-style Bundle is published with codes mapped or kept, in the source namespace', async () => {
  const engine = await freshWarehouse();
  try {
    const r = await runBatch(engine, testKeys(), {
      connector: createFhirConnector(),
      paths: [SYNTHEA],
      source: 'synthea-test',
    });
    assert.equal(r.status, 'published', r.error);
    for (const t of Object.values(r.tables)) assert.equal(t.loaded + t.quarantined, t.read);
    // Claim, DiagnosticReport and Provenance are not taken: quarantined, but the batch publishes.
    assert.ok((r.tables.Claim?.quarantined ?? 0) >= 1);
    const [p] = await engine.query<{ kind: string; n: number }>(
      'SELECT person_source_value AS kind, count(*) AS n FROM person GROUP BY 1',
    );
    assert.equal(p?.kind, 'ns:synthea-test', 'no NIR: pseudonymised within the source namespace');
    const snomed = await engine.query<{ v: string; c: number }>(
      `SELECT condition_source_value AS v, condition_concept_id AS c FROM condition_occurrence WHERE condition_source_value LIKE 'SNOMED:%'`,
    );
    assert.ok(snomed.length >= 2);
    // A Condition coded in SNOMED CT *and* ICD-10 takes the ICD-10 code, mapped to CIM-10.
    const icd = await engine.query<{ c: number }>(
      `SELECT condition_concept_id AS c FROM condition_occurrence WHERE condition_source_value LIKE 'E11%'`,
    );
    assert.ok(icd.length === 1 && icd[0]!.c !== 0);
    assert.ok(
      snomed.every((x) => x.c === 0),
      'SNOMED has no vocabulary in Hygie yet: concept 0, code kept',
    );
    const rx = await engine.query<{ v: string }>(
      `SELECT drug_source_value AS v FROM drug_exposure WHERE drug_source_value LIKE 'RXNORM:%'`,
    );
    assert.ok(rx.length >= 1);
    // Blood pressure panel components become measurements; LOINC codes Hygie has are mapped.
    const bp = await engine.query<{ v: string; c: number; x: number }>(
      `SELECT measurement_source_value AS v, measurement_concept_id AS c, value_as_number AS x FROM measurement WHERE measurement_source_value IN ('8480-6', '8462-4')`,
    );
    assert.equal(bp.length, 2);
    assert.ok(bp.every((m) => m.c !== 0 && m.x > 0));
    // Every event belongs to a person of the warehouse and to a visit of the batch when it had one.
    const [orphans] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM condition_occurrence WHERE person_id NOT IN (SELECT person_id FROM person)
         OR (visit_occurrence_id IS NOT NULL AND visit_occurrence_id NOT IN (SELECT visit_occurrence_id FROM visit_occurrence))`,
    );
    assert.equal(Number(orphans?.n), 0);
  } finally {
    await engine.close();
  }
});
