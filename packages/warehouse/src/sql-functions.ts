/**
 * The SQL functions a cohort/measure compiler needs, written once per engine: date arithmetic and
 * calendar bucketing, ages, safe divisions, rounding, quantiles, ordered string aggregation. Every
 * method returns an SQL expression whose _result_ is the same on DuckDB and PostgreSQL (same
 * value, same JS type once converted), which the cross-engine tests check on real data.
 *
 * Arguments named `expr`, `a`, `b`… are SQL expressions the compiler built (column references,
 * other function calls, placeholders): they are spliced as given, so they must never hold user
 * text. Units, fractions and digits are checked here, because they become part of the SQL.
 *
 * Where the engines differ (the reasons these methods exist):
 * - `date_trunc` returns TIMESTAMP on DuckDB and TIMESTAMP WITH TIME ZONE on PostgreSQL (a DATE
 *   argument is first converted to timestamptz): both are cast back to DATE.
 * - `EXTRACT` returns BIGINT on DuckDB and NUMERIC on PostgreSQL: cast to INTEGER.
 * - `a / b` on integers is integer division (truncating) on PostgreSQL but DOUBLE division on
 *   DuckDB, whose `//` truncates only for integers (on decimals it divides). Division by zero is
 *   an error on PostgreSQL; on DuckDB `/` gives ±Infinity (NaN for 0/0) and `//` NULL.
 * - `round(double, n)` does not exist on PostgreSQL (only `round(numeric, n)`, half away from
 *   zero on the decimal value); DuckDB's rounds the binary value (0.285 → 0.28, 1.005 → 1).
 * - Adding months: `make_interval(months => n)` vs `to_months(n)`; both clamp to the end of the
 *   month (2024-01-31 + 1 month = 2024-02-29) and return a timestamp, cast back to DATE.
 * - Labels: `to_char(d, 'IYYY-"W"IW')` vs `strftime(d, '%G-W%V')`; no quarter in strftime.
 * - Text ordering: DuckDB compares bytes; PostgreSQL follows the database collation (`en_US`
 *   puts 'a' before 'B'): `COLLATE "C"` for byte order.
 * - `ORDER BY x DESC` puts NULLs first on PostgreSQL and last on DuckDB: always write
 *   `NULLS FIRST` / `NULLS LAST` explicitly (not a method: plain SQL).
 * - With `SELECT DISTINCT`, PostgreSQL wants each ORDER BY expression in the select list (an
 *   `x COLLATE "C"` is another expression than `x`); DuckDB does not: order in an outer query.
 * - The same text works on both for `percentile_cont(p) WITHIN GROUP (ORDER BY x)`,
 *   `string_agg(x, sep ORDER BY y)`, `count(*) FILTER (WHERE …)`, `generate_series` over
 *   timestamps, `make_date`, `greatest`/`least` (both ignore NULLs), `date - date` (days), `date +
 *   integer`; they are methods all the same, so the compiler never has to know.
 */
import { HygieError } from '@hygie/core';
import type { CdmType } from '@hygie/core';

/** Calendar periods: `week` is the ISO week (Monday to Sunday). */
export const DATE_UNITS = ['year', 'quarter', 'month', 'week', 'day'] as const;

/** A calendar period. */
export type DateUnit = (typeof DATE_UNITS)[number];

/**
 * Fields of a date: `isoyear` and `isoweek` number ISO weeks (week 1 holds the first Thursday;
 * 2021-01-03 is in 2020-W53), `isodow` is Monday = 1 … Sunday = 7.
 */
export const DATE_PARTS = [
  'year',
  'quarter',
  'month',
  'day',
  'isoyear',
  'isoweek',
  'isodow',
] as const;

/** A field of a date. */
export type DatePart = (typeof DATE_PARTS)[number];

/** The SQL functions of a dialect (see the module comment). All return SQL expressions. */
export interface SqlFunctions {
  /** `CAST(expr AS <engine type>)`. */
  cast(expr: string, type: CdmType): string;
  /** First day of the period holding the DATE `expr`, as a DATE (`week`: the Monday). */
  dateTrunc(unit: DateUnit, expr: string): string;
  /** A field of the DATE `expr`, as an INTEGER. */
  datePart(part: DatePart, expr: string): string;
  /**
   * The period holding the DATE `expr` as text: `2024`, `2024-Q1`, `2024-03`, `2024-W09` (ISO
   * year and week: 2021-01-03 gives `2020-W53`), `2024-03-01`. Sorts in time order.
   */
  periodLabel(unit: DateUnit, expr: string): string;
  /** The DATE `days` days after the DATE `expr` (negative: before). */
  addDays(expr: string, days: string | number): string;
  /**
   * The DATE `months` months after the DATE `expr`, clamped to the end of the month
   * (2024-01-31 + 1 → 2024-02-29).
   */
  addMonths(expr: string, months: string | number): string;
  /** Days from the DATE `start` to the DATE `end` (`end - start`), an integer. */
  dateDiffDays(start: string, end: string): string;
  /**
   * Age in whole years on the DATE `at` of a person born in `yearOfBirth`/`monthOfBirth` (OMOP
   * person columns), birth taken as the 1st of the birth month; with the month unknown (NULL),
   * the age reached during the year of `at`. An integer.
   */
  ageYears(yearOfBirth: string, monthOfBirth: string, at: string): string;
  /**
   * Integer division truncated towards zero (-7 / 2 = -3) of integer operands (expressions or
   * numbers), as a BIGINT; NULL when `b` is 0.
   */
  intDiv(a: string | number, b: string | number): string;
  /** `a / b` as a DOUBLE; NULL when `b` is 0 (or NULL). Expressions or numbers. */
  ratio(a: string | number, b: string | number): string;
  /**
   * `expr` rounded half away from zero to `digits` decimals (0 to 6), as a DOUBLE, on the decimal
   * value (1.005 → 1.01, 0.285 → 0.29, -2.5 → -3).
   */
  round(expr: string, digits: number): string;
  /**
   * Aggregate: the continuous percentile `fraction` (0 to 1) of `expr`, interpolated linearly
   * (`percentile_cont`), as a DOUBLE. NULLs are ignored; NULL for an empty group.
   */
  percentileCont(fraction: number, expr: string): string;
  /**
   * Aggregate: the discrete percentile `fraction` (0 to 1): the first value (in order) whose
   * cumulative share reaches `fraction`, of the type of `expr`.
   */
  percentileDisc(fraction: number, expr: string): string;
  /** Aggregate: the values of `expr` joined with the literal `separator`, in `orderBy` order. */
  stringAgg(expr: string, separator: string, orderBy: string): string;
  /** `expr` compared and ordered byte-wise (code point order for UTF-8), whatever the collation. */
  binaryOrder(expr: string): string;
  /**
   * A FROM item: one row per period start from the DATE `start` to the DATE `end` (inclusive,
   * stepping by `unit` from `start`), column `column` (a DATE) of table `alias`. For zero-filled
   * time series.
   */
  dateSeries(start: string, end: string, unit: DateUnit, alias: string, column: string): string;
  /**
   * A select-list item yielding one row per integer from `start` to `end` (integer expressions,
   * both included) for each input row — none when `end` < `start`. PostgreSQL's
   * `generate_series(a, b)` is a set-returning function there; DuckDB's scalar one returns a
   * LIST, which `unnest` turns into rows. The portable `CROSS JOIN LATERAL generate_series(a, b)`
   * gives the same rows on both, but DuckDB decorrelates it into a join on every column of the
   * row (IS NOT DISTINCT FROM), about ten times slower on millions of rows.
   */
  integerSeries(start: string, end: string): string;
}

/** What each engine writes its own way; the rest is shared (`createSqlFunctions`). */
export interface EngineFunctions {
  /** Integer division of two BIGINT expressions, the divisor already NULL when 0. */
  intDivide(a: string, b: string): string;
  /** Round a DOUBLE half away from zero on its decimal value; `digits` is checked. */
  roundDecimal(expr: string, digits: number): string;
  /** DATE + months (integer expression), still a timestamp where the engine gives one. */
  plusMonths(expr: string, months: string): string;
  /** ISO year and week, `YYYY-Www`. */
  isoWeekLabel(expr: string): string;
  /** `YYYY-MM`. */
  monthLabel(expr: string): string;
  /** `expr` with byte-wise ordering. */
  binaryOrder(expr: string): string;
  /** A select-list item: one row per integer of [start, end] (see `SqlFunctions`). */
  integerSeries(start: string, end: string): string;
}

function invalid(message: string): never {
  throw new HygieError('HYG_INVALID_ARGUMENT', message);
}

function checkUnit(unit: DateUnit): DateUnit {
  return (DATE_UNITS as readonly string[]).includes(unit) ? unit : invalid('unknown date unit');
}

/** An integer as SQL: a number is checked and written as a literal, a string is an expression. */
function integerExpr(value: string | number, what: string): string {
  if (typeof value === 'string') return `(${value})`;
  if (!Number.isSafeInteger(value)) invalid(`${what} must be an integer`);
  return String(value);
}

/** A number operand as a literal (checked finite), or an expression in parentheses. */
function operand(value: string | number): string {
  if (typeof value === 'string') return `(${value})`;
  if (!Number.isFinite(value)) invalid('a numeric operand must be finite');
  return String(value);
}

function checkFraction(fraction: number): string {
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    invalid('a percentile fraction is a number from 0 to 1');
  }
  // A literal, not a parameter: DuckDB wants a constant fraction.
  return String(fraction);
}

/** Builds the functions of a dialect from its type names and its engine-specific parts. */
export function createSqlFunctions(
  typeName: (type: CdmType) => string,
  engine: EngineFunctions,
  quoteIdent: (name: string) => string,
  quoteLiteral: (value: string) => string,
): SqlFunctions {
  const cast = (expr: string, type: CdmType): string => `CAST(${expr} AS ${typeName(type)})`;
  const int = (expr: string): string => cast(expr, 'integer');
  const double = (expr: string): string => cast(expr, 'double');
  const extract = (field: string, expr: string): string => int(`EXTRACT(${field} FROM ${expr})`);
  const datePart = (part: DatePart, expr: string): string => {
    switch (part) {
      case 'year':
      case 'quarter':
      case 'month':
      case 'day':
      case 'isoyear':
      case 'isodow':
        return extract(part.toUpperCase(), expr);
      case 'isoweek':
        // EXTRACT(WEEK …) is the ISO week number on both engines.
        return extract('WEEK', expr);
      default:
        return invalid('unknown date part');
    }
  };
  const text = (expr: string): string => cast(expr, 'text');
  const interval: Record<DateUnit, string> = {
    year: "INTERVAL '1 year'",
    quarter: "INTERVAL '3 months'",
    month: "INTERVAL '1 month'",
    week: "INTERVAL '7 days'",
    day: "INTERVAL '1 day'",
  };

  return {
    cast,
    dateTrunc: (unit, expr) => cast(`date_trunc('${checkUnit(unit)}', ${expr})`, 'date'),
    datePart,
    periodLabel(unit, expr) {
      switch (checkUnit(unit)) {
        case 'year':
          return text(datePart('year', expr));
        case 'quarter':
          return `(${text(datePart('year', expr))} || '-Q' || ${text(datePart('quarter', expr))})`;
        case 'month':
          return engine.monthLabel(expr);
        case 'week':
          return engine.isoWeekLabel(expr);
        case 'day':
          return text(cast(expr, 'date'));
      }
    },
    // DATE + INTEGER is a DATE on both engines; the cast keeps a DOUBLE-typed value (DuckDB may
    // bind a JS number as DOUBLE) from turning the sum into something else.
    addDays: (expr, days) => `((${expr}) + ${int(integerExpr(days, 'days'))})`,
    addMonths: (expr, months) =>
      cast(engine.plusMonths(expr, int(integerExpr(months, 'months'))), 'date'),
    dateDiffDays: (start, end) => int(`${cast(end, 'date')} - ${cast(start, 'date')}`),
    ageYears: (yearOfBirth, monthOfBirth, at) =>
      `(${datePart('year', at)} - (${yearOfBirth}) - CASE WHEN (${monthOfBirth}) IS NOT NULL ` +
      `AND ${datePart('month', at)} < (${monthOfBirth}) THEN 1 ELSE 0 END)`,
    intDiv: (a, b) =>
      engine.intDivide(cast(operand(a), 'bigint'), `NULLIF(${cast(operand(b), 'bigint')}, 0)`),
    ratio: (a, b) => `(${double(operand(a))} / NULLIF(${double(operand(b))}, 0))`,
    round(expr, digits) {
      if (!Number.isInteger(digits) || digits < 0 || digits > 6) {
        invalid('round to 0 to 6 decimals');
      }
      return engine.roundDecimal(double(expr), digits);
    },
    percentileCont: (fraction, expr) =>
      `percentile_cont(${checkFraction(fraction)}) WITHIN GROUP (ORDER BY ${double(expr)})`,
    percentileDisc: (fraction, expr) =>
      `percentile_disc(${checkFraction(fraction)}) WITHIN GROUP (ORDER BY ${expr})`,
    stringAgg: (expr, separator, orderBy) =>
      `string_agg(${text(expr)}, ${quoteLiteral(separator)} ORDER BY ${orderBy})`,
    binaryOrder: (expr) => engine.binaryOrder(expr),
    dateSeries(start, end, unit, alias, column) {
      const t = quoteIdent(`${alias}_t`);
      // generate_series over timestamps is the same table function on both engines.
      return (
        `(SELECT ${cast(t, 'date')} AS ${quoteIdent(column)} FROM generate_series(` +
        `${cast(cast(start, 'date'), 'timestamp')}, ${cast(cast(end, 'date'), 'timestamp')}, ` +
        `${interval[checkUnit(unit)]}) AS ${quoteIdent(`${alias}_g`)}(${t})) AS ${quoteIdent(alias)}`
      );
    },
    integerSeries: (start, end) => engine.integerSeries(`(${start})`, `(${end})`),
  };
}
