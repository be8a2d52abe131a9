/**
 * Writes a person's record as SNDS extract rows: the beneficiary (IR_BEN_R), ambulatory claims
 * (ER_PRS_F with pharmacy detail in ER_PHA_F), PMSI MCO stays per year (T_MCOaaB/C/D/A) and causes
 * of death (KI_CCI_R, KI_ECD_R). Identifier columns carry the raw NIR — the extract as a source
 * would send it before pseudonymisation — or, with `--source-key`, its 17-character source
 * pseudonym, the SNDS's own identifier length.
 */
import { Rng, civilDate } from '@hygie/core';
import { communeSuffix } from '@hygie/reference';
import {
  ddmmyyyyText,
  firstOfNextMonthText,
  isoText,
  mmText,
  sasDateTimeText,
  yyyyText,
  yyyymmText,
} from './date-text.js';
import type { ChunkOutput } from './chunk-output.js';
import type { PersonRecord } from './events.js';
import type { Identity } from './identity.js';
import { sndsFileName } from './snds-format.js';
import type { World } from './world.js';

/** Consultation fee (euros) of a GP or specialist on a day: the 2023 and 2024 tariff rises. */
function consultationFee(day: number, spe: number): number {
  const gp = day >= 20_063 /* 2024-12-22 */ ? 30 : day >= 19_713 /* 2023-12-22 */ ? 26.5 : 25;
  return spe === 1 ? gp : gp + 5;
}

const money = (x: number): string => (Math.round(x * 100) / 100).toFixed(2);

/** Writes SNDS rows for persons of one work unit. */
export class SndsWriter {
  private readonly world: World;
  private readonly out: ChunkOutput;

  constructor(world: World, out: ChunkOutput) {
    this.world = world;
    this.out = out;
  }

  /**
   * Writes every row of one person. `personId` goes in the identifier columns: the NIR, or its
   * source pseudonym.
   */
  write(
    id: Identity,
    personId: string,
    rec: PersonRecord,
    residenceAt: (day: number) => number,
  ): void {
    const w = this.world;
    const sex = String(id.sex);
    const birth = civilDate(id.birthDay);
    const birthYear = String(birth.year);
    const lastCommune = residenceAt(rec.death?.day ?? w.endDay);
    const lastDept = w.communeDept[lastCommune] as string;
    const org = `01C${w.deptSnds.get(lastDept) as string}000`;
    const death = rec.death;
    const anyCare = rec.consultations.length + rec.dispensings.length + rec.stays.length > 0;
    this.out.add(
      'snds/IR_BEN_R.csv',
      [
        personId,
        '1',
        birthYear,
        mmText(id.birthDay),
        sex,
        death ? isoText(death.day) : '',
        death ? yyyymmText(death.day) : '',
        w.deptSnds.get(lastDept) as string,
        communeSuffix(w.communeCode[lastCommune] as string),
        org,
        anyCare ? '1' : '0',
        isoText(Math.max(id.birthDay, w.startDay - 3650) + 30),
        isoText(death?.day ?? w.endDay),
      ].join(';'),
    );

    // Claims: one ER_PRS_F row per consultation, dispensing and lab act. The nine-column join key
    // is unique by construction: FLX_EMT_ORD and DCT_ORD_NUM encode the person and a counter.
    const emtOrd = String(Math.floor(id.index / 100_000));
    const dctBase = (id.index % 100_000) * 10_000;
    let seq = 0;
    const claim = (
      day: number,
      nat: string,
      paid: number,
      rate: number,
      speExe: string,
      actNat: string,
      exeNum: string,
      speSrc: string,
      preNum: string,
    ): string => {
      const trt = day + 2 + (seq % 8);
      const commune = residenceAt(day);
      const dept = w.deptSnds.get(w.communeDept[commune] as string) as string;
      const key = `${dctBase + seq++};${firstOfNextMonthText(trt)};1;${emtOrd};1;${isoText(trt)};01C${dept}000;1;1`;
      const date = isoText(day);
      this.out.add(
        'snds/ER_PRS_F.csv',
        `${key};${personId};1;${sex};${birthYear};${dept};${(w.communeCode[commune] as string).slice(2)};${date};${date};${nat};1;${money(paid)};${money((paid * rate) / 100)};${rate};${speExe};${actNat};${exeNum};${speSrc};${preNum}`,
      );
      return key;
    };
    const deptTag = (w.communeDept[id.residence] as string).slice(0, 2);
    for (const c of rec.consultations) {
      const fee = consultationFee(c.day, c.spe);
      const exe = c.spe === 1 ? rec.gp : specialistNumber(deptTag, c.spe, id.index);
      claim(c.day, c.spe === 1 ? '1110' : '1112', fee, 70, String(c.spe), '', exe, '', '');
    }
    for (const d of rec.dispensings) {
      let total = 0;
      for (const it of d.items) total += it.price * it.boxes;
      const key = claim(
        d.day,
        d.fullCover ? '3311' : '3313',
        total,
        d.fullCover ? 100 : 65,
        '0',
        '50',
        rec.pharmacy,
        String(d.prescriberSpe),
        rec.gp,
      );
      d.items.forEach((it, k) => {
        this.out.add(
          'snds/ER_PHA_F.csv',
          `${key};${k + 1};${it.cip13};${it.cip7};${it.boxes};${it.price.toFixed(3)}`,
        );
      });
    }
    for (const l of rec.labs) {
      if (l.loinc === '8480-6' || l.loinc === '8462-4') continue; // blood pressure is measured in the office
      claim(
        l.day,
        '3211',
        12.5,
        60,
        '0',
        '30',
        specialistNumber(deptTag, 90, id.index),
        '1',
        rec.gp,
      );
    }

    // PMSI MCO: files per year of discharge.
    rec.stays.forEach((s, k) => {
      const year = civilDate(s.exit).year;
      const rsa = String(1_000_000_000 + id.index * 200 + k);
      const commune = residenceAt(s.entry);
      const dept = w.communeDept[commune] as string;
      const ageDays = s.entry - id.birthDay;
      const ageYears = Math.floor(ageDays / 365.25);
      const b = sndsFileName('T_MCOaaB', year);
      this.out.add(
        `snds/${b}.csv`,
        [
          s.etaNum,
          rsa,
          '224',
          ageYears >= 1 ? String(Math.min(ageYears, 120)) : '',
          ageYears >= 1 ? '' : String(Math.min(ageDays, 365)),
          sex,
          dept.slice(0, 2),
          w.communePostal[commune] as string,
          s.dp,
          s.dr,
          s.entryMode,
          s.exitMode,
          String(s.exit - s.entry),
          yyyyText(s.exit),
          mmText(s.exit),
          String(s.das.length),
          String(s.acts.length),
          '1',
        ].join(';'),
      );
      this.out.add(
        `snds/${sndsFileName('T_MCOaaC', year)}.csv`,
        [
          s.etaNum,
          rsa,
          personId,
          sasDateTimeText(s.entry),
          sasDateTimeText(s.exit),
          ddmmyyyyText(s.entry),
          ddmmyyyyText(s.exit),
          yyyyText(s.exit),
          mmText(s.exit),
        ].join(';'),
      );
      s.das.forEach((code, j) =>
        this.out.add(
          `snds/${sndsFileName('T_MCOaaD', year)}.csv`,
          `${s.etaNum};${rsa};${j + 1};${code}`,
        ),
      );
      for (const a of s.acts) {
        this.out.add(
          `snds/${sndsFileName('T_MCOaaA', year)}.csv`,
          `${s.etaNum};${rsa};${a.code};1;0;1;${a.offset}`,
        );
      }
    });

    if (death) {
      const enc = deathCertificateId(w.options.seed, id.index);
      const dDept = w.communeDept[death.commune] as string;
      const year = yyyyText(death.day);
      this.out.add(
        'snds/KI_CCI_R.csv',
        [
          personId,
          enc,
          year,
          w.deptSnds.get(dDept) as string,
          communeSuffix(w.communeCode[death.commune] as string),
          w.deptSnds.get(lastDept) as string,
          communeSuffix(w.communeCode[lastCommune] as string),
          isoText(death.day),
          yyyymmText(death.day),
          String(death.place),
          birthYear,
          mmText(id.birthDay),
          sex,
          death.cause,
        ].join(';'),
      );
      [death.cause, ...death.otherCauses].forEach((code, j) => {
        this.out.add(
          'snds/KI_ECD_R.csv',
          `${personId};${enc};${year};${j + 1};${j + 1};${code};${isoText(death.day)}`,
        );
      });
    }
  }
}

/** A synthetic specialist (or laboratory) number: stable per person and specialty. */
function specialistNumber(deptTag: string, spe: number, index: number): string {
  const n = (spe * 1000 + (index % 37)) % 100_000;
  return `${deptTag}2${String(n).padStart(5, '0')}0`;
}

/** A 64-hex-character death certificate identifier, stable per person. */
export function deathCertificateId(seed: string, index: number): string {
  const r = Rng.from(seed, 'death-certificate', index);
  let s = '';
  for (let i = 0; i < 8; i++) s += r.next().toString(16).padStart(8, '0');
  return s;
}
