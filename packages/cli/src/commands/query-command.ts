/**
 * `hygie query --permit ID FILE.json`: runs a governed query on a running Hygie server, over HTTP
 * (the server holds the warehouse; the CLI never reads person data), and prints the controlled
 * result as a table with the run id. FILE.json holds a query (`{"version": 1, …}`) or
 * `{"query": …, "disclosure": …}` with a stricter disclosure policy.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ErrorCodes, HygieError } from '@hygie/core';
import type { ErrorCode } from '@hygie/core';

/** Options of `hygie query`. */
interface QueryOptions {
  permit: string;
  server: string;
  token?: string;
  project?: string;
  out?: string;
}

/** A released cell as the server returns it. */
interface Cell {
  strata: Record<string, string | number | null>;
  measure: string;
  value: number | null;
  suppressed: boolean;
}

interface QueryResponse {
  runId: string;
  result: {
    tables: { measure: string; dimensions: string[]; cells: Cell[] }[];
    attrition: { step: number; name: string; persons: number | null }[];
  };
}

/** The server's error as a HygieError (its code when it is one we know). */
function serverError(status: number, body: unknown): HygieError {
  const b = (body ?? {}) as { code?: string; message?: string; details?: { reason?: string } };
  const code: ErrorCode =
    typeof b.code === 'string' && b.code in ErrorCodes ? (b.code as ErrorCode) : 'HYG_INTERNAL';
  const reason = b.details?.reason ? ` (${b.details.reason})` : '';
  return new HygieError(code, `${b.message ?? `the server answered ${status}`}${reason}`);
}

/** Calls the server; returns the JSON body or throws its error. */
async function call(
  opts: QueryOptions,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(new URL(path, opts.server), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new HygieError('HYG_UNAVAILABLE', `cannot reach the server at ${opts.server}`);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  if (!res.ok) throw serverError(res.status, json);
  return json;
}

/** Pads columns to their width. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The readable rendering of a controlled result. */
export function formatResult(r: QueryResponse): string {
  const parts: string[] = [];
  for (const t of r.result.tables) {
    const header = [...t.dimensions, 'measure', 'value'];
    const rows = t.cells.map((c) => [
      ...t.dimensions.map((d) => {
        const v = c.strata[d];
        return v === undefined ? '(total)' : v === null ? '(unknown)' : String(v);
      }),
      c.measure,
      c.suppressed ? 'suppressed' : c.value === null ? '-' : String(c.value),
    ]);
    parts.push(`${t.measure}\n${textTable(header, rows)}`);
  }
  if (r.result.attrition.length > 0) {
    parts.push(
      `attrition\n${textTable(
        ['step', 'name', 'persons'],
        r.result.attrition.map((a) => [
          String(a.step),
          a.name,
          a.persons === null ? 'suppressed' : String(a.persons),
        ]),
      )}`,
    );
  }
  parts.push(`run ${r.runId}`);
  return `${parts.join('\n\n')}\n`;
}

/** Registers `hygie query`. */
export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('run a governed query on a running server; prints the controlled result')
    .argument('<file>', 'the query as JSON (or {"query": …, "disclosure": …})')
    .requiredOption('--permit <id>', 'the permit to run it under')
    .option('--server <url>', 'the server', process.env.HYGIE_SERVER ?? 'http://127.0.0.1:8080')
    .option('--token <token>', 'API token (default: $HYGIE_TOKEN)')
    .option('--project <id>', "the permit's project (default: read from the permit)")
    .option('--out <file>', 'also write the full response as JSON')
    .action(async (file: string, opts: QueryOptions) => {
      const token = opts.token ?? process.env.HYGIE_TOKEN;
      if (!token) {
        throw new HygieError(
          'HYG_INVALID_ARGUMENT',
          'an API token is needed: --token or HYGIE_TOKEN',
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(file, 'utf8'));
      } catch {
        throw new HygieError('HYG_INVALID_ARGUMENT', `${file} is not a readable JSON file`);
      }
      const wrapped =
        parsed !== null && typeof parsed === 'object' && 'query' in parsed
          ? (parsed as { query: unknown; disclosure?: unknown })
          : { query: parsed };
      const projectId =
        opts.project ??
        (
          (await call(
            opts,
            token,
            'GET',
            `/api/v1/permits/${encodeURIComponent(opts.permit)}`,
          )) as {
            projectId: string;
          }
        ).projectId;
      const response = (await call(
        opts,
        token,
        'POST',
        `/api/v1/projects/${encodeURIComponent(projectId)}/queries`,
        { permitId: opts.permit, ...wrapped },
      )) as QueryResponse;
      if (opts.out) await writeFile(opts.out, `${JSON.stringify(response, null, 2)}\n`);
      process.stdout.write(formatResult(response));
    });
}
