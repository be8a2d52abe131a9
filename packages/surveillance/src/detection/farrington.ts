/**
 * Farrington flexible: the algorithm of Farrington, Andrews, Beale & Catchpole (1996), "A
 * statistical algorithm for the early detection of outbreaks of infectious disease", JRSS A
 * 159:547–563, with the improvements of Noufaily, Enki, Farrington, Garthwaite, Andrews & Charlett
 * (2013), "An improved algorithm for outbreak detection in multiple surveillance systems", Stat
 * Med 32:1206–1222 — exactly as `farringtonFlexible` of the R package `surveillance` (1.20)
 * computes them for a weekly series indexed by position (R's `epochAsDate = FALSE`, freq 52).
 */
import { HygieError } from '@hygie/core';
import {
  negBinomialUpperTail,
  pnorm,
  poissonUpperTail,
  qnbinom,
  qnorm,
  qpois,
  tTestTwoSided,
} from './distributions.js';
import { fitQuasiPoisson, type QuasiPoissonFit } from './glm.js';
import { checkNumber, checkSeries, naToNull, type DetectionResult } from './types.js';

/** Weeks per year of the series (R's `freq`): reference points are 52 positions apart. */
const FREQ = 52;

/** Options of {@link farringtonFlexible}; the defaults are those of R's `farringtonFlexible`. */
export interface FarringtonOptions {
  /** Years back (R: `b`). Default 5. */
  readonly b?: number;
  /** Half-window around the reference weeks (R: `w`). Default 3. */
  readonly w?: number;
  /** Reweight past outbreaks by Anscombe residuals (two-step fit). Default true. */
  readonly reweight?: boolean;
  /** Anscombe residual above which a point is down-weighted. Default 2.58 (Noufaily); 1 for Farrington 1996. */
  readonly weightsThreshold?: number;
  /** Level: the threshold is the 1 − α quantile (one-sided, R's convention). Default 0.05. */
  readonly alpha?: number;
  /** Fit a linear time trend (kept only if significant, b ≥ 3 and not extrapolating). Default true. */
  readonly trend?: boolean;
  /** Significance level of the trend's t-test. Default 0.05. */
  readonly pThresholdTrend?: number;
  /** No alarm unless at least `[0]` cases in the last `[1]` weeks. Default [5, 4]. */
  readonly limit54?: readonly [number, number];
  /** Power transformation of the delta method: '2/3' (default), '1/2' or 'none'. */
  readonly powertrans?: '2/3' | '1/2' | 'none';
  /** Number of seasonal periods of the factor (1 = original windows only; Noufaily: 10). Default 1. */
  readonly noPeriods?: number;
  /** Most recent weeks left out of the fit (R: `pastWeeksNotIncluded`; NULL → w). Default w. */
  readonly pastWeeksNotIncluded?: number;
  /** 'delta' (Farrington 1996, default) or 'nbPlugin' (Noufaily 2013 negative binomial quantile). */
  readonly thresholdMethod?: 'delta' | 'nbPlugin';
  /** 0-based first time point to monitor. Default R's range start, 52·b + w. */
  readonly start?: number;
  /**
   * Optional dates of the series points ('YYYY-MM-DD', one per point, 7 days apart, e.g. the
   * Mondays of ISO weeks). Given, reference weeks are found by date as R does with
   * `epochAsDate = TRUE` (53-week years handled); absent, by position (k − 52i).
   */
  readonly dates?: readonly string[];
}

interface Design {
  /** n×p design matrix, flat row-major. */
  readonly x: Float64Array;
  readonly p: number;
  readonly y: number[];
  /** Design row of the current week (trend at k, seasonal level = noPeriods). */
  readonly x0: number[];
}

/**
 * Where the reference weeks are and what R's `wtime` is: by position (R's `epochAsDate = FALSE`,
 * week k − 52i) or by date (R's `epochAsDate = TRUE`: the same date i years back, moved to the
 * nearest same weekday — so a 53-week ISO year shifts the reference by one position).
 */
interface Calendar {
  /** [k, ref₁, …, ref_b] positions, or a reason why a reference week is missing. */
  references(k: number, b: number): number[] | string;
  /** R's wtime of position t when the first fitted row is `first`. */
  wtime(t: number, first: number): number;
}

const DAY_MS = 86_400_000;

const positionCalendar: Calendar = {
  references: (k, b) => Array.from({ length: b + 1 }, (_, i) => k - FREQ * i),
  wtime: (t) => t + 1, // R: wtime = the 1-based position
};

function dateCalendar(days: readonly number[]): Calendar {
  const position = new Map<number, number>();
  days.forEach((d, i) => position.set(d, i));
  const step = (days[1] as number) - (days[0] as number);
  return {
    references(k, b) {
      const day = days[k] as number;
      const date = new Date(day * DAY_MS);
      const weekday = date.getUTCDay();
      const out: number[] = [];
      for (let i = 0; i <= b; i++) {
        // seq(date, by = "-1 year"): same month and day (29 Feb → 1 Mar, as POSIXlt normalises).
        const ref =
          Date.UTC(date.getUTCFullYear() - i, date.getUTCMonth(), date.getUTCDate()) / DAY_MS;
        const a = ref - (new Date(ref * DAY_MS).getUTCDay() - weekday);
        const alt = a + (a > ref ? -7 : 7);
        const chosen = Math.abs(a - ref) > Math.abs(alt - ref) ? alt : a;
        const at = position.get(chosen);
        if (at === undefined)
          return 'some reference time points did not exist; decrease b or start later';
        out.push(at);
      }
      return out;
    },
    wtime: (t, first) => ((days[t] as number) - (days[first] as number)) / step,
  };
}

/**
 * R's `blocks` + `algo.farrington.data.glm`: the reference windows (refᵢ ± w, i = 1…b) and the
 * current window get level `noPeriods`; with noPeriods > 1 the weeks between consecutive windows
 * are cut into noPeriods − 1 blocks (Noufaily 2013, §3.2); the last `pastWeeksNotIncluded` + 1
 * weeks up to k are left out.
 */
function design(
  series: readonly number[],
  k: number,
  o: Required<Omit<FarringtonOptions, 'start' | 'dates'>>,
  calendar: Calendar,
  withTrend: boolean,
): Design {
  const { b, w, noPeriods: p } = o;
  const refs = calendar.references(k, b);
  if (typeof refs === 'string' || (refs[b] as number) - w < 0) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      `farringtonFlexible: ${typeof refs === 'string' ? refs : 'the series is too short for b years back'}`,
      { index: k },
    );
  }
  const level = new Array<number>(series.length).fill(0); // 0 = not used (R's NA)
  for (let i = k - w; i <= k; i++) level[i] = p;
  for (let i = 1; i <= b; i++) {
    const ref = refs[i] as number;
    for (let j = ref - w; j <= ref + w; j++) level[j] = p;
    if (p !== 1) {
      // The weeks between this window and the next more recent reference week.
      const period = (refs[i - 1] as number) - 2 * w - 1 - ref;
      const length = Math.floor(period / (p - 1));
      const rest = period % (p - 1);
      if (length < 1) {
        throw new HygieError(
          'HYG_INVALID_ARGUMENT',
          'farringtonFlexible: noPeriods too big for w',
          { option: 'noPeriods' },
        );
      }
      let from = ref + w + 1;
      for (let j = 1; j <= p - 1; j++) {
        const len = length + (j <= rest ? 1 : 0);
        for (let t = from; t < from + len; t++) level[t] = j;
        from += len;
      }
    }
  }
  for (let i = Math.max(0, k - o.pastWeeksNotIncluded); i <= k; i++) level[i] = 0;
  const present = new Set<number>();
  for (const l of level) if (l !== 0) present.add(l);
  // Treatment contrasts against the smallest level, as R's factor coding; predictions do not
  // depend on the coding, only on the column space.
  const levels = [...present].sort((a, c) => a - c).slice(1);
  const rows: number[] = [];
  for (let t = 0; t < series.length; t++) if ((level[t] as number) !== 0) rows.push(t);
  const first = rows[0] ?? k;
  const row = (t: number, l: number): number[] => {
    const r = [1];
    if (withTrend) r.push(calendar.wtime(t, first));
    for (const lv of levels) r.push(l === lv ? 1 : 0);
    return r;
  };
  const x0 = row(k, p);
  const np = x0.length;
  const x = new Float64Array(rows.length * np);
  rows.forEach((t, i) => x.set(row(t, level[t] as number), i * np));
  return { x, p: np, y: rows.map((t) => series[t] as number), x0 };
}

/** Days since 1970-01-01 of weekly 'YYYY-MM-DD' dates; refuses anything else. */
function parseWeeklyDates(dates: readonly string[], length: number): number[] {
  const bad = (why: string): HygieError =>
    new HygieError('HYG_INVALID_ARGUMENT', `farringtonFlexible: ${why}`, { option: 'dates' });
  if (!Array.isArray(dates) || dates.length !== length)
    throw bad('one date per series point is needed');
  const days = dates.map((d) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
    const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== d)
      throw bad('dates must be valid YYYY-MM-DD');
    return t / DAY_MS;
  });
  for (let i = 1; i < days.length; i++)
    if ((days[i] as number) - (days[i - 1] as number) !== 7)
      throw bad('dates must be 7 days apart');
  return days;
}

/** R's `algo.farrington.assign.weights`: γ·s⁻² above the threshold, γ below, mean weight 1. */
function outbreakWeights(s: readonly number[], threshold: number): number[] {
  let denom = 0;
  for (const v of s) denom += v > threshold ? v ** -2 : 1;
  const gamma = s.length / denom;
  return s.map((v) => (v > threshold ? gamma * v ** -2 : gamma));
}

interface Model {
  readonly fit: QuasiPoissonFit;
  readonly design: Design;
  readonly withTrend: boolean;
  /** max(1, dispersion) (Farrington 1996 §3.3). */
  readonly phi: number;
  /**
   * The dispersion R's later `summary.glm`/`predict.glm` calls see. R's fitGLM.flexible stores the
   * outbreak weights ω in `model$weights` (the working-weights slot), so after reweighting they
   * compute Σ ωᵢ((yᵢ − μᵢ)/μᵢ)²/(n − p) instead of the Pearson dispersion. Reproduced on purpose.
   */
  readonly summaryDispersion: number;
}

/** R's `algo.farrington.fitGLM.flexible`: fit, Anscombe residuals, reweighted refit. */
function fitFlexible(
  series: readonly number[],
  k: number,
  o: Required<Omit<FarringtonOptions, 'start' | 'dates'>>,
  calendar: Calendar,
  trend: boolean,
): Model | null {
  let withTrend = trend;
  let d = design(series, k, o, calendar, withTrend);
  const ones = d.y.map(() => 1);
  let fit = fitQuasiPoisson(d.x, d.p, d.y, ones);
  if (fit === null || !fit.converged) {
    if (!withTrend) return null;
    withTrend = false;
    d = design(series, k, o, calendar, false);
    fit = fitQuasiPoisson(d.x, d.p, d.y, ones);
    if (fit === null || !fit.converged) return null;
  }
  let phi = Math.max(fit.dispersion, 1);
  let summaryDispersion = fit.dispersion;
  if (o.reweight) {
    // Anscombe residuals (Farrington 1996 eq. 5): sᵢ = 3/2 (yᵢ^{2/3} μᵢ^{-1/6} − μᵢ^{1/2}) / √(φ(1 − hᵢ)).
    const s = d.y.map((yi, i) => {
      const mi = fit!.fitted[i] as number;
      const a = 1.5 * (yi ** (2 / 3) * mi ** (-1 / 6) - Math.sqrt(mi));
      return a / Math.sqrt(phi * (1 - (fit!.hat[i] as number)));
    });
    const omega = outbreakWeights(s, o.weightsThreshold);
    const refit = fitQuasiPoisson(d.x, d.p, d.y, omega);
    if (refit === null) return null;
    fit = refit;
    phi = Math.max(fit.dispersion, 1);
    let sum = 0;
    d.y.forEach((yi, i) => {
      const mi = refit.fitted[i] as number;
      sum += (omega[i] as number) * ((yi - mi) / mi) ** 2;
    });
    summaryDispersion = sum / refit.dfResidual;
  }
  return { fit, design: d, withTrend, phi, summaryDispersion };
}

/** Linear predictor x₀ᵀβ and its standard error with R's (unclamped) summary dispersion. */
function predictLink(m: Model): { eta: number; se: number } {
  const { x0 } = m.design;
  let eta = 0;
  let v = 0;
  for (let a = 0; a < x0.length; a++) {
    eta += (x0[a] as number) * (m.fit.coefficients[a] as number);
    for (let c = 0; c < x0.length; c++)
      v += (x0[a] as number) * (m.fit.covUnscaled[a * x0.length + c] as number) * (x0[c] as number);
  }
  // R passes `dispersion = model$phi` inside newdata, so predict.glm uses summary's dispersion.
  return { eta, se: Math.sqrt(v * m.summaryDispersion) };
}

/**
 * Farrington flexible over a weekly count series (positions 52 apart are the same week of
 * consecutive years). For each monitored week k (from `start`, default 52·b + w, to the end):
 * 1. a quasi-Poisson GLM log μ = α + βt (+ seasonal factor) on the reference data, by IRLS;
 *    φ = max(1, Pearson dispersion);
 * 2. reweighting of past outbreaks: Anscombe residuals above `weightsThreshold` get weight ∝ s⁻²
 *    (Farrington 1996 §3.4) and the model is refitted;
 * 3. the trend is kept only if its t-test p < `pThresholdTrend`, b ≥ 3 and μ̂₀ ≤ max(y) —
 *    otherwise the model is refitted without it (both steps);
 * 4. threshold: 'delta' — U = (μ̂₀^{2/3} + z₁₋α·√(4/9·μ̂₀^{1/3}·(φ + se(μ̂₀)²/μ̂₀)))^{3/2}
 *    (Farrington 1996 eq. 8 with the 2/3 power transformation); 'nbPlugin' — the 1 − α quantile of
 *    a negative binomial with mean μ̂₀ and variance φμ̂₀ (Poisson when φ = 1; Noufaily 2013 §3.4);
 * 5. alarm when R's score (y − fit)/(U − fit) > 1, y > 0 and the `limit54` rule holds; otherwise
 *    the threshold and expectation are withheld (null) as R does.
 * `pValue` is R's `control$pvalue` (delta: P(Z > …) on the transformed scale; nbPlugin: P(Y ≥ y)).
 * `statistic` is R's `score` — for nbPlugin R computes it with the link-scale fit, kept as is.
 */
export function farringtonFlexible(
  series: readonly number[],
  options: FarringtonOptions = {},
): DetectionResult[] {
  const b = options.b ?? 5;
  const w = options.w ?? 3;
  const o: Required<Omit<FarringtonOptions, 'start' | 'dates'>> = {
    b,
    w,
    reweight: options.reweight ?? true,
    weightsThreshold: options.weightsThreshold ?? 2.58,
    alpha: options.alpha ?? 0.05,
    trend: options.trend ?? true,
    pThresholdTrend: options.pThresholdTrend ?? 0.05,
    limit54: options.limit54 ?? [5, 4],
    powertrans: options.powertrans ?? '2/3',
    noPeriods: options.noPeriods ?? 1,
    pastWeeksNotIncluded: options.pastWeeksNotIncluded ?? w,
    thresholdMethod: options.thresholdMethod ?? 'delta',
  };
  checkNumber(b, 'b', (v) => Number.isInteger(v) && v >= 1);
  checkNumber(w, 'w', (v) => Number.isInteger(v) && v >= 0 && 2 * v + 1 < FREQ);
  checkNumber(o.weightsThreshold, 'weightsThreshold', (v) => v >= 0);
  checkNumber(o.alpha, 'alpha', (v) => v > 0 && v < 1);
  checkNumber(o.pThresholdTrend, 'pThresholdTrend', (v) => v > 0 && v <= 1);
  checkNumber(
    o.noPeriods,
    'noPeriods',
    (v) => Number.isInteger(v) && v >= 1 && v - 1 <= FREQ - 2 * w - 1,
  );
  checkNumber(o.pastWeeksNotIncluded, 'pastWeeksNotIncluded', (v) => Number.isInteger(v) && v >= 0);
  const [cases, period] = o.limit54;
  checkNumber(cases, 'limit54', (v) => v >= 0);
  checkNumber(period, 'limit54', (v) => Number.isInteger(v) && v > 0);
  if (!['2/3', '1/2', 'none'].includes(o.powertrans)) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'invalid option powertrans', {
      option: 'powertrans',
    });
  }
  if (o.thresholdMethod !== 'delta' && o.thresholdMethod !== 'nbPlugin') {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'invalid option thresholdMethod', {
      option: 'thresholdMethod',
    });
  }
  const first = FREQ * b + w;
  const start = options.start ?? first;
  checkNumber(start, 'start', (v) => Number.isInteger(v) && v >= first);
  checkSeries(series, start + 1, 'farringtonFlexible');
  const calendar =
    options.dates === undefined
      ? positionCalendar
      : dateCalendar(parseWeeklyDates(options.dates, series.length));
  const z = qnorm(1 - o.alpha);
  const exponent = o.powertrans === '2/3' ? 2 / 3 : o.powertrans === '1/2' ? 0.5 : 1;
  const out: DetectionResult[] = [];
  for (let k = start; k < series.length; k++) {
    const observed = series[k] as number;
    let model = fitFlexible(series, k, o, calendar, o.trend);
    if (model !== null && model.withTrend) {
      const { eta } = predictLink(model);
      const beta = model.fit.coefficients[1] as number;
      const seBeta = Math.sqrt(
        (model.fit.covUnscaled[model.design.p + 1] as number) * model.summaryDispersion,
      );
      const significant = tTestTwoSided(beta / seBeta, model.fit.dfResidual) < o.pThresholdTrend;
      const noExtrapolation = Math.exp(eta) <= Math.max(...model.design.y);
      if (!(b >= 3 && significant && noExtrapolation))
        model = fitFlexible(series, k, o, calendar, false);
    }
    if (model === null) {
      out.push({
        index: k,
        observed,
        expected: null,
        threshold: null,
        alarm: false,
        pValue: null,
        statistic: null,
      });
      continue;
    }
    const { eta, se: seEta } = predictLink(model);
    const phi = model.phi;
    let upper: number;
    let prob: number;
    let fit: number; // R's pred$fit: response scale for delta, link scale for nbPlugin
    let expected: number;
    if (o.thresholdMethod === 'delta') {
      const mu0 = Math.exp(eta);
      const se = seEta * mu0; // predict.glm(type = "response") delta-method standard error
      const tau = phi + (se * se) / mu0;
      const sd =
        exponent === 1
          ? Math.sqrt(mu0 * tau)
          : exponent === 0.5
            ? Math.sqrt(tau / 4)
            : Math.sqrt((4 / 9) * mu0 ** (1 / 3) * tau);
      upper = (mu0 ** exponent + z * sd) ** (1 / exponent);
      prob = pnorm((observed ** exponent - mu0 ** exponent) / sd, true);
      fit = mu0;
      expected = mu0;
    } else {
      const mu0 = Math.exp(eta);
      fit = eta;
      expected = mu0;
      if (mu0 === Infinity) {
        upper = NaN;
        prob = NaN;
      } else if (phi > 1) {
        // NB with mean μ₀ and variance φμ₀: size μ₀/(φ − 1), prob 1/φ.
        upper = qnbinom(1 - o.alpha, mu0 / (phi - 1), 1 / phi);
        prob = negBinomialUpperTail(observed, mu0 / (phi - 1), 1 / phi);
      } else {
        upper = qpois(1 - o.alpha, mu0);
        prob = poissonUpperTail(observed, mu0);
      }
    }
    const score = Number.isNaN(upper) ? NaN : (observed - fit) / (upper - fit);
    let recent = 0;
    for (let i = k - period + 1; i <= k; i++) recent += series[i] as number;
    const enoughCases = recent >= cases;
    out.push({
      index: k,
      observed,
      expected: enoughCases && !Number.isNaN(upper) ? expected : null,
      threshold: enoughCases ? naToNull(upper) : null,
      alarm: enoughCases && !Number.isNaN(score) && score > 1 && observed !== 0,
      pValue: naToNull(prob),
      statistic: naToNull(score),
    });
  }
  return out;
}
