/**
 * A synthetic person's life over the period: moves, chronic conditions, epidemics and local
 * outbreaks, consultations, dispensings, lab results, hospital stays and death. Everything is
 * drawn from the person's own random stream, so a person's record does not depend on which
 * thread or work unit generates it.
 */
import { Rng, civilDate, epochDay } from '@hygie/core';
import {
  BACKGROUND_SYNDROMES,
  EPIDEMIC_SYNDROMES,
  covidSeverity,
  stepValue,
  type AcuteSyndrome,
} from './catalogue/acute-syndromes.js';
import { CHRONIC_CONDITIONS, type ChronicCondition } from './catalogue/chronic-conditions.js';
import { BASELINE_DEATH_CAUSES, HOSPITAL_EVENTS } from './catalogue/hospital-events.js';
import { STREET_NAMES } from './catalogue/names.js';
import type {
  ConditionEpisode,
  Death,
  DispensedItem,
  PersonRecord,
  Residence,
  Stay,
} from './events.js';
import { communeInDept, type Identity } from './identity.js';
import { luhnDigit, type Product, type World } from './world.js';

const YEAR = 365.25;
/** Calibrates baseline mortality so that, with condition multipliers on top, France's ~9.5 ‰ holds. */
const MORTALITY_SCALE = 0.57;

/** Annual probability of death by age and sex (Gompertz fitted to French life tables, rounded). */
export function baselineMortality(age: number, sex: 1 | 2): number {
  if (age < 1) return 0.0035;
  const q =
    sex === 1 ? 0.0075 * Math.exp(0.092 * (age - 60)) : 0.004 * Math.exp(0.104 * (age - 60));
  return Math.min(0.6, Math.max(age < 15 ? 0.0001 : 0.0003, q));
}

/** Interpolated prevalence of a condition at an age. */
function prevalenceAt(c: ChronicCondition, age: number): number {
  const pts = c.prevalence;
  let prev = pts[0] as readonly [number, number];
  if (age <= prev[0]) return prev[1];
  for (let i = 1; i < pts.length; i++) {
    const p = pts[i] as readonly [number, number];
    if (age <= p[0]) return prev[1] + ((p[1] - prev[1]) * (age - prev[0])) / (p[0] - prev[0]);
    prev = p;
  }
  return prev[1];
}

const AGE_STEP = 0.25;
const AGE_STEPS = 421; // 0 to 105 years by quarter years

/**
 * Per condition and sex, the running maximum of capped prevalence over ages by quarter year: the
 * first age at which it exceeds a liability u is then a binary search, not a scan.
 */
const ONSET_TABLES: ReadonlyMap<string, readonly [Float64Array, Float64Array]> = new Map(
  CHRONIC_CONDITIONS.map((c) => {
    const table = (factor: number): Float64Array => {
      const t = new Float64Array(AGE_STEPS);
      let max = 0;
      for (let i = 0; i < AGE_STEPS; i++) {
        max = Math.max(max, Math.min(0.95, prevalenceAt(c, i * AGE_STEP) * factor));
        t[i] = max;
      }
      return t;
    };
    return [c.id, [table(c.maleFactor), table(c.femaleFactor)]] as const;
  }),
);

/** First age (years, by quarter year) at which prevalence exceeds u, or null before 105. */
function onsetAge(c: ChronicCondition, sex: 1 | 2, u: number): number | null {
  const t = (ONSET_TABLES.get(c.id) as readonly [Float64Array, Float64Array])[
    sex - 1
  ] as Float64Array;
  if ((t[AGE_STEPS - 1] as number) <= u) return null;
  let lo = 0;
  let hi = AGE_STEPS - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t[mid] as number) > u) hi = mid;
    else lo = mid + 1;
  }
  return lo * AGE_STEP;
}

function ageAt(id: Identity, day: number): number {
  return (day - id.birthDay) / YEAR;
}

/** Intersects [a, b] with the alive window; returns null when empty. */
function clip(a: number, b: number, lo: number, hi: number): [number, number] | null {
  const s = Math.max(a, lo);
  const e = Math.min(b, hi);
  return s <= e ? [s, e] : null;
}

/** Generates the record of one person. */
export class LifeGenerator {
  private readonly world: World;
  private rng: Rng = Rng.from('unused');
  private id!: Identity;
  private rec!: PersonRecord;
  private lo = 0;
  private hi = 0;
  /** Chosen product per ATC code for this person (people stay on the same brand). */
  private brand = new Map<string, Product>();

  constructor(world: World) {
    this.world = world;
  }

  /** Generates the whole record of a person. */
  generate(id: Identity): PersonRecord {
    const w = this.world;
    this.rng = Rng.from(w.options.seed, 'life', id.index);
    this.id = id;
    this.brand.clear();
    const dept = w.communeDept[id.residence] as string;
    const deptTag = dept.slice(0, 2);
    const r = this.rng;
    this.rec = {
      residences: [{ from: id.birthDay, commune: id.residence }],
      conditions: [],
      consultations: [],
      dispensings: [],
      labs: [],
      stays: [],
      death: null,
      gp: this.professional(deptTag, 1, r.int(100_000)),
      pharmacy: this.professional(deptTag, 3, r.int(100_000)),
      phone: `0${r.pick(['1', '2', '3', '4', '5', '6', '7'])}${String(r.int(100_000_000)).padStart(8, '0')}`,
      street: `${1 + r.int(120)} ${r.pick(STREET_NAMES)}`,
    };
    this.lo = Math.max(w.startDay, id.birthDay);
    this.hi = w.endDay;
    this.moves();
    this.chronicConditions();
    let deathDay = this.backgroundDeath();
    this.hi = deathDay ?? w.endDay;
    const acuteDeath = this.acuteEpisodes();
    if (acuteDeath !== null && (deathDay === null || acuteDeath.day < deathDay))
      deathDay = acuteDeath.day;
    this.hi = deathDay ?? w.endDay;
    this.chronicCare();
    this.hospitalEvents();
    if (id.newborn) this.birthStay();
    if (deathDay !== null) this.recordDeath(deathDay, acuteDeath);
    this.truncate();
    this.rec.consultations.sort((a, b) => a.day - b.day);
    this.rec.dispensings.sort((a, b) => a.day - b.day);
    this.rec.labs.sort((a, b) => a.day - b.day);
    this.rec.stays.sort((a, b) => a.entry - b.entry);
    return this.rec;
  }

  /** The commune (world index) of residence on a day. */
  residenceAt(day: number): number {
    const res = this.rec.residences;
    let c = (res[0] as Residence).commune;
    for (let i = 1; i < res.length; i++) {
      const r = res[i] as Residence;
      if (r.from <= day) c = r.commune;
      else break;
    }
    return c;
  }

  private professional(deptTag: string, kind: number, n: number): string {
    const body = `${deptTag}${kind}${String(n).padStart(5, '0')}`;
    return body + luhnDigit(body.replace(/[AB]/g, '0'));
  }

  private moves(): void {
    const w = this.world;
    const r = this.rng;
    const years = (this.hi - this.lo + 1) / YEAR;
    const n = r.poisson(0.09 * years);
    const days: number[] = [];
    for (let i = 0; i < n; i++) days.push(this.lo + r.int(this.hi - this.lo + 1));
    days.sort((a, b) => a - b);
    for (const day of days) {
      const current = this.residenceAt(day);
      const commune = r.chance(0.7)
        ? communeInDept(w, r, w.communeDept[current] as string)
        : r.weightedIndex(w.communeCum);
      if (commune !== current) this.rec.residences.push({ from: day, commune });
    }
  }

  private chronicConditions(): void {
    const id = this.id;
    const r = this.rng;
    for (const c of CHRONIC_CONDITIONS) {
      const factor = id.sex === 1 ? c.maleFactor : c.femaleFactor;
      const u = r.float();
      const code = c.codes[
        r.weightedIndex(CODE_WEIGHTS[Math.min(c.codes.length, 4) - 1] as Float64Array)
      ] as string;
      if (c.meanDurationYears === null) {
        const onset = onsetAge(c, id.sex, u);
        let day =
          onset === null
            ? Number.POSITIVE_INFINITY
            : id.birthDay + Math.floor((onset + r.float() * 0.25) * YEAR);
        // Liability crossing reproduces prevalence in a population without excess deaths. People
        // with the condition die sooner, so survivors need extra incidence to keep prevalence
        // level: P·q·(m−1)/(1−P) a year among those without it.
        if (c.deathMultiplier > 1) {
          for (let y = this.world.options.from; y <= this.world.options.to; y++) {
            const seg = clip(epochDay(y, 1, 1), epochDay(y, 12, 31), this.lo, this.hi);
            if (!seg || seg[0] >= day) continue;
            const age = ageAt(id, seg[0]);
            const p = Math.min(0.95, prevalenceAt(c, age) * factor);
            const q = baselineMortality(age, id.sex) * MORTALITY_SCALE;
            const extra = (p * q * (c.deathMultiplier - 1)) / (1 - p);
            if (r.chance(extra * ((seg[1] - seg[0] + 1) / 365)))
              day = Math.min(day, seg[0] + r.int(seg[1] - seg[0] + 1));
          }
        }
        if (day > this.hi) continue;
        this.rec.conditions.push({ id: c.id, code, onset: day, end: null });
      } else {
        // Episodic: in an episode at the start with probability = prevalence; new episodes start
        // at rate prevalence / duration and last an exponential time.
        const dur = c.meanDurationYears;
        let day = this.lo;
        const p0 = Math.min(0.95, prevalenceAt(c, ageAt(id, day)) * factor);
        if (u < p0) {
          const onset = day - Math.floor(r.float() * dur * YEAR);
          const end = day + Math.floor(r.exponential(1 / dur) * YEAR);
          this.rec.conditions.push({ id: c.id, code, onset, end });
          day = end + 1;
        }
        while (day <= this.hi) {
          const rate = (Math.min(0.95, prevalenceAt(c, ageAt(id, day)) * factor) / dur) * 1.0;
          if (rate <= 0) {
            day += 365;
            continue;
          }
          const wait = Math.floor(r.exponential(rate) * YEAR);
          if (wait > 365) {
            day += 365;
            continue;
          }
          const onset = day + wait;
          if (onset > this.hi) break;
          const end = onset + Math.floor(r.exponential(1 / dur) * YEAR);
          this.rec.conditions.push({ id: c.id, code, onset, end });
          day = end + 30;
        }
      }
    }
  }

  private activeConditions(day: number): ConditionEpisode[] {
    return this.rec.conditions.filter((c) => c.onset <= day && (c.end === null || c.end >= day));
  }

  private backgroundDeath(): number | null {
    const id = this.id;
    const r = this.rng;
    const w = this.world;
    for (let y = w.options.from; y <= w.options.to; y++) {
      const seg = clip(epochDay(y, 1, 1), epochDay(y, 12, 31), this.lo, this.hi);
      if (!seg) continue;
      const [s, e] = seg;
      let q = baselineMortality(ageAt(id, s), id.sex) * MORTALITY_SCALE;
      for (const c of this.activeConditions(s))
        q *= CONDITION_BY_ID.get(c.id)?.deathMultiplier ?? 1;
      const len = e - s + 1;
      const pDie = 1 - Math.pow(1 - Math.min(0.95, q), len / 365);
      if (r.chance(pDie)) return s + r.int(len);
    }
    return null;
  }

  /** Consultation + dispensing + possible stay for one acute episode; returns a death if any. */
  private episode(s: AcuteSyndrome, day: number, outbreak: string | null): Death | null {
    const r = this.rng;
    const age = ageAt(this.id, day);
    const spe = s.spe === 12 && r.chance(0.5) ? 12 : 1;
    const reason = s.codes[
      r.weightedIndex(CODE_WEIGHTS[Math.min(s.codes.length, 4) - 1] as Float64Array)
    ] as string;
    this.rec.consultations.push({ day, spe, reason, syndrome: s.id, outbreak });
    const items: DispensedItem[] = [];
    for (const [atc, p] of s.drugs) if (r.chance(p)) this.addItem(items, atc, 1);
    if (items.length > 0)
      this.rec.dispensings.push({ day, items, prescriberSpe: spe, fullCover: false });
    const severity = s.id === 'covid19' ? covidSeverity(civilDate(day).year) : 1;
    if (s.stayDp.length > 0 && r.chance(stepValue(s.hospitalisation, age) * severity)) {
      const entry = day + r.int(3);
      if (entry > this.hi) return null;
      const los = Math.max(1, Math.round(r.exponential(1 / s.meanLos)));
      const dies = r.chance(stepValue(s.deathAfterStay, age));
      const exit = Math.min(entry + los, this.world.endDay);
      const stay = this.makeStay(entry, exit, r.pick(s.stayDp), s.stayActs, dies ? '9' : '8');
      stay.syndrome = s.id;
      stay.outbreak = outbreak;
      this.rec.stays.push(stay);
      if (dies && exit <= this.world.endDay) {
        return {
          day: exit,
          cause: s.id === 'covid19' ? 'U071' : stay.dp,
          otherCauses: [],
          place: 2,
          commune: this.residenceAt(exit),
        };
      }
    }
    return null;
  }

  private acuteEpisodes(): Death | null {
    const w = this.world;
    const id = this.id;
    const r = this.rng;
    let death: Death | null = null;
    const episodes: { s: AcuteSyndrome; day: number; outbreak: string | null }[] = [];
    // Age segments: the window cut at birthdays, so age-specific rates (bronchiolitis!) apply.
    const segments: [number, number, number][] = [];
    for (let s = this.lo; s <= this.hi;) {
      const age = Math.floor(ageAt(id, s));
      const nextBirthday = id.birthDay + Math.ceil((age + 1) * YEAR);
      const e = Math.min(this.hi, nextBirthday - 1);
      segments.push([s, e, age]);
      s = e + 1;
    }
    for (const s of EPIDEMIC_SYNDROMES) {
      const perRegion = w.intensities.cumulative.get(s.id);
      if (!perRegion) continue;
      for (const [a, b, age] of segments) {
        const f = stepValue(s.ageProfile, age);
        if (f <= 0) continue;
        const region = w.communeRegion[this.residenceAt(a)] as string;
        const cum = perRegion.get(region) as Float64Array;
        const i0 = a - w.intensities.startDay;
        const i1 = b - w.intensities.startDay + 1;
        const base = cum[i0] as number;
        const expected = f * ((cum[i1] as number) - base);
        const n = r.poisson(expected);
        for (let k = 0; k < n; k++) {
          const target = base + r.float() * ((cum[i1] as number) - base);
          let lo = i0;
          let hi = i1 - 1;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if ((cum[mid + 1] as number) >= target) hi = mid;
            else lo = mid + 1;
          }
          episodes.push({ s, day: w.intensities.startDay + lo, outbreak: null });
        }
      }
    }
    for (const o of w.outbreaks) {
      const seg = clip(o.startDay, o.endDay, this.lo, this.hi);
      if (!seg) continue;
      if (w.communeDept[this.residenceAt(o.startDay)] !== o.dept) continue;
      const s = EPIDEMIC_BY_ID.get(o.syndrome) as AcuteSyndrome;
      const f = stepValue(s.ageProfile, Math.floor(ageAt(id, seg[0])));
      const n = r.poisson(
        o.perResident * f * ((seg[1] - seg[0] + 1) / (o.endDay - o.startDay + 1)),
      );
      for (let k = 0; k < n; k++)
        episodes.push({ s, day: seg[0] + r.int(seg[1] - seg[0] + 1), outbreak: o.id });
    }
    for (const s of BACKGROUND_SYNDROMES) {
      for (const [a, b, age] of segments) {
        const f = stepValue(s.ageProfile, age);
        if (f <= 0) continue;
        const n = r.poisson((s.baselinePerYear * f * (b - a + 1)) / YEAR);
        for (let k = 0; k < n; k++) episodes.push({ s, day: a + r.int(b - a + 1), outbreak: null });
      }
    }
    episodes.sort((x, y) => x.day - y.day);
    for (const e of episodes) {
      if (death !== null && e.day > death.day) break;
      const d = this.episode(e.s, e.day, e.outbreak);
      if (d !== null && death === null) death = d;
    }
    return death;
  }

  private product(atc: string): Product | null {
    let p = this.brand.get(atc);
    if (!p) {
      const list = this.world.productsByAtc.get(atc);
      if (!list || list.length === 0) return null;
      p = this.rng.pick(list);
      this.brand.set(atc, p);
    }
    return p;
  }

  private addItem(items: DispensedItem[], atc: string, boxes: number): void {
    const p = this.product(atc);
    if (p)
      items.push({
        cip13: p.cip13,
        cip7: p.cip7,
        atc5: p.atc5,
        label: p.label,
        boxes,
        price: p.price,
      });
  }

  private chronicCare(): void {
    const r = this.rng;
    const id = this.id;
    for (const ep of this.rec.conditions) {
      const c = CONDITION_BY_ID.get(ep.id) as ChronicCondition;
      const seg = clip(ep.onset, ep.end ?? this.hi, this.lo, this.hi);
      if (!seg) continue;
      const [a, b] = seg;
      const years = (b - a + 1) / YEAR;
      const nGp = r.poisson(c.gpVisits * years);
      for (let k = 0; k < nGp; k++) {
        this.rec.consultations.push({
          day: a + r.int(b - a + 1),
          spe: 1,
          reason: ep.code,
          syndrome: null,
          outbreak: null,
        });
      }
      if (c.specialist) {
        const nSp = r.poisson(c.specialist.perYear * years);
        for (let k = 0; k < nSp; k++) {
          this.rec.consultations.push({
            day: a + r.int(b - a + 1),
            spe: c.specialist.spe,
            reason: ep.code,
            syndrome: null,
            outbreak: null,
          });
        }
      }
      if (c.treatment.length > 0) {
        const atcs: string[] = [r.pick(c.treatment[0] as readonly string[])];
        for (let l = 1; l < c.treatment.length; l++)
          if (r.chance(c.addOnProb)) atcs.push(r.pick(c.treatment[l] as readonly string[]));
        const boxes = c.dispenseEvery >= 90 ? 3 : c.dispenseEvery >= 60 ? 2 : 1;
        // Treatment starts a few weeks after diagnosis; adherence gaps lengthen some intervals.
        let day = Math.max(a, ep.onset + 7) + r.int(c.dispenseEvery);
        while (day <= b) {
          const items: DispensedItem[] = [];
          for (const atc of atcs) this.addItem(items, atc, boxes);
          if (items.length === 0) break;
          this.rec.dispensings.push({
            day,
            items,
            prescriberSpe: c.specialist && r.chance(0.2) ? c.specialist.spe : 1,
            fullCover: c.ald,
          });
          day += c.dispenseEvery - 2 + r.int(6) + (r.chance(0.08) ? r.int(45) : 0);
        }
      }
      for (const lab of c.labs) {
        const n = r.poisson(lab.perYear * years);
        for (let k = 0; k < n; k++) {
          const value = Math.max(0, lab.mean + lab.sd * r.normal());
          this.rec.labs.push({
            day: a + r.int(b - a + 1),
            loinc: lab.loinc,
            value,
            decimals: lab.decimals,
          });
        }
      }
      if (c.stays) {
        const n = r.poisson(c.stays.perYear * years);
        for (let k = 0; k < n; k++) {
          const entry = a + r.int(b - a + 1);
          const session = c.stays.meanLos === 0;
          const los = session ? 0 : Math.max(1, Math.round(r.exponential(1 / c.stays.meanLos)));
          const dp = r.pick(c.stays.dp);
          const stay = this.makeStay(
            entry,
            Math.min(entry + los, this.world.endDay),
            dp,
            c.stays.acts.length > 0 && r.chance(0.6) ? [r.pick(c.stays.acts)] : [],
            '8',
          );
          // A chemotherapy session (Z511) names the cancer as related diagnosis.
          if (dp === 'Z511') stay.dr = ep.code;
          this.rec.stays.push(stay);
        }
      }
    }
    // Routine specialist care by age and sex.
    const segs: [number, number][] = [];
    for (let y = this.world.options.from; y <= this.world.options.to; y++) {
      const s = clip(epochDay(y, 1, 1), epochDay(y, 12, 31), this.lo, this.hi);
      if (s) segs.push(s);
    }
    for (const [a, b] of segs) {
      const age = ageAt(id, a);
      const f = (b - a + 1) / YEAR;
      const routine: [number, number][] = [
        [15, age >= 18 ? 0.25 : 0.1],
        [5, 0.12],
        [12, age < 2 ? 2 : age < 6 ? 0.6 : age < 16 ? 0.15 : 0],
        [7, id.sex === 2 && age >= 18 && age < 70 ? 0.35 : 0],
        [3, age >= 50 ? 0.08 : 0],
      ];
      for (const [spe, rate] of routine) {
        const n = r.poisson(rate * f);
        for (let k = 0; k < n; k++) {
          this.rec.consultations.push({
            day: a + r.int(b - a + 1),
            spe,
            reason: 'Z000',
            syndrome: null,
            outbreak: null,
          });
        }
      }
    }
  }

  private hospitalEvents(): void {
    const r = this.rng;
    const id = this.id;
    for (let y = this.world.options.from; y <= this.world.options.to; y++) {
      const seg = clip(epochDay(y, 1, 1), epochDay(y, 12, 31), this.lo, this.hi);
      if (!seg) continue;
      const [a, b] = seg;
      const age = ageAt(id, a);
      const f = (b - a + 1) / YEAR;
      for (const ev of HOSPITAL_EVENTS) {
        const rate = stepValue(id.sex === 1 ? ev.male : ev.female, age);
        if (rate <= 0) continue;
        const n = r.poisson(rate * f);
        for (let k = 0; k < n; k++) {
          let x = r.float() * ev.variants.reduce((s, v) => s + v.weight, 0);
          let variant = ev.variants[0] as (typeof ev.variants)[number];
          for (const v of ev.variants) {
            x -= v.weight;
            if (x <= 0) {
              variant = v;
              break;
            }
          }
          const entry = a + r.int(b - a + 1);
          const los = ev.ambulatory ? 0 : Math.max(1, Math.round(ev.meanLos * (0.5 + r.float())));
          const stay = this.makeStay(
            entry,
            Math.min(entry + los, this.world.endDay),
            variant.dp,
            variant.acts,
            '8',
          );
          stay.das.push(...ev.das);
          this.rec.stays.push(stay);
        }
      }
    }
  }

  private birthStay(): void {
    const day = this.id.birthDay;
    if (day < this.world.startDay) return;
    const stay = this.makeStay(
      day,
      Math.min(day + 2 + this.rng.int(3), this.world.endDay),
      'Z380',
      [],
      '8',
    );
    stay.entryMode = '8';
    this.rec.stays.push(stay);
  }

  private makeStay(
    entry: number,
    exit: number,
    dp: string,
    acts: readonly string[],
    exitMode: string,
  ): Stay {
    const w = this.world;
    const r = this.rng;
    const commune = this.residenceAt(entry);
    const dept = w.communeDept[commune] as string;
    const local = w.hospitalsByDept.get(dept) ?? [];
    const hospital = r.chance(0.12)
      ? w.chuByRegion.get(w.communeRegion[commune] as string)
      : undefined;
    const etaNum = (hospital ?? r.pick(local)).etaNum;
    const das: string[] = [];
    for (const c of this.activeConditions(entry))
      if (c.code !== dp && das.length < 6) das.push(c.code);
    return {
      entry,
      exit,
      etaNum,
      dp,
      dr: '',
      das,
      acts: acts.map((code) => ({ code, offset: exit > entry ? r.int(exit - entry + 1) : 0 })),
      entryMode: '8',
      exitMode,
      syndrome: null,
      outbreak: null,
    };
  }

  private recordDeath(day: number, acute: Death | null): void {
    const r = this.rng;
    const id = this.id;
    if (acute !== null && acute.day === day) {
      acute.otherCauses = this.activeConditions(day)
        .slice(0, 2)
        .map((c) => c.code);
      this.rec.death = acute;
      return;
    }
    const age = ageAt(id, day);
    const candidates: [string, number][] = [];
    for (const c of this.activeConditions(day)) {
      const def = CONDITION_BY_ID.get(c.id) as ChronicCondition;
      if (def.deathMultiplier > 1 && def.deathCauses.length > 0)
        candidates.push([r.pick(def.deathCauses), (def.deathMultiplier - 1) * 2]);
    }
    let band = BASELINE_DEATH_CAUSES[0] as (typeof BASELINE_DEATH_CAUSES)[number];
    for (const b of BASELINE_DEATH_CAUSES) if (age >= b.ageFrom) band = b;
    for (const [code, weight] of band.causes) candidates.push([code, weight / 4]);
    const total = candidates.reduce((s, c) => s + c[1], 0);
    let x = r.float() * total;
    let cause = (candidates[0] as [string, number])[0];
    for (const [code, weight] of candidates) {
      x -= weight;
      if (x <= 0) {
        cause = code;
        break;
      }
    }
    const commune = this.residenceAt(day);
    // About 55 % of deaths in France occur in hospital: they close a stay.
    const inHospital = r.chance(0.55);
    if (inHospital) {
      const entry = Math.max(this.lo, day - r.int(12));
      this.rec.stays.push(
        this.makeStay(entry, day, cause.startsWith('R') ? 'R54' : cause, [], '9'),
      );
    }
    this.rec.death = {
      day,
      cause,
      otherCauses: this.activeConditions(day)
        .filter((c) => c.code !== cause)
        .slice(0, 2)
        .map((c) => c.code),
      place: inHospital ? 2 : age >= 80 && r.chance(0.5) ? 4 : 1,
      commune,
    };
  }

  /** Drops everything after death and stays that would end after it. */
  private truncate(): void {
    const end = this.rec.death?.day ?? this.world.endDay;
    const rec = this.rec;
    rec.consultations = rec.consultations.filter((c) => c.day <= end && c.day >= this.lo);
    rec.dispensings = rec.dispensings.filter((d) => d.day <= end && d.day >= this.lo);
    rec.labs = rec.labs.filter((l) => l.day <= end && l.day >= this.lo);
    rec.stays = rec.stays.filter((s) => s.entry >= this.lo && s.exit <= end);
    rec.residences = rec.residences.filter((x, i) => i === 0 || x.from <= end);
  }
}

const CONDITION_BY_ID: ReadonlyMap<string, ChronicCondition> = new Map(
  CHRONIC_CONDITIONS.map((c) => [c.id, c]),
);
const EPIDEMIC_BY_ID: ReadonlyMap<string, AcuteSyndrome> = new Map(
  EPIDEMIC_SYNDROMES.map((s) => [s.id, s]),
);
/** Code choice weights: the first code of a list is the most frequent. */
const CODE_WEIGHTS: readonly Float64Array[] = [
  Float64Array.from([1]),
  Float64Array.from([0.75, 1]),
  Float64Array.from([0.6, 0.85, 1]),
  Float64Array.from([0.55, 0.75, 0.9, 1]),
];

/** Calendar year of an epoch day (re-exported helper for writers). */
export function yearOf(day: number): number {
  return civilDate(day).year;
}
