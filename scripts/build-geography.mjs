#!/usr/bin/env node
// Regenerates packages/reference/data/geography/*.csv (communes, départements, régions with INSEE
// legal populations) from @etalab/decoupage-administratif, and copies the SNDS table schemas and
// nomenclatures Hygie validates against from the shared reference folder.
//
// Usage: node scripts/build-geography.mjs [REFERENCE_DIR]   (default ../shared/reference)
//
// Only current communes of metropolitan France and the five overseas départements (101
// départements, 18 régions) are kept. Paris, Lyon and Marseille are replaced by their municipal
// arrondissements, because that is what a NIR records as birth commune and what SNDS residence
// codes use.
import { createRequire } from 'node:module';
import { copyFileSync, mkdirSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, basename } from 'node:path';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const refDir = resolve(process.argv[2] ?? join(root, '..', 'shared', 'reference'));
const out = join(root, 'packages', 'reference', 'data');

const communesRaw = require('@etalab/decoupage-administratif/data/communes.json');
const depsRaw = require('@etalab/decoupage-administratif/data/departements.json');
const regsRaw = require('@etalab/decoupage-administratif/data/regions.json');

const inScope = (x) => x.zone === 'metro' || x.zone === 'drom';
const plm = new Set(['75056', '69123', '13055']);
const communes = communesRaw
  .filter(
    (c) =>
      inScope(c) &&
      ((c.type === 'commune-actuelle' && !plm.has(c.code)) ||
        c.type === 'arrondissement-municipal'),
  )
  .map((c) => ({
    code: c.code,
    name: c.nom,
    dept: c.departement,
    region: c.region,
    population: c.population ?? 0,
    postal: (c.codesPostaux ?? [])[0] ?? '',
  }))
  .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

const clean = (s) => String(s).replaceAll(';', ',');
const deps = depsRaw.filter(inScope).sort((a, b) => (a.code < b.code ? -1 : 1));
const regs = regsRaw.filter(inScope).sort((a, b) => (a.code < b.code ? -1 : 1));
const popBy = (key) => {
  const m = new Map();
  for (const c of communes) m.set(c[key], (m.get(c[key]) ?? 0) + c.population);
  return m;
};
const depPop = popBy('dept');
const regPop = popBy('region');

mkdirSync(join(out, 'geography'), { recursive: true });
writeFileSync(
  join(out, 'geography', 'communes.csv'),
  'code;name;dept;region;population;postal_code\n' +
    communes
      .map((c) => [c.code, clean(c.name), c.dept, c.region, c.population, c.postal].join(';'))
      .join('\n') +
    '\n',
);
writeFileSync(
  join(out, 'geography', 'departements.csv'),
  'code;name;region;population;chef_lieu\n' +
    deps
      .map((d) => [d.code, clean(d.nom), d.region, depPop.get(d.code) ?? 0, d.chefLieu].join(';'))
      .join('\n') +
    '\n',
);
writeFileSync(
  join(out, 'geography', 'regions.csv'),
  'code;name;population\n' +
    regs.map((r) => [r.code, clean(r.nom), regPop.get(r.code) ?? 0].join(';')).join('\n') +
    '\n',
);
console.log(`communes ${communes.length}, départements ${deps.length}, régions ${regs.length}`);

// SNDS table schemas (Table Schema JSON) of the tables Hygie writes and reads, and the
// nomenclatures their codes are checked against.
const tables = [
  'IR_BEN_R',
  'ER_PRS_F',
  'ER_PHA_F',
  'T_MCOaaB',
  'T_MCOaaC',
  'T_MCOaaD',
  'T_MCOaaA',
  'KI_CCI_R',
  'KI_ECD_R',
];
const nomenclatures = [
  'IR_SEX_V',
  'IR_DPT_V',
  'IR_REG_V',
  'IR_SPE_V',
  'IR_ACT_V',
  'IR_NAT_V',
  'IR_CIM_V',
  'MS_CIM_V',
  'IR_CCAM_V63',
  'IR_CIP_V',
];
const schemaFiles = new Map();
const walk = (dir) => {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p);
    else if (n.endsWith('.json')) schemaFiles.set(basename(n, '.json'), p);
  }
};
walk(join(refDir, 'snds-schemas', 'schemas'));
mkdirSync(join(out, 'snds', 'schemas'), { recursive: true });
mkdirSync(join(out, 'snds', 'nomenclatures'), { recursive: true });
for (const t of tables) {
  const src = schemaFiles.get(t);
  if (!src) throw new Error(`schema ${t} not found under ${refDir}`);
  copyFileSync(src, join(out, 'snds', 'schemas', `${t}.json`));
}
for (const n of nomenclatures) {
  for (const ext of ['csv', 'json']) {
    copyFileSync(
      join(refDir, 'snds-schemas', 'nomenclatures', `${n}.${ext}`),
      join(out, 'snds', 'nomenclatures', `${n}.${ext}`),
    );
  }
}
copyFileSync(join(refDir, 'snds-schemas', 'LICENSE'), join(out, 'snds', 'LICENSE'));
console.log(`SNDS schemas ${tables.length}, nomenclatures ${nomenclatures.length}`);
