/**
 * The synthetic population against its references: age pyramid, sex ratio and département shares
 * (INSEE), valid and unique NIRs consistent with sex and birth date, plausible vital rates and
 * hospital activity, and the ground truth of epidemics and injected outbreaks.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isValidNir } from '@hygie/core';
import { agePyramid, departements, deptFromSndsCode } from '@hygie/reference';
import { generate, readSndsObjects, type Run } from './helpers.js';

const PERSONS = 40_000;
let run: Run;
let ben: Record<string, string>[];

before(async () => {
  run = await generate({ persons: PERSONS, format: 'snds', workers: 2 });
  ben = readSndsObjects(join(run.dir, 'snds', 'IR_BEN_R.csv'));
});
after(() => run.cleanup());

test('the beneficiary file holds the initial population plus births', () => {
  assert.equal(ben.length, run.summary.persons);
  const newborns = ben.filter((b) => Number(b.BEN_NAI_ANN) >= 2019).length;
  assert.equal(newborns, run.summary.newborns);
  // ~1.05 % births a year over six years.
  assert.ok(newborns > PERSONS * 0.055 && newborns < PERSONS * 0.07, `newborns ${newborns}`);
});

test('ages at the start of the period follow the INSEE pyramid (each 5-year band within 0.5 points)', () => {
  const initial = ben.filter((b) => Number(b.BEN_NAI_ANN) < 2019);
  const bands = agePyramid();
  const total = bands.reduce((s, b) => s + b.males + b.females, 0);
  for (const band of bands) {
    const expected = (band.males + band.females) / total;
    const observed =
      initial.filter((b) => {
        const age = 2018 - Number(b.BEN_NAI_ANN);
        return age >= band.ageFrom && age <= band.ageTo;
      }).length / initial.length;
    assert.ok(
      Math.abs(observed - expected) < 0.005,
      `ages ${band.ageFrom}-${band.ageTo}: ${observed} vs ${expected}`,
    );
  }
});

test('sex ratio matches the reference within one point', () => {
  const bands = agePyramid();
  const males =
    bands.reduce((s, b) => s + b.males, 0) / bands.reduce((s, b) => s + b.males + b.females, 0);
  const observed = ben.filter((b) => b.BEN_SEX_COD === '1').length / ben.length;
  assert.ok(Math.abs(observed - males) < 0.01, `male share ${observed} vs ${males}`);
});

test('every département is represented in proportion to its INSEE population', () => {
  const depts = departements();
  const total = depts.reduce((s, d) => s + d.population, 0);
  const counts = new Map<string, number>();
  for (const b of ben) {
    const d = deptFromSndsCode(b.BEN_RES_DPT ?? '');
    assert.ok(d, `unknown département code ${b.BEN_RES_DPT}`);
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  assert.equal(counts.size, 101);
  let chi2 = 0;
  for (const d of depts) {
    const expected = (ben.length * d.population) / total;
    const observed = counts.get(d.code) ?? 0;
    chi2 += (observed - expected) ** 2 / expected;
    assert.ok(
      Math.abs(observed - expected) <= 5 * Math.sqrt(expected) + 3,
      `${d.code}: ${observed} vs ${expected.toFixed(0)}`,
    );
  }
  // 100 degrees of freedom: chi² above 160 would mean p < 0.0001.
  assert.ok(chi2 < 160, `chi² ${chi2}`);
});

test('every NIR is valid, unique, and agrees with sex, birth year and month', () => {
  const seen = new Set<string>();
  for (const b of ben) {
    const nir = b.BEN_NIR_PSA ?? '';
    assert.ok(isValidNir(nir), `invalid NIR key`);
    assert.ok(!seen.has(nir), 'duplicate NIR');
    seen.add(nir);
    assert.equal(nir[0], b.BEN_SEX_COD);
    assert.equal(nir.slice(1, 3), (b.BEN_NAI_ANN ?? '').slice(2));
    assert.equal(nir.slice(3, 5), b.BEN_NAI_MOI);
  }
});

test('vital rates and hospital activity are of the French order of magnitude', () => {
  const deaths = ben.filter((b) => b.BEN_DCD_DTE !== '').length;
  const personYears = PERSONS * 6;
  const crude = deaths / personYears;
  assert.ok(crude > 0.007 && crude < 0.013, `crude death rate ${crude}`);
  const cci = readSndsObjects(join(run.dir, 'snds', 'KI_CCI_R.csv'));
  assert.equal(cci.length, deaths, 'one cause-of-death record per death');
  let stays = 0;
  for (const f of readdirSync(join(run.dir, 'snds'))) {
    if (/^T_MCO\d\dB\.csv$/.test(f))
      stays += readFileSync(join(run.dir, 'snds', f), 'utf8').split('\n').length - 2;
  }
  const rate = stays / personYears;
  assert.ok(rate > 0.1 && rate < 0.25, `stays per person-year ${rate}`);
});

test('ground truth lists the epidemics and the injected outbreaks with the cases they produced', () => {
  const gt = JSON.parse(readFileSync(join(run.dir, 'ground-truth.json'), 'utf8')) as {
    population: { total: number; deaths: number };
    outbreaks: {
      id: string;
      syndrome: string;
      dept: string;
      isoWeeks: string[];
      targetExcessCases: number;
      excessCases: number;
    }[];
    epidemicWaves: { syndrome: string; peakIsoWeek: string }[];
    consultationsBySyndromeAndWeek: Record<string, Record<string, number>>;
  };
  assert.equal(gt.population.total, ben.length);
  assert.ok(gt.outbreaks.length >= 6);
  const deptCodes = new Set(departements().map((d) => d.code));
  for (const o of gt.outbreaks) {
    assert.ok(deptCodes.has(o.dept));
    assert.ok(o.isoWeeks.length >= 2 && o.isoWeeks.length <= 4);
    assert.ok(
      o.excessCases > o.targetExcessCases * 0.3 && o.excessCases < o.targetExcessCases * 2.5,
      `${o.id}: ${o.excessCases} vs ${o.targetExcessCases}`,
    );
  }
  // The busiest influenza weeks fall within three weeks of a wave peak.
  const flu = gt.consultationsBySyndromeAndWeek.influenza ?? {};
  const peaks = gt.epidemicWaves
    .filter((w) => w.syndrome === 'influenza')
    .map((w) => w.peakIsoWeek);
  const weekIndex = (w: string): number => Number(w.slice(0, 4)) * 52.18 + Number(w.slice(6));
  const busiest = Object.entries(flu).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  assert.ok(
    peaks.some((p) => Math.abs(weekIndex(p) - weekIndex(busiest)) <= 3),
    `busiest influenza week ${busiest}`,
  );
  // COVID-19 only from 2020.
  const covidWeeks = Object.keys(gt.consultationsBySyndromeAndWeek.covid19 ?? {});
  assert.ok(covidWeeks.length > 0 && covidWeeks.every((w) => w >= '2020'));
});
