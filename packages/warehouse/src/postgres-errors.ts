/**
 * PostgreSQL failures turned into HygieErrors with stable codes and messages that are safe to show.
 * PostgreSQL quotes offending values in several places — the message of a data error
 * (`invalid input syntax for type date: "…"`), the `detail` of a constraint error (`Key (x)=(…)`,
 * `Failing row contains (…)`) and, during COPY, the `where` context (`COPY t, line 3, column d:
 * "…"`) — so messages are rebuilt from the SQLSTATE, the line number and the column name only,
 * and the pg error is never kept as `cause` (DESIGN.md §4.1).
 */
import pg from 'pg';
import { HygieError, isHygieError } from '@hygie/core';

/** The fields of a `pg` DatabaseError used here. */
interface PgDatabaseError {
  readonly message: string;
  readonly code?: string;
  readonly where?: string;
  readonly column?: string;
  readonly constraint?: string;
}

function databaseError(e: unknown): PgDatabaseError | null {
  return e instanceof pg.DatabaseError ? e : null;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Connection failures: the server is down, restarting, full or unreachable. */
function isUnavailable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (/^(08|57P0|53300)/.test(code)) return true;
    if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ENOTFOUND, ECONNRESET, ETIMEDOUT…
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
    messageOf(e),
  );
}

/**
 * The first line of a message, without a quoted value: data errors (SQLSTATE class 22) quote the
 * offending value, at the end (`invalid input syntax for type integer: "abc"`) or inside
 * (`value "99999999999" is out of range for type integer`), and the value could be anything a
 * caller held. Other messages quote identifiers only, which are kept.
 */
function safeMessage(message: string, sqlState = ''): string {
  const first = (message.split('\n', 1)[0] ?? message).replace(/:\s*"(?:[^"]|"")*"?\s*$/s, '');
  return sqlState.startsWith('22') ? first.replace(/"(?:[^"]|"")*"/g, '…') : first;
}

/** The error for a server that cannot be reached (or refuses connections). */
export function postgresUnavailableError(location: string, e: unknown): HygieError {
  const db = databaseError(e);
  const reason = db ? safeMessage(db.message) : safeMessage(messageOf(e));
  return new HygieError(
    'HYG_UNAVAILABLE',
    `cannot reach the PostgreSQL warehouse ${location}: ${reason}`,
    { engine: 'postgres', location, sqlState: db?.code ?? null },
  );
}

/**
 * A failed statement. Duplicate keys are conflicts (a batch published twice); lost connections
 * are HYG_UNAVAILABLE; the rest are warehouse errors, with the engine's first line minus any
 * quoted value, and the SQLSTATE in the details.
 */
export function postgresStatementError(e: unknown, location = 'postgres'): HygieError {
  if (isHygieError(e)) return e;
  const db = databaseError(e);
  if (!db) {
    if (isUnavailable(e)) return postgresUnavailableError(location, e);
    // Not from the server (a failing row source, a bug): kept as the cause, like DuckDB's.
    return new HygieError(
      'HYG_WAREHOUSE_ERROR',
      `warehouse statement failed: ${safeMessage(messageOf(e))}`,
      { engine: 'postgres' },
      { cause: e },
    );
  }
  if (isUnavailable(db)) return postgresUnavailableError(location, db);
  const code = db.code === '23505' ? 'HYG_CONFLICT' : 'HYG_WAREHOUSE_ERROR';
  return new HygieError(code, `warehouse statement failed: ${safeMessage(db.message, db.code)}`, {
    engine: 'postgres',
    sqlState: db.code ?? null,
  });
}

/** Where a CSV load failed, and why, without any of the file's content. */
export interface CsvFailure {
  readonly table: string;
  /** The file name (no directory). */
  readonly file: string;
  readonly line: number | null;
  readonly column: string | null;
  /** What is wrong, in words that hold no value: `column "x" is not a valid DATE`. */
  readonly problem: string;
}

/** The HYG_SCHEMA_VIOLATION of a failed CSV load, worded like the DuckDB engine's. */
export function csvLoadError(f: CsvFailure): HygieError {
  const at = f.line === null ? '' : ` at line ${f.line}`;
  return new HygieError(
    'HYG_SCHEMA_VIOLATION',
    `loading ${f.file} into ${f.table} failed${at}: ${f.problem}`,
    {
      table: f.table,
      file: f.file,
      line: f.line,
      column: f.column,
    },
  );
}

/**
 * A failed `COPY … FROM STDIN` of a CSV file, from the SQLSTATE, the line and column of the
 * `where` context, and the expected type of that column (`typeOf`, upper case). `fields` is the
 * number of fields a line should have. Errors that are not about the data (a lost connection, a
 * missing table) go through `postgresStatementError`.
 */
export function postgresCopyError(
  e: unknown,
  load: { table: string; file: string; fields: number; typeOf: (column: string) => string },
): HygieError {
  if (isHygieError(e)) return e;
  const db = databaseError(e);
  const sqlState = db?.code ?? '';
  if (!db || !/^(22|23)/.test(sqlState)) return postgresStatementError(e);
  const where = /\bline (\d+)(?:, column (.+?))?(?::|$)/m.exec(db.where ?? '');
  const line = where?.[1] === undefined ? null : Number(where[1]);
  let column = where?.[2] ?? db.column ?? null;
  let problem: string;
  if (sqlState === '22P04') {
    // bad_copy_file_format: the messages are PostgreSQL's own words, without data.
    const missing = /missing data for column "([^"]*)"/.exec(db.message);
    if (/extra data after last expected column/.test(db.message)) {
      problem = `expected ${load.fields} fields, found more`;
    } else if (missing) {
      column = missing[1] ?? column;
      problem = `expected ${load.fields} fields, found fewer`;
    } else if (/unterminated CSV quoted field/.test(db.message)) {
      problem = 'a quoted field is not terminated';
    } else {
      problem = 'the line is malformed';
    }
  } else if (sqlState === '22021') {
    problem = 'the line is not valid UTF-8';
  } else if (sqlState === '23502') {
    problem = `column "${column ?? '?'}" must not be empty`;
  } else if (sqlState === '23505') {
    problem = `a row repeats a key of ${load.table}`;
  } else if (sqlState.startsWith('23')) {
    problem = `a row breaks the constraint ${db.constraint ?? sqlState}`;
  } else if (column !== null) {
    problem = `column "${column}" is not a valid ${load.typeOf(column)}`;
  } else {
    problem = `invalid data (SQLSTATE ${sqlState})`;
  }
  return csvLoadError({ table: load.table, file: load.file, line, column, problem });
}
