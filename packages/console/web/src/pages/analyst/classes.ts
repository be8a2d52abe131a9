/**
 * Value classes of the choropleth: a class of its own for exactly 0 (most small areas have no
 * case in a week: "no case" is a different message from "few cases"), one for negative values
 * (a deficit of deaths), and quantile classes of the positive values, coloured with a sequential
 * palette (ColorBrewer YlOrRd, legible in greyscale too: lightness falls as the value grows).
 */

/** From the lightest (lowest values) to the darkest. */
export const PALETTE = ['#ffffcc', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'] as const;
/** Negative values (fewer deaths than expected): a blue, apart from the sequential scale. */
export const NEGATIVE = '#9ecae1';

/** A class: values in `[min, max]`, and its colour. */
export interface ValueClass {
  readonly min: number;
  readonly max: number;
  readonly colour: string;
}

/** Quantile breaks of sorted positive values, at most `count` classes. */
function quantiles(sorted: readonly number[], count: number): { min: number; max: number }[] {
  const out: { min: number; max: number }[] = [];
  const n = Math.min(count, new Set(sorted).size);
  let lower = sorted[0];
  for (let i = 1; i <= n && lower !== undefined; i++) {
    const upper = sorted[Math.min(sorted.length - 1, Math.ceil((i / n) * sorted.length) - 1)];
    if (upper === undefined || upper < lower) continue;
    out.push({ min: lower, max: upper });
    lower = sorted.find((v) => v > upper);
  }
  return out;
}

/** Up to seven classes for the given values, in increasing order (none without a value). */
export function classify(values: readonly number[]): ValueClass[] {
  const finite = values.filter((v) => Number.isFinite(v));
  const negative = finite.filter((v) => v < 0).sort((a, b) => a - b);
  const positive = finite.filter((v) => v > 0).sort((a, b) => a - b);
  const classes: ValueClass[] = [];
  if (negative.length > 0) {
    classes.push({
      min: negative[0] ?? 0,
      max: negative[negative.length - 1] ?? 0,
      colour: NEGATIVE,
    });
  }
  if (finite.some((v) => v === 0)) classes.push({ min: 0, max: 0, colour: PALETTE[0] });
  const steps = quantiles(positive, PALETTE.length - 1);
  // Spread the darker colours over the classes, so that few classes still reach dark ones.
  steps.forEach((s, i) => {
    const index =
      steps.length === 1 ? 3 : 1 + Math.round((i * (PALETTE.length - 2)) / (steps.length - 1));
    classes.push({ ...s, colour: PALETTE[index] ?? PALETTE[3] });
  });
  return classes;
}

/** The class of a value. */
export function classOf(classes: readonly ValueClass[], value: number): ValueClass | undefined {
  return classes.find((c) => value <= c.max) ?? classes[classes.length - 1];
}
