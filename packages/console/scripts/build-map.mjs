#!/usr/bin/env node
// Builds the analyst map's geometry (run by hand; its output is committed, never built at build or
// run time): France's 101 départements, overseas included, projected to SVG paths.
//
// Source: /work/shared/reference/geo/departements-avec-outre-mer.geojson (and, for the outlines
// of the metropolitan régions, regions-version-simplifiee.geojson) — IGN Admin Express COG
// (édition 2018) via france-geojson (Grégoire David), Licence Ouverte / Etalab; région names and
// the département → région mapping from packages/reference/data/geography (INSEE COG).
//
// Metropolitan France (Corsica included) is projected with a conic conformal projection (the
// Lambert-93 parameters: parallels 44° and 49° N, central meridian 3° E); each overseas
// département is projected on its own (conic conformal on its own parallels) into an inset box on
// the left, the way official French maps show them. Coordinates are simplified (Douglas–Peucker
// in projected units) and rounded to a tenth of a unit so that the file stays small.
//
// Usage: node packages/console/scripts/build-map.mjs [source.geojson]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { geoConicConformal } from 'd3-geo';
import * as prettier from 'prettier';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const source = process.argv[2] ?? '/work/shared/reference/geo/departements-avec-outre-mer.geojson';
const regionSource = join(dirname(source), 'regions-version-simplifiee.geojson');
const out = join(here, '..', 'web', 'src', 'pages', 'analyst', 'france-map.json');

const WIDTH = 1000;
const HEIGHT = 860;
/** Metropolitan France's box, right of the insets. */
const METRO = { x: 175, y: 10, width: WIDTH - 185, height: HEIGHT - 20 };
/** The overseas départements, top to bottom in the left column. */
const OVERSEAS = ['971', '972', '973', '974', '976'];
const INSET = { x: 10, width: 150, height: 150, gap: 17, top: 10 };
/** Paris and its inner ring, too small on the map: shown again, enlarged, top right. */
const ZOOM_CODES = ['75', '92', '93', '94'];
const ZOOM = { x: 840, y: 10, width: 150, height: 150 };
/** Douglas–Peucker tolerance, in projected units (the viewBox is 1000 wide). */
const TOLERANCE = 0.45;
/** Polygons smaller than this (square units) are dropped, unless the département's largest. */
const MIN_AREA = 1.5;

const geo = JSON.parse(readFileSync(source, 'utf8'));
const csv = (file) =>
  readFileSync(join(repo, 'packages', 'reference', 'data', 'geography', file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(';'));
const regionOf = new Map(csv('departements.csv').map(([code, , region]) => [code, region]));
const regionNames = new Map(csv('regions.csv').map(([code, name]) => [code, name]));

/** The polygons (arrays of rings) of a GeoJSON geometry. */
function polygons(geometry) {
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  throw new Error(`unexpected geometry ${geometry.type}`);
}

/** A projection fitted to a box, computed from the projected points (ring winding ignored). */
function fitted(projection, features, box) {
  projection.scale(1).translate([0, 0]);
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    for (const poly of polygons(f.geometry)) {
      for (const [lon, lat] of poly[0]) {
        const [x, y] = projection([lon, lat]);
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  const k = Math.min(box.width / (x1 - x0), box.height / (y1 - y0));
  const tx = box.x + (box.width - k * (x1 - x0)) / 2 - k * x0;
  const ty = box.y + (box.height - k * (y1 - y0)) / 2 - k * y0;
  return projection.scale(k).translate([tx, ty]);
}

function perpendicular(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy);
  if (len === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / len;
}

/** Douglas–Peucker, iterative (rings have thousands of points). */
function simplify(points, tolerance) {
  if (points.length < 4) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [i, j] = stack.pop();
    let max = 0;
    let index = -1;
    for (let m = i + 1; m < j; m++) {
      const d = perpendicular(points[m], points[i], points[j]);
      if (d > max) {
        max = d;
        index = m;
      }
    }
    if (max > tolerance && index > 0) {
      keep[index] = 1;
      stack.push([i, index], [index, j]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

function area(ring) {
  let s = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[(i + 1) % n];
    s += x0 * y1 - x1 * y0;
  }
  return s / 2;
}

function centroid(ring) {
  const a = area(ring);
  let cx = 0;
  let cy = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[(i + 1) % n];
    const c = x0 * y1 - x1 * y0;
    cx += (x0 + x1) * c;
    cy += (y0 + y1) * c;
  }
  return a === 0 ? ring[0] : [cx / (6 * a), cy / (6 * a)];
}

const r1 = (v) => Math.round(v * 10) / 10;

/** A ring as SVG path commands: an absolute move, then relative lines (shorter). */
function ringPath(ring) {
  const pts = ring.map(([x, y]) => [r1(x), r1(y)]);
  let d = `M${pts[0][0]} ${pts[0][1]}`;
  for (let i = 1; i < pts.length; i++) {
    const dx = r1(pts[i][0] - pts[i - 1][0]);
    const dy = r1(pts[i][1] - pts[i - 1][1]);
    if (dx === 0 && dy === 0) continue;
    d += `l${dx} ${dy}`;
  }
  return `${d}z`;
}

/** A département's projected, simplified path, its centroid and its area. */
function shape(feature, projection) {
  const projected = polygons(feature.geometry).map((poly) =>
    poly.map((ring) =>
      simplify(
        ring.map((c) => projection(c)),
        TOLERANCE,
      ),
    ),
  );
  const sized = projected
    .map((poly) => ({ poly, area: Math.abs(area(poly[0])) }))
    .sort((a, b) => b.area - a.area);
  const kept = sized.filter((p, i) => i === 0 || p.area >= MIN_AREA);
  const path = kept
    .flatMap(({ poly }) =>
      poly.filter((ring, i) => i === 0 || Math.abs(area(ring)) >= MIN_AREA).map(ringPath),
    )
    .join('');
  const [cx, cy] = centroid(kept[0].poly[0]);
  const total = kept.reduce((s, p) => s + p.area, 0);
  return { path, cx: r1(cx), cy: r1(cy), area: total };
}

const features = geo.features;
const metro = features.filter((f) => !OVERSEAS.includes(f.properties.code));
const metroProjection = fitted(
  geoConicConformal().parallels([44, 49]).rotate([-3, 0]),
  metro,
  METRO,
);

const insets = [];
const departements = [];
for (const f of metro) {
  departements.push({ code: f.properties.code, name: f.properties.nom, f, p: metroProjection });
}
OVERSEAS.forEach((code, i) => {
  const f = features.find((x) => x.properties.code === code);
  if (f === undefined) throw new Error(`no overseas département ${code} in ${source}`);
  const box = {
    x: INSET.x,
    y: INSET.top + i * (INSET.height + INSET.gap),
    width: INSET.width,
    height: INSET.height,
  };
  // The centre of the département fixes the projection's meridian and parallels.
  const lons = polygons(f.geometry).flatMap((p) => p[0].map((c) => c[0]));
  const lats = polygons(f.geometry).flatMap((p) => p[0].map((c) => c[1]));
  const lon = (Math.min(...lons) + Math.max(...lons)) / 2;
  const lat0 = Math.min(...lats);
  const lat1 = Math.max(...lats);
  const pad = 8;
  const projection = fitted(
    geoConicConformal()
      .parallels([lat0 + (lat1 - lat0) / 3, lat0 + (2 * (lat1 - lat0)) / 3])
      .rotate([-lon, 0]),
    [f],
    { x: box.x + pad, y: box.y + pad, width: box.width - 2 * pad, height: box.height - 2 * pad },
  );
  insets.push({ code, name: f.properties.nom, ...box });
  departements.push({ code, name: f.properties.nom, f, p: projection });
});

const shapes = departements
  .map(({ code, name, f, p }) => {
    const region = regionOf.get(code);
    if (region === undefined) throw new Error(`no région for département ${code}`);
    const s = shape(f, p);
    return { code, name, region, path: s.path, cx: s.cx, cy: s.cy, area: s.area };
  })
  .sort((a, b) => a.code.localeCompare(b.code));

// The metropolitan régions' outlines, drawn over the départements at the région level (overseas
// régions are single départements: their shape is their outline).
const regionOutlines = new Map(
  JSON.parse(readFileSync(regionSource, 'utf8')).features.map((f) => [
    f.properties.code,
    shape(f, metroProjection).path,
  ]),
);

const regions = [...new Set(shapes.map((d) => d.region))].sort().map((code) => {
  const members = shapes.filter((d) => d.region === code);
  // The région's marker sits on its largest département's centroid, inside the région.
  const largest = members.reduce((a, b) => (b.area > a.area ? b : a));
  return {
    code,
    name: regionNames.get(code) ?? code,
    departements: members.map((d) => d.code),
    outline: regionOutlines.get(code) ?? members.map((d) => d.path).join(''),
    cx: largest.cx,
    cy: largest.cy,
  };
});

// The enlarged copy of Paris and its inner ring (for the pointer: the keyboard and screen
// readers use the shapes of the main map, which the copies repeat).
const zoomFeatures = ZOOM_CODES.map((code) => features.find((f) => f.properties.code === code));
const zoomProjection = fitted(
  geoConicConformal().parallels([44, 49]).rotate([-3, 0]),
  zoomFeatures,
  {
    x: ZOOM.x + 8,
    y: ZOOM.y + 8,
    width: ZOOM.width - 16,
    height: ZOOM.height - 16,
  },
);
const zoom = {
  ...ZOOM,
  departements: zoomFeatures.map((f) => ({
    code: f.properties.code,
    path: shape(f, zoomProjection).path,
  })),
};

const result = {
  attribution:
    'IGN Admin Express COG (édition 2018) via france-geojson (Grégoire David), Licence Ouverte / Etalab; noms et codes INSEE COG. Projection : conique conforme (Lambert-93) pour la métropole, encarts projetés séparément pour l’outre-mer. Généré par packages/console/scripts/build-map.mjs.',
  viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
  insets,
  zoom,
  regions,
  departements: shapes.map(({ code, name, region, path, cx, cy }) => ({
    code,
    name,
    region,
    path,
    cx,
    cy,
  })),
};
// Formatted as the repository's Prettier configuration wants it (its format check covers it).
const json = await prettier.format(JSON.stringify(result), {
  ...(await prettier.resolveConfig(out)),
  filepath: out,
});
writeFileSync(out, json);
console.log(
  `${out}: ${shapes.length} départements, ${regions.length} régions, ${(json.length / 1024).toFixed(0)} KB`,
);
