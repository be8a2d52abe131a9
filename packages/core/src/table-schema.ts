/**
 * Table Schema (frictionlessdata.io) validation of delimited rows, as the SNDS describes its tables
 * (Health Data Hub schema-snds). Validation compiles a schema once into per-column checks, so a
 * row costs a handful of comparisons — fast enough to check every row of a national extract.
 *
 * Error reports name the column and the rule, never the value: a rejected value may be an
 * identifier, and reasons end up in quarantine records and logs (DESIGN.md §4.1).
 */
import { z } from 'zod';
import { HygieError } from './errors.js';

const constraintsSchema = z
  .object({
    required: z.boolean().optional(),
    unique: z.boolean().optional(),
    minLength: z.number().int().optional(),
    maxLength: z.number().int().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    enum: z.array(z.union([z.string(), z.number()])).optional(),
    pattern: z.string().optional(),
  })
  .passthrough();

const fieldSchema = z
  .object({
    name: z.string().min(1),
    type: z.string().default('string'),
    format: z.string().optional(),
    description: z.string().optional(),
    constraints: constraintsSchema.optional(),
    /** SNDS extension: maximum length ("17") or precision ("4,2"). */
    length: z.union([z.string(), z.number()]).optional().nullable(),
    /** SNDS extension: the nomenclature a code column refers to ("IR_SEX_V:SEX_COD" or "-"). */
    nomenclature: z.string().optional().nullable(),
  })
  .passthrough();

const tableSchemaSchema = z
  .object({
    name: z.string().optional(),
    title: z.string().optional(),
    fields: z.array(fieldSchema).min(1),
    missingValues: z.array(z.string()).default(['']),
    primaryKey: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .passthrough();

/** One column of a Table Schema. */
export type FieldSchema = z.infer<typeof fieldSchema>;
/** A parsed Table Schema. */
export type TableSchema = z.infer<typeof tableSchemaSchema>;

/** Parses and checks a Table Schema JSON document. */
export function parseTableSchema(json: unknown): TableSchema {
  const r = tableSchemaSchema.safeParse(json);
  if (!r.success) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      `invalid Table Schema: ${r.error.issues[0]?.message ?? 'unknown'}`,
    );
  }
  return r.data;
}

/** A validation failure of one value: column and rule, never the value itself. */
export interface FieldError {
  column: string;
  reason: string;
}

/** Options of {@link compileRowValidator}. */
export interface RowValidatorOptions {
  /**
   * Per-column replacements of field properties. An extract that still carries raw identifiers
   * (before pseudonymisation) overrides the identifier columns' length rules, for instance.
   */
  overrides?: Readonly<Record<string, Partial<FieldSchema>>>;
  /** Returns the allowed codes of a nomenclature reference ("IR_SEX_V:SEX_COD"), if known. */
  nomenclature?: (reference: string, field: FieldSchema) => ReadonlySet<string> | undefined;
  /** Columns that must be present and non-missing even if the schema does not mark them required. */
  required?: readonly string[];
}

type Check = (v: string) => string | null;

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
};

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= dim;
}

/**
 * Compiles a strftime-like pattern (the subset SNDS uses: %Y %m %d %b %H %M %S) into a checker.
 */
function strftimeChecker(format: string): Check {
  let re = '^';
  const parts: string[] = [];
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch === '%' && i + 1 < format.length) {
      const f = format[++i] as string;
      parts.push(f);
      re += f === 'Y' ? '(\\d{4})' : f === 'b' ? '([A-Z][a-z]{2})' : '(\\d{2})';
    } else {
      re += (ch as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const rx = new RegExp(re + '$');
  return (v) => {
    const m = rx.exec(v);
    if (!m) return `does not match date format ${format}`;
    let y = 2000;
    let mo = 1;
    let d = 1;
    for (let k = 0; k < parts.length; k++) {
      const g = m[k + 1] as string;
      switch (parts[k]) {
        case 'Y':
          y = Number(g);
          break;
        case 'm':
          mo = Number(g);
          break;
        case 'd':
          d = Number(g);
          break;
        case 'b': {
          const mm = MONTHS[g];
          if (mm === undefined) return 'unknown month name';
          mo = mm;
          break;
        }
        case 'H':
          if (Number(g) > 23) return 'hour out of range';
          break;
        case 'M':
        case 'S':
          if (Number(g) > 59) return 'minute or second out of range';
          break;
      }
    }
    return validDate(y, mo, d) ? null : 'not a calendar date';
  };
}

const INTEGER_RE = /^[+-]?\d+$/;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function typeChecker(field: FieldSchema): Check {
  const format = field.format ?? 'default';
  switch (field.type) {
    case 'string':
      return () => null;
    case 'integer':
      return (v) => (INTEGER_RE.test(v) ? null : 'not an integer');
    case 'number':
      return (v) => (NUMBER_RE.test(v) ? null : 'not a number');
    case 'boolean':
      return (v) =>
        v === '0' || v === '1' || v === 'true' || v === 'false' ? null : 'not a boolean (0/1)';
    case 'year':
      return (v) => (/^\d{4}$/.test(v) ? null : 'not a year (YYYY)');
    case 'yearmonth':
      // SNDS writes year-months as YYYYMM; Table Schema's own form is YYYY-MM. Accept both.
      return (v) => {
        const m = /^(\d{4})-?(\d{2})$/.exec(v);
        return m && Number(m[2]) >= 1 && Number(m[2]) <= 12 ? null : 'not a year-month (YYYYMM)';
      };
    case 'date':
      if (format === 'default' || format === 'any') {
        return (v) => {
          const m = ISO_DATE_RE.exec(v);
          return m && validDate(Number(m[1]), Number(m[2]), Number(m[3]))
            ? null
            : 'not a date (YYYY-MM-DD)';
        };
      }
      if (format === '%m') return (v) => (/^(0[1-9]|1[0-2])$/.test(v) ? null : 'not a month (MM)');
      return strftimeChecker(format);
    case 'datetime':
      if (format === 'default' || format === 'any') {
        return (v) => (Number.isNaN(Date.parse(v)) ? 'not a date-time' : null);
      }
      return strftimeChecker(format);
    default:
      return () => null;
  }
}

function constraintCheckers(field: FieldSchema): Check[] {
  const c = field.constraints ?? {};
  const checks: Check[] = [];
  if (c.minLength !== undefined) {
    const n = c.minLength;
    checks.push((v) => (v.length < n ? `shorter than ${n} characters` : null));
  }
  let maxLen = c.maxLength;
  if (
    maxLen === undefined &&
    field.type === 'string' &&
    field.length != null &&
    /^\d+$/.test(String(field.length))
  ) {
    maxLen = Number(field.length);
  }
  if (maxLen !== undefined) {
    const n = maxLen;
    checks.push((v) => (v.length > n ? `longer than ${n} characters` : null));
  }
  if (field.type === 'integer' && field.length != null && /^\d+$/.test(String(field.length))) {
    const digits = Number(field.length);
    checks.push((v) =>
      v.replace(/^[+-]/, '').length > digits ? `more than ${digits} digits` : null,
    );
  }
  if (c.minimum !== undefined) {
    const n = c.minimum;
    checks.push((v) => (Number(v) < n ? `below minimum ${n}` : null));
  }
  if (c.maximum !== undefined) {
    const n = c.maximum;
    checks.push((v) => (Number(v) > n ? `above maximum ${n}` : null));
  }
  if (c.enum !== undefined) {
    const allowed = new Set(c.enum.map(String));
    checks.push((v) => (allowed.has(v) ? null : 'not one of the allowed values'));
  }
  if (c.pattern !== undefined) {
    const rx = new RegExp(`^(?:${c.pattern})$`);
    checks.push((v) => (rx.test(v) ? null : 'does not match the required pattern'));
  }
  return checks;
}

/** A compiled validator for rows whose values come in the order of `columns`. */
export type RowValidator = (values: readonly string[]) => FieldError[] | null;

/**
 * Compiles a validator for rows with the given header. Every header column must exist in the
 * schema (an unknown column is an error at compile time, not per row); schema columns absent from
 * the header are allowed — an extract selects columns — unless they are required.
 */
export function compileRowValidator(
  schema: TableSchema,
  columns: readonly string[],
  options: RowValidatorOptions = {},
): RowValidator {
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const unknown = columns.filter((c) => !byName.has(c));
  if (unknown.length > 0) {
    throw new HygieError(
      'HYG_SCHEMA_VIOLATION',
      `columns not in table schema ${schema.name ?? ''}: ${unknown.join(', ')}`,
      {
        columns: unknown,
      },
    );
  }
  const requiredExtra = new Set(options.required ?? []);
  const missingRequired = schema.fields
    .filter(
      (f) =>
        (f.constraints?.required === true || requiredExtra.has(f.name)) &&
        !columns.includes(f.name),
    )
    .map((f) => f.name);
  if (missingRequired.length > 0) {
    throw new HygieError(
      'HYG_SCHEMA_VIOLATION',
      `required columns missing: ${missingRequired.join(', ')}`,
      {
        columns: missingRequired,
      },
    );
  }
  const missing = new Set(schema.missingValues);
  const compiled = columns.map((name) => {
    const base = byName.get(name) as FieldSchema;
    const override = options.overrides?.[name];
    const field: FieldSchema = override
      ? {
          ...base,
          ...override,
          constraints: { ...(base.constraints ?? {}), ...(override.constraints ?? {}) },
        }
      : base;
    const checks = [typeChecker(field), ...constraintCheckers(field)];
    const ref = field.nomenclature;
    if (ref && ref !== '-' && options.nomenclature) {
      const codes = options.nomenclature(ref, field);
      if (codes) checks.push((v) => (codes.has(v) ? null : `code not in nomenclature ${ref}`));
    }
    return {
      name,
      required: field.constraints?.required === true || requiredExtra.has(name),
      checks,
    };
  });
  return (values) => {
    let errors: FieldError[] | null = null;
    if (values.length !== compiled.length) {
      return [
        { column: '*', reason: `expected ${compiled.length} values, found ${values.length}` },
      ];
    }
    for (let i = 0; i < compiled.length; i++) {
      const col = compiled[i] as (typeof compiled)[number];
      const v = values[i] as string;
      if (missing.has(v)) {
        if (col.required)
          (errors ??= []).push({ column: col.name, reason: 'required value missing' });
        continue;
      }
      for (const check of col.checks) {
        const reason = check(v);
        if (reason !== null) {
          (errors ??= []).push({ column: col.name, reason });
          break;
        }
      }
    }
    return errors;
  };
}

/** The primary key columns of a schema, as an array. */
export function primaryKeyOf(schema: TableSchema): string[] {
  const pk = schema.primaryKey;
  return pk === undefined ? [] : Array.isArray(pk) ? pk : pk.split(',').map((s) => s.trim());
}
