/**
 * The public directory of projects (no login): what is done with the nation's health data, by
 * whom, with which data, until when, and what came of it (the results the team has published).
 * Built field by field from a whitelist — never by copying a record — so that a field added to a
 * project, a permit or a result later cannot leak here by accident. Not shown: user ids and
 * logins, legal basis details, funding, justifications, population filters, reviews and
 * comments, budgets, who recorded or removed a result and why, removed results. Projects appear
 * once an application has been submitted (drafts are the team's own work).
 */
import type {
  AccessMode,
  ApplicationStatus,
  DataItem,
  PermitStatus,
  ProjectResultKind,
  ProjectRole,
  ProjectStatus,
} from '@hygie/core';
import { applicationContentSchema } from '@hygie/core';
import { notFound } from '../guards.js';
import type { StoreContext } from '../store-context.js';
import { permitsRepository } from './permits-repository.js';
import { projectResults, projectTeam } from './projects-repository.js';

/** A permit as the directory shows it. */
export interface DirectoryPermit {
  readonly permitId: string;
  readonly status: PermitStatus;
  readonly validFrom: string;
  readonly expiresAt: string;
  readonly accessMode: AccessMode;
  readonly data: readonly DataItem[];
}

/** A result as the directory shows it (not who recorded it, nor when). */
export interface DirectoryResult {
  readonly title: string;
  readonly kind: ProjectResultKind;
  readonly url: string | null;
  readonly publishedOn: string | null;
  readonly summary: string | null;
}

/** A project as the directory shows it. */
export interface DirectoryEntry {
  readonly projectId: string;
  readonly title: string;
  readonly purpose: string;
  readonly publicSummary: string;
  readonly status: ProjectStatus;
  readonly team: readonly { readonly displayName: string; readonly projectRole: ProjectRole }[];
  /** State of the project's latest submitted application. */
  readonly applicationStatus: ApplicationStatus;
  /** Data the project's permits allow; before any permit, the data its latest application requests. */
  readonly dataUsed: readonly DataItem[];
  readonly permits: readonly DirectoryPermit[];
  /** What the project has published, newest first; results the team removed are not shown. */
  readonly results: readonly DirectoryResult[];
}

/** The directory repository. */
export interface DirectoryRepository {
  /** Every listed project, newest first. */
  list(): Promise<DirectoryEntry[]>;
  /** One listed project; throws `HYG_NOT_FOUND` (also for a project not listed). */
  get(projectId: string): Promise<DirectoryEntry>;
}

function mergeData(items: readonly DataItem[]): DataItem[] {
  const byTable = new Map<string, Set<string>>();
  for (const i of items) {
    const vars = byTable.get(i.table) ?? new Set<string>();
    i.variables.forEach((v) => vars.add(v));
    byTable.set(i.table, vars);
  }
  return [...byTable.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, vars]) => ({ table, variables: [...vars].sort() }));
}

/** The directory repository over a store context. */
export function directoryRepository(ctx: StoreContext): DirectoryRepository {
  async function entries(projectId?: string): Promise<DirectoryEntry[]> {
    await permitsRepository(ctx).expireDue();
    let q = ctx.db
      .selectFrom('gov_projects as p')
      .select(['p.id', 'p.title', 'p.purpose', 'p.public_summary', 'p.status', 'p.created_at'])
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('gov_applications as a')
            .select('a.id')
            .whereRef('a.project_id', '=', 'p.id')
            .where('a.status', '<>', 'draft'),
        ),
      );
    if (projectId !== undefined) q = q.where('p.id', '=', projectId);
    const projects = await q.orderBy('p.created_at', 'desc').execute();

    const out: DirectoryEntry[] = [];
    for (const p of projects) {
      const team = (await projectTeam(ctx.db, p.id)).map((m) => ({
        displayName: m.displayName,
        projectRole: m.projectRole,
      }));
      const latest = await ctx.db
        .selectFrom('gov_applications')
        .select(['id', 'status'])
        .where('project_id', '=', p.id)
        .where('status', '<>', 'draft')
        .orderBy('submitted_at', 'desc')
        .executeTakeFirstOrThrow();
      const permitRows = await ctx.db
        .selectFrom('gov_permits')
        .select(['id', 'status', 'valid_from', 'expires_at', 'scope'])
        .where('project_id', '=', p.id)
        .orderBy('issued_at', 'desc')
        .execute();
      const permits: DirectoryPermit[] = permitRows.map((r) => {
        const scope = JSON.parse(r.scope) as { accessMode: AccessMode; data: DataItem[] };
        return {
          permitId: r.id,
          status: r.status as PermitStatus,
          validFrom: r.valid_from,
          expiresAt: r.expires_at,
          accessMode: scope.accessMode,
          data: mergeData(scope.data),
        };
      });
      let dataUsed = mergeData(permits.flatMap((x) => x.data));
      if (permits.length === 0) {
        const version = await ctx.db
          .selectFrom('gov_application_versions')
          .select('content')
          .where('application_id', '=', latest.id)
          .orderBy('version', 'desc')
          .executeTakeFirst();
        if (version)
          dataUsed = mergeData(applicationContentSchema.parse(JSON.parse(version.content)).data);
      }
      out.push({
        projectId: p.id,
        title: p.title,
        purpose: p.purpose,
        publicSummary: p.public_summary,
        status: p.status as ProjectStatus,
        team,
        applicationStatus: latest.status as ApplicationStatus,
        dataUsed,
        permits,
        results: (await projectResults(ctx.db, p.id, { includeRemoved: false })).map((r) => ({
          title: r.title,
          kind: r.kind,
          url: r.url,
          publishedOn: r.publishedOn,
          summary: r.summary,
        })),
      });
    }
    return out;
  }

  return {
    list: () => entries(),
    async get(projectId) {
      const [entry] = await entries(projectId);
      if (!entry) throw notFound('project', projectId);
      return entry;
    },
  };
}
