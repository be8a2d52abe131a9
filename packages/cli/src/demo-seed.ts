/**
 * Seeding the demo platform: one account per role (passwords drawn at random and printed once,
 * reset at each run so the printed ones always work), and one research project whose application
 * two reviewers have approved, so a permit exists to try the data routes with. Idempotent:
 * accounts and the project are created once; a second run resets passwords only.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '@hygie/core';
import type { ApplicationContentInput, Role } from '@hygie/core';
import { actorOf } from '@hygie/governance';
import type { GovernanceStore, User } from '@hygie/governance';

/** A demo account as printed for the newcomer. */
export interface DemoAccount {
  login: string;
  password: string;
  roles: readonly Role[];
  displayName: string;
}

/** What the seeding produced. */
export interface DemoSeed {
  accounts: DemoAccount[];
  projectId: string;
  permitId: string;
  projectCreated: boolean;
}

const ACCOUNTS: readonly { login: string; displayName: string; roles: readonly Role[] }[] = [
  { login: 'admin', displayName: 'Administratrice des données', roles: ['admin'] },
  {
    login: 'chercheuse',
    displayName: 'Dr Camille Laurent (épidémiologiste)',
    roles: ['researcher'],
  },
  { login: 'relecteur-1', displayName: 'Pr Alain Moreau (comité d’accès)', roles: ['reviewer'] },
  { login: 'relecteur-2', displayName: 'Dr Inès Haddad (comité d’accès)', roles: ['reviewer'] },
  {
    login: 'controleur',
    displayName: 'Julien Petit (contrôle des sorties)',
    roles: ['output_checker'],
  },
  { login: 'analyste', displayName: 'Sophie Garnier (santé publique)', roles: ['analyst'] },
  { login: 'auditrice', displayName: 'Claire Fontaine (audit)', roles: ['auditor'] },
];

/** Title of the demo project (its identity for idempotence). */
export const DEMO_PROJECT_TITLE =
  'Diabète de type 2 : incidence et traitements par département (2019–2024)';

const DEMO_APPLICATION: ApplicationContentInput = {
  data: [
    {
      table: 'person',
      variables: [
        'person_id',
        'gender_concept_id',
        'year_of_birth',
        'month_of_birth',
        'location_id',
      ],
    },
    { table: 'location', variables: ['location_id', 'county', 'state'] },
    {
      table: 'observation_period',
      variables: ['person_id', 'observation_period_start_date', 'observation_period_end_date'],
    },
    {
      table: 'condition_occurrence',
      variables: ['person_id', 'condition_concept_id', 'condition_start_date'],
    },
    {
      table: 'drug_exposure',
      variables: ['person_id', 'drug_concept_id', 'drug_exposure_start_date'],
    },
    { table: 'visit_occurrence', variables: ['person_id', 'visit_concept_id', 'visit_start_date'] },
    { table: 'death', variables: ['person_id', 'death_date'] },
  ],
  population: { ageRange: { min: 18, max: 130 } },
  period: { from: '2019-01-01', to: '2024-12-31' },
  durationMonths: 24,
  accessMode: 'aggregate_only',
  justification: 'Agrégats par département, année, sexe et classe d’âge uniquement.',
  requestedEpsilon: 2,
};

function newPassword(): string {
  return randomBytes(12).toString('base64url');
}

async function ensureAccount(
  store: GovernanceStore,
  spec: (typeof ACCOUNTS)[number],
): Promise<{ user: User; password: string }> {
  const password = newPassword();
  const existing = await store.users.findByLogin(spec.login);
  if (existing === null) {
    const user = await store.users.create(SYSTEM_ACTOR, {
      ...spec,
      roles: [...spec.roles],
      password,
    });
    return { user, password };
  }
  await store.users.setPassword(SYSTEM_ACTOR, existing.id, password);
  if (existing.lockedUntil !== null) await store.users.unlock(SYSTEM_ACTOR, existing.id);
  if (existing.disabledAt !== null) await store.users.enable(SYSTEM_ACTOR, existing.id);
  return { user: existing, password };
}

/** Seeds (or refreshes) the demo accounts and the approved demo project. */
export async function seedDemo(store: GovernanceStore): Promise<DemoSeed> {
  const accounts: DemoAccount[] = [];
  const users = new Map<string, User>();
  for (const spec of ACCOUNTS) {
    const { user, password } = await ensureAccount(store, spec);
    users.set(spec.login, user);
    accounts.push({
      login: spec.login,
      password,
      roles: spec.roles,
      displayName: spec.displayName,
    });
  }
  const researcher = users.get('chercheuse');
  const r1 = users.get('relecteur-1');
  const r2 = users.get('relecteur-2');
  if (!researcher || !r1 || !r2) throw new Error('demo accounts missing');
  const existing = (await store.projects.list()).find((p) => p.title === DEMO_PROJECT_TITLE);
  if (existing) {
    const permit = (await store.permits.listByProject(existing.id))[0];
    if (permit)
      return { accounts, projectId: existing.id, permitId: permit.id, projectCreated: false };
  }
  const alice = actorOf(researcher);
  const project =
    existing ??
    (await store.projects.create(alice, {
      title: DEMO_PROJECT_TITLE,
      purpose:
        'Estimer l’incidence du diabète de type 2 traité et la part des patients sous metformine, par département, sexe et classe d’âge, de 2019 à 2024.',
      legalBasis: 'RGPD art. 6(1)(e) et 9(2)(j) ; méthodologie de référence CNIL MR-004',
      funding: 'Programme national de recherche (démonstration)',
      publicSummary:
        'Combien de personnes commencent un traitement du diabète de type 2 chaque année, et où ? Cette étude produit des indicateurs agrégés par département ; aucune donnée individuelle ne quitte la plateforme.',
    }));
  const draft = await store.applications.createDraft(alice, project.id, DEMO_APPLICATION);
  await store.applications.submit(alice, draft.id, 'Demande complète');
  await store.applications.startReview(actorOf(r1), draft.id);
  await store.applications.review(actorOf(r1), draft.id, {
    decision: 'approve',
    comment: 'Finalité claire, agrégats seulement, variables minimales.',
  });
  const outcome = await store.applications.review(actorOf(r2), draft.id, {
    decision: 'approve',
    comment: 'Conforme à la MR-004.',
  });
  if (!outcome.permit) throw new Error('the demo application was not approved');
  return {
    accounts,
    projectId: project.id,
    permitId: outcome.permit.id,
    projectCreated: existing === undefined,
  };
}

/** A citizen of the synthetic population the newcomer can identify as (NIR + birth date). */
export interface DemoCitizen {
  nir: string;
  birthDate: string;
  name: string;
}

/**
 * The first adult patient of the synthetic hospital export: synthetic identifiers, printed so the
 * newcomer can try the citizen pages (opt-out, "who used my data").
 */
export async function pickDemoCitizen(
  fhirDir: string,
  referenceYear: number,
): Promise<DemoCitizen | null> {
  const file = join(fhirDir, 'Patient.ndjson');
  if (!existsSync(file)) return null;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const p = JSON.parse(line) as {
        birthDate?: string;
        identifier?: { system?: string; value?: string }[];
        name?: { family?: string; given?: string[] }[];
        deceasedDateTime?: string;
      };
      const nir = p.identifier?.find((i) => i.system === 'urn:oid:1.2.250.1.213.1.4.8')?.value;
      const year = Number(p.birthDate?.slice(0, 4));
      if (
        !nir ||
        !p.birthDate ||
        p.deceasedDateTime ||
        referenceYear - year < 30 ||
        referenceYear - year > 75
      )
        continue;
      const n = p.name?.[0];
      return {
        nir,
        birthDate: p.birthDate,
        name: `${n?.given?.join(' ') ?? ''} ${n?.family ?? ''}`.trim(),
      };
    }
  } finally {
    lines.close();
  }
  return null;
}
