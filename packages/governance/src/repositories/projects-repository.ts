/**
 * Research projects, their teams and their results. The team matters beyond the project: its
 * members submit applications and use permits, may not review their own project's applications,
 * and record what the project has published (shown in the public directory).
 */
import {
  HygieError,
  actorHasRole,
  parseGovernanceInput,
  projectInputSchema,
  projectPatchSchema,
  projectResultInputSchema,
  teamMemberSchema,
} from '@hygie/core';
import type {
  Actor,
  ProjectInput,
  ProjectPatch,
  ProjectResultInput,
  ProjectResultKind,
  ProjectRole,
  ProjectStatus,
  TeamMember,
} from '@hygie/core';
import type { Kysely, Selectable } from 'kysely';
import { runAudited } from '../audited-operation.js';
import type { GovernanceDatabase, ProjectResultsTable, ProjectsTable } from '../database.js';
import { newId, notFound, requireReason, requireRole, requireUserActor } from '../guards.js';
import type { StoreContext } from '../store-context.js';
import { getUser } from './users-repository.js';

/** A member of a project's team. */
export interface ProjectMember {
  readonly userId: string;
  readonly displayName: string;
  readonly projectRole: ProjectRole;
  readonly addedAt: string;
}

/** A project. */
export interface Project {
  readonly id: string;
  readonly title: string;
  readonly purpose: string;
  readonly legalBasis: string;
  readonly funding: string | null;
  readonly publicSummary: string;
  readonly status: ProjectStatus;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly team: readonly ProjectMember[];
}

/**
 * Something a project has published from its work. Removed results keep their row (`removedAt`,
 * who and why): the directory stops showing them, the team still sees them.
 */
export interface ProjectResult {
  readonly id: string;
  readonly projectId: string;
  readonly title: string;
  readonly kind: ProjectResultKind;
  /** An http or https link. */
  readonly url: string | null;
  /** Publication date `YYYY-MM-DD`. */
  readonly publishedOn: string | null;
  readonly summary: string | null;
  readonly addedBy: string;
  readonly addedAt: string;
  readonly removedAt: string | null;
  readonly removedBy: string | null;
  readonly removalReason: string | null;
}

type Db = Kysely<GovernanceDatabase>;

function toResult(row: Selectable<ProjectResultsTable>): ProjectResult {
  return {
    id: row.id,
    projectId: row.project_id,
    title: row.title,
    kind: row.kind as ProjectResultKind,
    url: row.url,
    publishedOn: row.published_on,
    summary: row.summary,
    addedBy: row.added_by,
    addedAt: row.added_at,
    removedAt: row.removed_at,
    removedBy: row.removed_by,
    removalReason: row.removal_reason,
  };
}

/**
 * Newest first: by publication date, or for a result without one, the day it was recorded; then
 * the latest recorded. Sorted here rather than in SQL because the engines disagree on where
 * NULLs sort, and a project has few results.
 */
function newestFirst(
  a: Pick<ProjectResult, 'publishedOn' | 'addedAt' | 'id'>,
  b: Pick<ProjectResult, 'publishedOn' | 'addedAt' | 'id'>,
): number {
  const day = (r: typeof a) => r.publishedOn ?? r.addedAt.slice(0, 10);
  const byKey = (x: string, y: string) => (x < y ? 1 : x > y ? -1 : 0);
  return byKey(day(a), day(b)) || byKey(a.addedAt, b.addedAt) || byKey(a.id, b.id);
}

/**
 * Results of a project, newest first (see `newestFirst`); removed ones only if `includeRemoved`.
 * Does not check that the project exists.
 */
export async function projectResults(
  db: Db,
  projectId: string,
  options: { includeRemoved: boolean },
): Promise<ProjectResult[]> {
  let q = db.selectFrom('gov_project_results').selectAll().where('project_id', '=', projectId);
  if (!options.includeRemoved) q = q.where('removed_at', 'is', null);
  return (await q.execute()).map(toResult).sort(newestFirst);
}

/** The team of a project. */
export async function projectTeam(db: Db, projectId: string): Promise<ProjectMember[]> {
  const rows = await db
    .selectFrom('gov_project_members as m')
    .innerJoin('gov_users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.display_name', 'm.project_role', 'm.added_at'])
    .where('m.project_id', '=', projectId)
    .orderBy('m.added_at')
    .orderBy('u.display_name')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    displayName: r.display_name,
    projectRole: r.project_role as ProjectRole,
    addedAt: r.added_at,
  }));
}

/** User ids of a project's team. */
export async function projectMemberIds(db: Db, projectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('gov_project_members')
    .select('user_id')
    .where('project_id', '=', projectId)
    .execute();
  return rows.map((r) => r.user_id);
}

async function toProject(db: Db, row: Selectable<ProjectsTable>): Promise<Project> {
  return {
    id: row.id,
    title: row.title,
    purpose: row.purpose,
    legalBasis: row.legal_basis,
    funding: row.funding,
    publicSummary: row.public_summary,
    status: row.status as ProjectStatus,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    team: await projectTeam(db, row.id),
  };
}

/** A project; throws `HYG_NOT_FOUND`. */
export async function getProject(db: Db, id: string): Promise<Project> {
  const row = await db
    .selectFrom('gov_projects')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('project', id);
  return toProject(db, row);
}

function isMember(project: Project, actor: Actor): boolean {
  return actor.userId !== null && project.team.some((m) => m.userId === actor.userId);
}

function isLead(project: Project, actor: Actor): boolean {
  return project.team.some(
    (m) => m.userId === actor.userId && m.projectRole === 'principal_investigator',
  );
}

function forbid(message: string, reason: string): HygieError {
  return new HygieError('HYG_FORBIDDEN', message, { reason });
}

/** The projects repository. */
export interface ProjectsRepository {
  /** Creates a project (researchers, administrators); the creator joins as principal investigator if not listed. */
  create(actor: Actor, input: ProjectInput): Promise<Project>;
  /** A project; throws `HYG_NOT_FOUND`. */
  get(id: string): Promise<Project>;
  /** Every project, newest first. */
  list(): Promise<Project[]>;
  /** Projects whose team includes a user. */
  listForMember(userId: string): Promise<Project[]>;
  /** Edits descriptive fields (team members, administrators). */
  update(actor: Actor, id: string, patch: ProjectPatch): Promise<Project>;
  /** Adds a team member (the principal investigator, administrators). */
  addMember(actor: Actor, projectId: string, member: TeamMember): Promise<Project>;
  /** Removes a team member (the principal investigator, administrators); a principal investigator remains. */
  removeMember(actor: Actor, projectId: string, userId: string): Promise<Project>;
  /** Closes a project: no new application (the principal investigator, administrators). */
  close(actor: Actor, projectId: string): Promise<Project>;
  /** Records something the project has published (team members, administrators). */
  addResult(actor: Actor, projectId: string, input: ProjectResultInput): Promise<ProjectResult>;
  /**
   * Withdraws a result from the directory (team members, administrators); a reason is required.
   * The record stays, marked removed. Throws `HYG_NOT_FOUND` for a result of another project.
   */
  removeResult(
    actor: Actor,
    projectId: string,
    resultId: string,
    reason: string,
  ): Promise<ProjectResult>;
  /** Every result of a project, removed ones included, newest first; throws `HYG_NOT_FOUND`. */
  listResults(projectId: string): Promise<ProjectResult[]>;
}

/** The projects repository over a store context. */
export function projectsRepository(ctx: StoreContext): ProjectsRepository {
  function requireLeadOrAdmin(project: Project, actor: Actor, action: string): void {
    if (!isLead(project, actor) && !actorHasRole(actor, 'admin', 'system')) {
      throw forbid(
        `${action}: only the principal investigator or an administrator may do this`,
        'not-project-lead',
      );
    }
  }

  /**
   * Results speak for the project in public: its team records them, or an administrator (a
   * correction). The platform actor is refused: a result names the user who recorded it.
   */
  function requireMemberOrAdmin(project: Project, actor: Actor, action: string): string {
    if (!isMember(project, actor) && !actorHasRole(actor, 'admin')) {
      throw forbid(
        `${action}: only the team or an administrator may do this`,
        'not-a-project-member',
      );
    }
    return requireUserActor(actor, action);
  }

  async function getResult(db: Db, projectId: string, resultId: string): Promise<ProjectResult> {
    const row = await db
      .selectFrom('gov_project_results')
      .selectAll()
      .where('id', '=', resultId)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    if (!row) throw notFound('project result', resultId);
    return toResult(row);
  }

  return {
    async create(actor, input) {
      return runAudited(
        ctx,
        actor,
        { action: 'project.create', targetType: 'project' },
        async (op) => {
          requireRole(actor, 'project.create', 'researcher', 'admin');
          const creator = requireUserActor(actor, 'project.create');
          const p = parseGovernanceInput(projectInputSchema, input, 'project');
          const team = p.team.some((m) => m.userId === creator)
            ? p.team
            : [{ userId: creator, projectRole: 'principal_investigator' as const }, ...p.team];
          for (const m of team) await getUser(op.db, m.userId);
          const id = newId();
          op.setTarget(id);
          await op.db
            .insertInto('gov_projects')
            .values({
              id,
              title: p.title,
              purpose: p.purpose,
              legal_basis: p.legalBasis,
              funding: p.funding,
              public_summary: p.publicSummary,
              status: 'active',
              created_by: creator,
              created_at: op.nowIso,
              updated_at: op.nowIso,
            })
            .execute();
          await op.db
            .insertInto('gov_project_members')
            .values(
              team.map((m) => ({
                project_id: id,
                user_id: m.userId,
                project_role: m.projectRole,
                added_at: op.nowIso,
              })),
            )
            .execute();
          op.detail({ members: team.length });
          return getProject(op.db, id);
        },
      );
    },

    get: (id) => getProject(ctx.db, id),

    async list() {
      const rows = await ctx.db
        .selectFrom('gov_projects')
        .selectAll()
        .orderBy('created_at', 'desc')
        .execute();
      return Promise.all(rows.map((r) => toProject(ctx.db, r)));
    },

    async listForMember(userId) {
      const rows = await ctx.db
        .selectFrom('gov_projects as p')
        .innerJoin('gov_project_members as m', 'm.project_id', 'p.id')
        .selectAll('p')
        .where('m.user_id', '=', userId)
        .orderBy('p.created_at', 'desc')
        .execute();
      return Promise.all(rows.map((r) => toProject(ctx.db, r)));
    },

    async update(actor, id, patch) {
      return runAudited(
        ctx,
        actor,
        { action: 'project.update', targetType: 'project', targetId: id },
        async (op) => {
          const project = await getProject(op.db, id);
          if (!isMember(project, actor) && !actorHasRole(actor, 'admin', 'system')) {
            throw forbid(
              'only the team or an administrator may edit a project',
              'not-a-project-member',
            );
          }
          const p = parseGovernanceInput(projectPatchSchema, patch, 'project');
          const fields = Object.keys(p).sort();
          if (fields.length === 0)
            throw new HygieError('HYG_INVALID_ARGUMENT', 'nothing to update', {
              argument: 'patch',
            });
          await op.db
            .updateTable('gov_projects')
            .set({
              ...(p.title !== undefined && { title: p.title }),
              ...(p.purpose !== undefined && { purpose: p.purpose }),
              ...(p.legalBasis !== undefined && { legal_basis: p.legalBasis }),
              ...(p.funding !== undefined && { funding: p.funding }),
              ...(p.publicSummary !== undefined && { public_summary: p.publicSummary }),
              updated_at: op.nowIso,
            })
            .where('id', '=', id)
            .execute();
          op.detail({ fields: fields.join(',') });
          return getProject(op.db, id);
        },
      );
    },

    async addMember(actor, projectId, member) {
      return runAudited(
        ctx,
        actor,
        { action: 'project.add_member', targetType: 'project', targetId: projectId },
        async (op) => {
          const project = await getProject(op.db, projectId);
          requireLeadOrAdmin(project, actor, 'project.add_member');
          const m = parseGovernanceInput(teamMemberSchema, member, 'member');
          await getUser(op.db, m.userId);
          if (project.team.some((t) => t.userId === m.userId)) {
            throw new HygieError('HYG_CONFLICT', 'already a member of the project', {
              reason: 'already-member',
            });
          }
          await op.db
            .insertInto('gov_project_members')
            .values({
              project_id: projectId,
              user_id: m.userId,
              project_role: m.projectRole,
              added_at: op.nowIso,
            })
            .execute();
          op.detail({ userId: m.userId, projectRole: m.projectRole });
          return getProject(op.db, projectId);
        },
      );
    },

    async removeMember(actor, projectId, userId) {
      return runAudited(
        ctx,
        actor,
        { action: 'project.remove_member', targetType: 'project', targetId: projectId },
        async (op) => {
          const project = await getProject(op.db, projectId);
          requireLeadOrAdmin(project, actor, 'project.remove_member');
          const member = project.team.find((t) => t.userId === userId);
          if (!member) throw notFound('project member', userId);
          const leads = project.team.filter((t) => t.projectRole === 'principal_investigator');
          if (member.projectRole === 'principal_investigator' && leads.length === 1) {
            throw new HygieError(
              'HYG_CONFLICT',
              'a project keeps at least one principal investigator',
              { reason: 'last-lead' },
            );
          }
          await op.db
            .deleteFrom('gov_project_members')
            .where('project_id', '=', projectId)
            .where('user_id', '=', userId)
            .execute();
          op.detail({ userId });
          return getProject(op.db, projectId);
        },
      );
    },

    async close(actor, projectId) {
      return runAudited(
        ctx,
        actor,
        { action: 'project.close', targetType: 'project', targetId: projectId },
        async (op) => {
          const project = await getProject(op.db, projectId);
          requireLeadOrAdmin(project, actor, 'project.close');
          if (project.status === 'closed') {
            throw new HygieError('HYG_CONFLICT', 'the project is already closed', {
              reason: 'already-closed',
            });
          }
          await op.db
            .updateTable('gov_projects')
            .set({ status: 'closed', updated_at: op.nowIso })
            .where('id', '=', projectId)
            .execute();
          return getProject(op.db, projectId);
        },
      );
    },

    async addResult(actor, projectId, input) {
      return runAudited(
        ctx,
        actor,
        { action: 'project.add_result', targetType: 'project', targetId: projectId },
        async (op) => {
          const project = await getProject(op.db, projectId);
          const userId = requireMemberOrAdmin(project, actor, 'project.add_result');
          const r = parseGovernanceInput(projectResultInputSchema, input, 'result');
          const id = newId();
          await op.db
            .insertInto('gov_project_results')
            .values({
              id,
              project_id: projectId,
              title: r.title,
              kind: r.kind,
              url: r.url ?? null,
              published_on: r.publishedOn ?? null,
              summary: r.summary ?? null,
              added_by: userId,
              added_at: op.nowIso,
              removed_at: null,
              removed_by: null,
              removal_reason: null,
            })
            .execute();
          // Ids and the kind only: titles and summaries are free text, not audit details.
          op.detail({ resultId: id, kind: r.kind });
          return getResult(op.db, projectId, id);
        },
      );
    },

    async removeResult(actor, projectId, resultId, reason) {
      return runAudited(
        ctx,
        actor,
        { action: 'project.remove_result', targetType: 'project', targetId: projectId },
        async (op) => {
          // First, so that a refusal too names the result it was about.
          op.detail({ resultId });
          const project = await getProject(op.db, projectId);
          const userId = requireMemberOrAdmin(project, actor, 'project.remove_result');
          const why = requireReason(reason, 'project.remove_result');
          const result = await getResult(op.db, projectId, resultId);
          if (result.removedAt !== null) {
            throw new HygieError('HYG_CONFLICT', 'the result is already removed', {
              reason: 'already-removed',
            });
          }
          const updated = await op.db
            .updateTable('gov_project_results')
            .set({ removed_at: op.nowIso, removed_by: userId, removal_reason: why })
            .where('id', '=', resultId)
            // Another removal committed since the read: report it, do not overwrite its reason.
            .where('removed_at', 'is', null)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) !== 1) {
            throw new HygieError('HYG_CONFLICT', 'the result is already removed', {
              reason: 'already-removed',
            });
          }
          return getResult(op.db, projectId, resultId);
        },
      );
    },

    async listResults(projectId) {
      await getProject(ctx.db, projectId);
      return projectResults(ctx.db, projectId, { includeRemoved: true });
    },
  };
}
