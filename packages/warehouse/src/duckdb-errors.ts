/**
 * DuckDB failures turned into HygieErrors with stable codes and messages that are safe to show.
 * DuckDB's CSV errors quote the offending line verbatim ("Original Line: …"), and a source file
 * may hold identifiers, so those are rebuilt from the line number, column and expected type only
 * (DESIGN.md §4.1).
 */
import { HygieError, isHygieError } from '@hygie/core';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** True when DuckDB refused to open a file because another process holds its lock. */
export function isDuckDbLockError(e: unknown): boolean {
  return /Could not set lock on file/.test(messageOf(e));
}

/**
 * The error for a warehouse file held by another process. DuckDB allows either one read-write
 * process or several read-only ones, so the advice depends on what was attempted.
 */
export function warehouseLockedError(file: string, readOnly: boolean, cause: unknown): HygieError {
  const pid = /\(PID (\d+)\)/.exec(messageOf(cause))?.[1];
  const holder = pid === undefined ? 'another process' : `another process (PID ${pid})`;
  const advice = readOnly
    ? 'It is being written by that process, normally the Hygie server, which owns the warehouse: ' +
      'go through its API, or stop it before reading the file directly.'
    : 'The Hygie server owns the warehouse while it runs: send writes through its API, or open ' +
      'the warehouse read-only (possible when no process is writing to it).';
  return new HygieError(
    'HYG_WAREHOUSE_LOCKED',
    `The warehouse ${file} is locked by ${holder}. ${advice}`,
    { file, pid: pid === undefined ? null : Number(pid), readOnly },
  );
}

/** The first line of a DuckDB message, without the SQL excerpt DuckDB appends. */
function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}

/**
 * A failed statement. Duplicate keys are conflicts (a batch published twice); the rest are
 * warehouse errors. Warehouse values are pseudonymous by construction, so the engine's own first
 * line is kept.
 */
export function duckDbStatementError(e: unknown): HygieError {
  if (isHygieError(e)) return e;
  const line = firstLine(messageOf(e));
  const code = /Duplicate key .* violates (primary key|unique) constraint/.test(line)
    ? 'HYG_CONFLICT'
    : 'HYG_WAREHOUSE_ERROR';
  return new HygieError(
    code,
    `warehouse statement failed: ${line}`,
    { engine: 'duckdb' },
    { cause: e },
  );
}

/**
 * A failed CSV load, described without any of the file's content: line number, column, expected
 * type or column count. The DuckDB error is deliberately not kept as `cause`, since it quotes
 * the raw line.
 */
export function duckDbCsvError(e: unknown, table: string, file: string): HygieError {
  if (isHygieError(e)) return e;
  const message = messageOf(e);
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  const column = /converting column "([^"]*)"/.exec(message)?.[1];
  const type = /to '([A-Z0-9_() ,]+)'/.exec(message)?.[1];
  const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  const parts = [`loading ${file} into ${table} failed`];
  if (line !== undefined) parts.push(`at line ${line}`);
  if (column !== undefined) {
    parts.push(
      `: column "${column}" ${type === undefined ? 'is invalid' : `is not a valid ${type}`}`,
    );
  } else if (columns) {
    parts.push(`: expected ${columns[1]} fields, found ${columns[2]}`);
  } else if (/No files found/.test(message)) {
    return new HygieError('HYG_NOT_FOUND', `file not found: ${file}`, { file, table });
  } else {
    // Unknown shape: keep only DuckDB's error class ("Invalid Input Error", …).
    parts.push(`: ${/^([A-Za-z ]+Error)/.exec(message)?.[1] ?? 'error'}`);
  }
  return new HygieError('HYG_SCHEMA_VIOLATION', parts.join(' ').replace(' :', ':'), {
    table,
    file,
    line: line === undefined ? null : Number(line),
    column: column ?? null,
  });
}
