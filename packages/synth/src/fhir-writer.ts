/**
 * Writes a person's record as FHIR R4 resources in Bulk Data NDJSON (one resource type per file):
 * Patient (with NIR as INS-NIR identifier, name, exact birth date, phone and addresses —
 * identifiers as a hospital export carries them; with `--source-key` the NIR is replaced by its
 * source pseudonym), Encounter, Condition, MedicationDispense, Procedure and Observation.
 */
import { CodeSystems, INSEE_ADDRESS_EXTENSION, Rng, dottedCim10 } from '@hygie/core';
import { labTests } from '@hygie/reference';
import type { ChunkOutput } from './chunk-output.js';
import { isoText } from './date-text.js';
import type { PersonRecord, Stay } from './events.js';
import type { Identity } from './identity.js';
import type { World } from './world.js';

const SPECIALTY_NAMES: Readonly<Record<number, string>> = {
  1: 'Médecine générale',
  3: 'Pathologie cardio-vasculaire',
  5: 'Dermatologie',
  7: 'Gynécologie obstétrique',
  8: 'Gastro-entérologie',
  12: 'Pédiatrie',
  13: 'Pneumologie',
  15: 'Ophtalmologie',
  16: 'Chirurgie urologique',
  32: 'Neurologie',
  33: 'Psychiatrie',
  35: 'Néphrologie',
  42: 'Endocrinologie',
  73: 'Oncologie médicale',
};

/** A deterministic version-4-shaped UUID for a person's Patient resource. */
export function patientUuid(seed: string, index: number): string {
  const r = Rng.from(seed, 'patient-uuid', index);
  const h = Array.from({ length: 4 }, () => r.next().toString(16).padStart(8, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16] as string, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Writes FHIR NDJSON lines for persons of one work unit. */
export class FhirWriter {
  private readonly world: World;
  private readonly out: ChunkOutput;
  private readonly labs: ReadonlyMap<string, { name: string; unit: string }>;

  constructor(world: World, out: ChunkOutput) {
    this.world = world;
    this.out = out;
    this.labs = new Map(labTests().map((t) => [t.loinc, { name: t.name, unit: t.unit }]));
  }

  /**
   * Writes every resource of one person. `personId` is the NIR, or its source pseudonym when the
   * world has a source key (names, birth date and addresses stay, as a hospital export keeps
   * them).
   */
  write(id: Identity, personId: string, rec: PersonRecord): void {
    const w = this.world;
    const pid = patientUuid(w.options.seed, id.index);
    const subject = { reference: `Patient/${pid}` };
    const tag = id.index.toString(36);
    const addresses = rec.residences.map((r, i) => {
      const next = rec.residences[i + 1];
      const code = w.communeCode[r.commune] as string;
      return {
        use: next ? 'old' : 'home',
        line: [
          i === rec.residences.length - 1
            ? rec.street
            : `${1 + ((id.index + i) % 90)} rue de la Gare`,
        ],
        city: w.communeName[r.commune],
        postalCode: w.communePostal[r.commune],
        country: 'FR',
        extension: [
          { url: INSEE_ADDRESS_EXTENSION, valueCoding: { system: CodeSystems.inseeCommune, code } },
        ],
        period: { start: isoText(r.from), ...(next ? { end: isoText(next.from - 1) } : {}) },
      };
    });
    const patient: Record<string, unknown> = {
      resourceType: 'Patient',
      id: pid,
      identifier: [
        {
          use: 'official',
          system: w.sourceNirKey ? CodeSystems.nirSourcePseudonym : CodeSystems.insNir,
          value: personId,
        },
      ],
      name: [{ use: 'official', family: id.family, given: [id.given] }],
      telecom: [{ system: 'phone', value: rec.phone, use: 'home' }],
      gender: id.sex === 1 ? 'male' : 'female',
      birthDate: isoText(id.birthDay),
      address: addresses,
    };
    if (rec.death) patient.deceasedDateTime = isoText(rec.death.day);
    this.out.add('fhir/Patient.ndjson', JSON.stringify(patient));

    let n = 0;
    const cim = (code: string): { system: string; code: string } => ({
      system: CodeSystems.cim10,
      code: dottedCim10(code),
    });

    for (const c of rec.conditions) {
      const condition: Record<string, unknown> = {
        resourceType: 'Condition',
        id: `cnd-${tag}-${n++}`,
        clinicalStatus: {
          coding: [
            {
              system: CodeSystems.conditionClinical,
              code: c.end !== null && c.end <= w.endDay ? 'resolved' : 'active',
            },
          ],
        },
        category: [
          { coding: [{ system: CodeSystems.conditionCategory, code: 'problem-list-item' }] },
        ],
        code: { coding: [cim(c.code)] },
        subject,
        onsetDateTime: isoText(Math.max(c.onset, id.birthDay)),
      };
      if (c.end !== null && c.end <= w.endDay) condition.abatementDateTime = isoText(c.end);
      this.out.add('fhir/Condition.ndjson', JSON.stringify(condition));
    }

    for (const c of rec.consultations) {
      const eid = `enc-${tag}-${n++}`;
      this.out.add(
        'fhir/Encounter.ndjson',
        JSON.stringify({
          resourceType: 'Encounter',
          id: eid,
          status: 'finished',
          class: { system: CodeSystems.actCode, code: 'AMB', display: 'ambulatory' },
          type: [
            {
              coding: [
                {
                  system: CodeSystems.sndsSpecialty,
                  code: String(c.spe),
                  display: SPECIALTY_NAMES[c.spe] ?? 'Spécialiste',
                },
              ],
            },
          ],
          subject,
          period: { start: isoText(c.day), end: isoText(c.day) },
          reasonCode: [{ coding: [cim(c.reason)] }],
        }),
      );
      if (c.syndrome !== null) {
        this.out.add(
          'fhir/Condition.ndjson',
          JSON.stringify({
            resourceType: 'Condition',
            id: `cnd-${tag}-${n++}`,
            clinicalStatus: {
              coding: [{ system: CodeSystems.conditionClinical, code: 'resolved' }],
            },
            category: [
              { coding: [{ system: CodeSystems.conditionCategory, code: 'encounter-diagnosis' }] },
            ],
            code: { coding: [cim(c.reason)] },
            subject,
            encounter: { reference: `Encounter/${eid}` },
            onsetDateTime: isoText(c.day),
            recordedDate: isoText(c.day),
          }),
        );
      }
    }

    for (const d of rec.dispensings) {
      for (const it of d.items) {
        this.out.add(
          'fhir/MedicationDispense.ndjson',
          JSON.stringify({
            resourceType: 'MedicationDispense',
            id: `mdd-${tag}-${n++}`,
            status: 'completed',
            medicationCodeableConcept: {
              coding: [
                { system: CodeSystems.cip13, code: it.cip13, display: it.label },
                { system: CodeSystems.atc, code: it.atc5 },
              ],
            },
            subject,
            quantity: { value: it.boxes, unit: 'boîte' },
            daysSupply: { value: 30 * it.boxes, unit: 'd', system: CodeSystems.ucum, code: 'd' },
            whenHandedOver: isoText(d.day),
          }),
        );
      }
    }

    for (const l of rec.labs) {
      const t = this.labs.get(l.loinc);
      const vital = l.loinc === '8480-6' || l.loinc === '8462-4';
      this.out.add(
        'fhir/Observation.ndjson',
        JSON.stringify({
          resourceType: 'Observation',
          id: `obs-${tag}-${n++}`,
          status: 'final',
          category: [
            {
              coding: [
                {
                  system: CodeSystems.observationCategory,
                  code: vital ? 'vital-signs' : 'laboratory',
                },
              ],
            },
          ],
          code: {
            coding: [{ system: CodeSystems.loinc, code: l.loinc, display: t?.name ?? l.loinc }],
          },
          subject,
          effectiveDateTime: isoText(l.day),
          valueQuantity: {
            value: Number(l.value.toFixed(l.decimals)),
            unit: t?.unit ?? '',
            system: CodeSystems.ucum,
            code: t?.unit ?? '',
          },
        }),
      );
    }

    for (const s of rec.stays) this.writeStay(s, tag, subject, () => n++);
  }

  private writeStay(
    s: Stay,
    tag: string,
    subject: { reference: string },
    next: () => number,
  ): void {
    const eid = `enc-${tag}-${next()}`;
    const cim = (code: string): { system: string; code: string } => ({
      system: CodeSystems.cim10,
      code: dottedCim10(code),
    });
    const diagnoses = [s.dp, ...(s.dr ? [s.dr] : []), ...s.das];
    const conditionIds = diagnoses.map(() => `cnd-${tag}-${next()}`);
    this.out.add(
      'fhir/Encounter.ndjson',
      JSON.stringify({
        resourceType: 'Encounter',
        id: eid,
        status: 'finished',
        class: {
          system: CodeSystems.actCode,
          code: s.exit > s.entry ? 'IMP' : 'SS',
          display: s.exit > s.entry ? 'inpatient encounter' : 'short stay',
        },
        subject,
        period: { start: isoText(s.entry), end: isoText(s.exit) },
        diagnosis: conditionIds.map((cid, i) => ({
          condition: { reference: `Condition/${cid}` },
          use: { coding: [{ system: CodeSystems.diagnosisRole, code: i === 0 ? 'DD' : 'CM' }] },
          rank: i + 1,
        })),
        hospitalization: {
          dischargeDisposition: {
            coding: [
              {
                system: CodeSystems.dischargeDisposition,
                code: s.exitMode === '9' ? 'exp' : 'home',
              },
            ],
          },
        },
        serviceProvider: {
          identifier: {
            system: CodeSystems.syntheticEstablishment,
            value: s.etaNum,
          },
        },
      }),
    );
    diagnoses.forEach((code, i) => {
      this.out.add(
        'fhir/Condition.ndjson',
        JSON.stringify({
          resourceType: 'Condition',
          id: conditionIds[i],
          category: [
            { coding: [{ system: CodeSystems.conditionCategory, code: 'encounter-diagnosis' }] },
          ],
          code: { coding: [cim(code)] },
          subject,
          encounter: { reference: `Encounter/${eid}` },
          recordedDate: isoText(s.exit),
        }),
      );
    });
    for (const a of s.acts) {
      this.out.add(
        'fhir/Procedure.ndjson',
        JSON.stringify({
          resourceType: 'Procedure',
          id: `prc-${tag}-${next()}`,
          status: 'completed',
          code: { coding: [{ system: CodeSystems.ccam, code: a.code }] },
          subject,
          encounter: { reference: `Encounter/${eid}` },
          performedDateTime: isoText(s.entry + a.offset),
        }),
      );
    }
  }
}
