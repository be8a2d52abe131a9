/**
 * The transparency log's feeder (issue #6): copies every audit event, in id order, into the
 * transparency log as a public `LogEntry`, then signs a tree head. The audit event id is the
 * entry's `seq`, so the log's `lastSeq()` is the feeder's cursor: a restart resumes where the
 * log stops, and an event is never appended twice.
 *
 * What goes public: the actor under an HMAC pseudonym (`pseudonymousActorId` with the key ring's
 * `logActorKey`), the roles, the action, the decision, the pseudonymous target and permit, the
 * reason code, the query hash, and a whitelist of scalar details (`SHAPE_FIELDS`) whose string
 * values are short codes — never free text, never a user id in the details.
 */
import {
  assertNoPersonalData,
  logEntrySchema,
  parseLogEntry,
  pseudonymousActorId,
} from '@hygie/core';
import type { AuditEvent, LogEntry, SignedTreeHead } from '@hygie/core';
import type { AuditRepository, TransparencyLog } from '@hygie/governance';

/** Details copied into an entry's `shape`, when their value is a number, a boolean or a code. */
export const SHAPE_FIELDS: readonly string[] = [
  'operation',
  'result',
  'rows',
  'measures',
  'measure',
  'attritionSteps',
  'code',
  'method',
  'from',
  'to',
  'decision',
  'approvals',
  'requiredApprovals',
  'version',
  'kind',
  'format',
  'members',
  'accessMode',
  'epsilon',
  'delta',
  'surveillanceExempt',
  'shares',
  'threshold',
  'platformKeyVersion',
  'replaced',
  'trigger',
  'alarms',
];

/** A string detail kept in `shape`: a short code or list of codes, no spaces (no free text). */
const CODE_VALUE = /^[A-Za-z0-9_.,:-]{1,200}$/;
/** A UUID anywhere (a user id must never reach the log other than pseudonymised). */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const HEX64 = /^[0-9a-f]{64}$/;
const REASON = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;

/**
 * Targets that are people (an account, a citizen's session or opt-out): their id is published
 * under the same HMAC pseudonym as an actor id, so that "X created account Y" and "Y acted" link
 * up in the log without revealing the account.
 */
export const PERSONAL_TARGET_TYPES: ReadonlySet<string> = new Set([
  'user',
  'citizen_session',
  'opt_out',
]);

/** How long a head may stay the latest before it is re-signed (daily sealing). */
export const SEAL_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Events read from the audit trail per page. */
export const FEED_PAGE_SIZE = 1000;

function shapeOf(details: AuditEvent['details']): LogEntry['shape'] {
  const shape: Record<string, string | number | boolean | null> = {};
  for (const key of SHAPE_FIELDS) {
    const v = details[key];
    if (v === undefined) continue;
    if (typeof v === 'number' && Number.isFinite(v)) shape[key] = v;
    else if (typeof v === 'boolean' || v === null) shape[key] = v;
    else if (typeof v === 'string' && CODE_VALUE.test(v) && !UUID.test(v)) shape[key] = v;
  }
  return Object.keys(shape).length > 0 ? shape : undefined;
}

/** The public log entry of an audit event (may still fail `parseLogEntry`: see `feedOnce`). */
export function logEntryOf(event: AuditEvent, actorKey: Uint8Array): LogEntry {
  const role = event.actorRole !== null && event.actorRole !== '' ? event.actorRole : 'anonymous';
  const queryHash = event.details['queryHash'];
  const entry: Record<string, unknown> = {
    v: 1,
    seq: event.id,
    at: new Date(event.at).toISOString(),
    actorRole: role,
    // No actor (the platform, an anonymous caller): the role names who it was; still a pseudonym
    // so that every entry has the same shape.
    actorId: pseudonymousActorId(actorKey, event.actorId ?? `:${role}`),
    action: event.action,
    decision: event.decision,
    targetType: event.targetType ?? undefined,
    targetId:
      event.targetId === null
        ? undefined
        : event.targetType !== null && PERSONAL_TARGET_TYPES.has(event.targetType)
          ? pseudonymousActorId(actorKey, event.targetId)
          : event.targetId,
    permitId: event.permitId ?? undefined,
    queryHash: typeof queryHash === 'string' && HEX64.test(queryHash) ? queryHash : undefined,
    reason: event.reason !== null && REASON.test(event.reason) ? event.reason : undefined,
    shape: shapeOf(event.details),
  };
  return Object.fromEntries(
    Object.entries(entry).filter(([, v]) => v !== undefined),
  ) as unknown as LogEntry;
}

/**
 * The entry published for an event whose full entry is refused (a NIR-shaped value slipped into
 * a target, an action name the log's schema refuses…). Skipping the event would leave the
 * cursor before it and block the log forever; appending nothing would break the one-to-one
 * `seq` ↔ audit id continuity an auditor checks. So the event is published with only what is
 * always safe — when, who (pseudonym), the outcome and, if valid, the action — and
 * `reason: 'redacted'` says that the rest was withheld.
 */
export function redactedEntryOf(event: AuditEvent, actorKey: Uint8Array): LogEntry {
  const action = logEntrySchema.shape.action.safeParse(event.action);
  return {
    v: 1,
    seq: event.id,
    at: new Date(event.at).toISOString(),
    actorRole: 'redacted',
    actorId: pseudonymousActorId(actorKey, event.actorId ?? ':redacted'),
    action: action.success ? action.data : 'redacted',
    decision: event.decision,
    reason: 'redacted',
  };
}

function checkedEntryOf(event: AuditEvent, actorKey: Uint8Array): LogEntry {
  try {
    const entry = parseLogEntry(logEntryOf(event, actorKey));
    assertNoPersonalData(entry);
    return entry;
  } catch {
    return redactedEntryOf(event, actorKey);
  }
}

/** What one feed did. */
export interface FeedResult {
  /** Entries appended. */
  appended: number;
  /** The head signed at the end, or null when nothing was appended nor sealed. */
  head: SignedTreeHead | null;
}

/** Where feeder failures are reported. */
export interface FeederLogger {
  error(obj: unknown, msg: string): void;
}

/** Options of the feeder. */
export interface LogFeederOptions {
  /** The audit trail (`store.audit`). */
  audit: Pick<AuditRepository, 'list'>;
  log: TransparencyLog;
  /** Key of the actor pseudonyms (`keyRing.logActorKey()`). */
  actorKey: Uint8Array;
  /** Clock of the daily sealing; default the system clock. */
  now?: () => Date;
  /** Events per page; default 1000. */
  pageSize?: number;
}

/** Feeds the transparency log from the audit trail. Feeds never run concurrently. */
export class LogFeeder {
  readonly #o: Required<LogFeederOptions>;
  #tail: Promise<unknown> = Promise.resolve();
  #queued: Promise<FeedResult> | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: LogFeederOptions) {
    this.#o = { now: () => new Date(), pageSize: FEED_PAGE_SIZE, ...options };
  }

  /**
   * Appends every audit event after `log.lastSeq()` (page by page, each page in one transaction)
   * and signs once when something was appended — or when the latest head is older than 24 h
   * (or there is none), so that the log is sealed at least daily. A call made while a feed runs
   * waits for it, then feeds again (callers arriving together share that second feed), so that
   * the log includes every event recorded before the call.
   */
  feedOnce(): Promise<FeedResult> {
    if (this.#queued !== null) return this.#queued;
    const run = this.#tail.then(() => {
      this.#queued = null;
      return this.#feed();
    });
    this.#queued = run;
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #feed(): Promise<FeedResult> {
    const { audit, log, actorKey, pageSize } = this.#o;
    let appended = 0;
    for (;;) {
      const events = await audit.list({ afterId: log.lastSeq(), limit: pageSize });
      if (events.length === 0) break;
      log.append(events.map((e) => checkedEntryOf(e, actorKey)));
      appended += events.length;
      if (events.length < pageSize) break;
    }
    const latest = log.latestHead();
    const stale =
      latest === null || this.#o.now().getTime() - Date.parse(latest.timestamp) >= SEAL_INTERVAL_MS;
    if (appended === 0 && !stale) return { appended, head: null };
    return { appended, head: log.sign() };
  }

  /**
   * Feeds every `seconds` until `stop`. A failed feed is reported to `logger` and retried at the
   * next tick; it never throws out of the timer.
   */
  start(seconds: number, logger: FeederLogger): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => {
      this.feedOnce().catch((err: unknown) => {
        logger.error({ err }, 'transparency log feed failed; retrying at the next tick');
      });
    }, seconds * 1000);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a feed in progress. */
  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#tail;
  }
}
