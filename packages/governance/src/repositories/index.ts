/** The repositories of the governance store, one concept each. */
import type { StoreContext } from '../store-context.js';
import { applicationsRepository } from './applications-repository.js';
import type { ApplicationsRepository } from './applications-repository.js';
import { auditRepository } from './audit-repository.js';
import type { AuditRepository } from './audit-repository.js';
import { directoryRepository } from './directory-repository.js';
import type { DirectoryRepository } from './directory-repository.js';
import { oidcRepository } from './oidc-repository.js';
import type { OidcRepository } from './oidc-repository.js';
import { optOutsRepository } from './opt-outs-repository.js';
import type { OptOutsRepository } from './opt-outs-repository.js';
import { permitsRepository } from './permits-repository.js';
import type { PermitsRepository } from './permits-repository.js';
import { projectsRepository } from './projects-repository.js';
import type { ProjectsRepository } from './projects-repository.js';
import { queryRunsRepository } from './query-runs-repository.js';
import type { QueryRunsRepository } from './query-runs-repository.js';
import { releasesRepository } from './releases-repository.js';
import type { ReleasesRepository } from './releases-repository.js';
import { usersRepository } from './users-repository.js';
import type { UsersRepository } from './users-repository.js';

export * from './applications-repository.js';
export * from './audit-repository.js';
export * from './directory-repository.js';
export * from './oidc-repository.js';
export * from './opt-outs-repository.js';
export * from './permits-repository.js';
export * from './projects-repository.js';
export * from './query-runs-repository.js';
export * from './releases-repository.js';
export * from './users-repository.js';

/** Every repository, over one context (the store, or one transaction). */
export interface GovernanceRepositories {
  readonly users: UsersRepository;
  readonly oidc: OidcRepository;
  readonly projects: ProjectsRepository;
  readonly applications: ApplicationsRepository;
  readonly permits: PermitsRepository;
  readonly optOuts: OptOutsRepository;
  /** Query runs and the (ε, δ) budget ledger (issue #5). */
  readonly queryRuns: QueryRunsRepository;
  /** The airlock: release requests, decisions, the release register, downloads (issue #5). */
  readonly releases: ReleasesRepository;
  readonly directory: DirectoryRepository;
  readonly audit: AuditRepository;
}

/** Builds the repositories over a context. */
export function createRepositories(ctx: StoreContext): GovernanceRepositories {
  return {
    users: usersRepository(ctx),
    oidc: oidcRepository(ctx),
    projects: projectsRepository(ctx),
    applications: applicationsRepository(ctx),
    permits: permitsRepository(ctx),
    optOuts: optOutsRepository(ctx),
    queryRuns: queryRunsRepository(ctx),
    releases: releasesRepository(ctx),
    directory: directoryRepository(ctx),
    audit: auditRepository(ctx),
  };
}
