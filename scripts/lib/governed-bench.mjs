// The two benchmark queries of issue #5 (incident type 2 diabetes by département × year,
// standardised; persons by département × sex × age band), each as governed JSON and as ONE
// hand-written SQL statement computing the same figures under the same permit restrictions
// (adults during 2019–2024, opt-outs anti-joined); and how both benchmarks compare and time
// them. Shared by bench-governed-query.mjs (library path) and bench-governed-http.mjs (HTTP path).
import { birthMonthBounds, standardPopulation } from '@hygie/analytics';
import { disclosurePolicySchema } from '@hygie/core';

export const PERMIT_PERIOD = { from: '2019-01-01', to: '2024-12-31' };
export const PERMIT_AGES = { min: 18, max: 130 }; // 130: the most a permit may name
export const POLICY = disclosurePolicySchema.parse({}); // default policy: minCellSize 10
const TOLERANCE = 1e-9;

// ---------------------------------------------------------------------------------------------
// The two queries, governed (JSON) and by hand (SQL).

export const T2D_QUERY = {
  version: 1,
  period: PERMIT_PERIOD,
  conceptSets: [{ name: 't2d', include: [{ vocabulary: 'CIM10', code: 'E11' }] }],
  measures: [
    {
      kind: 'incidence_rate',
      name: 'incident_t2d',
      events: { domain: 'condition', conceptSet: 't2d' },
      washoutDays: 365,
      per: 100000,
      standardise: 'france_2020',
    },
  ],
  stratify: ['departement', 'year'],
};

const AGE_BANDS = [0, 18, 45, 65, 75];
export const COUNT_QUERY = {
  version: 1,
  period: PERMIT_PERIOD,
  measures: [{ kind: 'person_count', name: 'persons' }],
  stratify: ['departement', 'sex', 'age_band'],
  ageBands: AGE_BANDS,
};

const { from: FROM, to: TO } = PERMIT_PERIOD;
const bounds = birthMonthBounds(PERMIT_AGES, PERMIT_PERIOD);
const YEARS = [2019, 2020, 2021, 2022, 2023, 2024];

/** The permit population with the person attributes, opt-outs anti-joined; and the spans. */
const COMMON_CTES = `pop AS (
  SELECT p.person_id, p.gender_concept_id, p.year_of_birth,
    CASE WHEN p.month_of_birth BETWEEN 1 AND 12 THEN p.month_of_birth ELSE 7 END AS birth_month,
    l.county AS departement
  FROM person p
  LEFT JOIN location l ON l.location_id = p.location_id
  LEFT JOIN hygie_opt_out o ON o.person_id = p.person_id
  WHERE o.person_id IS NULL
    AND (p.year_of_birth * 12 + CASE WHEN p.month_of_birth BETWEEN 1 AND 12 THEN p.month_of_birth ELSE 7 END - 1)
        BETWEEN ${bounds.lowest} AND ${bounds.highest}
),
deaths AS (
  SELECT person_id, MIN(death_date) AS death_date FROM death
  WHERE death_date BETWEEN DATE '${FROM}' AND DATE '${TO}' GROUP BY person_id
)`;

/** Incident T2D by département × year, crude and standardised (France 2020), in one statement. */
export function handIncidenceSql() {
  const weights = standardPopulation('france_2020')
    .map((s) => `(${s.ageFrom}, '${s.sex}', ${s.weight})`)
    .join(',\n    ');
  const years = YEARS.map((y) => `(${y}, DATE '${y}-01-01', DATE '${y}-12-31')`).join(', ');
  return `WITH ${COMMON_CTES},
t2d AS (
  SELECT c.concept_id FROM concept c WHERE c.vocabulary_id = 'CIM10' AND c.concept_code = 'E11'
  UNION
  SELECT ca.descendant_concept_id FROM concept c
  JOIN concept_ancestor ca ON ca.ancestor_concept_id = c.concept_id
  WHERE c.vocabulary_id = 'CIM10' AND c.concept_code = 'E11'
),
ev AS (
  SELECT co.person_id, co.condition_start_date AS d,
    LAG(co.condition_start_date) OVER (PARTITION BY co.person_id ORDER BY co.condition_start_date) AS prev
  FROM condition_occurrence co
  JOIN pop ON pop.person_id = co.person_id
  WHERE co.condition_start_date BETWEEN DATE '${FROM}' AND DATE '${TO}'
    AND co.condition_concept_id IN (SELECT concept_id FROM t2d)
),
obs AS (
  SELECT op.person_id, greatest(op.observation_period_start_date, DATE '${FROM}') AS s,
    least(op.observation_period_end_date, DATE '${TO}') AS e
  FROM observation_period op
  JOIN pop ON pop.person_id = op.person_id
  WHERE op.observation_period_start_date <= DATE '${TO}' AND op.observation_period_end_date >= DATE '${FROM}'
),
islands AS (
  SELECT person_id, s, e, SUM(new_island) OVER (PARTITION BY person_id ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS island
  FROM (
    SELECT person_id, s, e,
      CASE WHEN s <= MAX(e) OVER (PARTITION BY person_id ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
        THEN 0 ELSE 1 END AS new_island
    FROM obs
  ) x
),
spans AS (
  SELECT i.person_id, MIN(i.s) AS s, least(MAX(i.e), MIN(d.death_date)) AS e
  FROM islands i LEFT JOIN deaths d ON d.person_id = i.person_id
  GROUP BY i.person_id, i.island
  HAVING MIN(i.s) <= least(MAX(i.e), MIN(d.death_date))
),
first_case AS (
  SELECT f.person_id,
    MIN(ev.d) FILTER (WHERE ev.d >= f.s0 AND (ev.prev IS NULL OR ev.d > ev.prev + 365)) AS case_date
  FROM (SELECT person_id, MIN(s) AS s0 FROM spans GROUP BY person_id) f
  JOIN ev ON ev.person_id = f.person_id
  GROUP BY f.person_id
),
risk AS (
  SELECT c.person_id, c.case_date,
    MAX(ev.d) FILTER (WHERE c.case_date IS NULL OR ev.d < c.case_date) + 366 AS risk_start
  FROM first_case c JOIN ev ON ev.person_id = c.person_id
  GROUP BY c.person_id, c.case_date
),
at_risk AS (
  SELECT sp.person_id, greatest(sp.s, r.risk_start) AS s, least(sp.e, r.case_date) AS e, r.case_date
  FROM spans sp LEFT JOIN risk r ON r.person_id = sp.person_id
  WHERE greatest(sp.s, r.risk_start) <= least(sp.e, r.case_date)
),
flagged AS (
  SELECT a.*, LAG(a.e) OVER (PARTITION BY a.person_id ORDER BY a.s) AS prev_e FROM at_risk a
),
years AS (SELECT * FROM (VALUES ${years}) AS y(yr, ys, ye)),
segments AS (
  SELECT p.departement, y.yr,
    least(95, CAST(floor(greatest(0, y.yr - p.year_of_birth - CASE WHEN p.birth_month > 1 THEN 1 ELSE 0 END) / 5.0) AS INTEGER) * 5) AS band,
    CASE p.gender_concept_id WHEN 8532 THEN 'female' WHEN 8507 THEN 'male' END AS sex,
    least(a.e, y.ye) - greatest(a.s, y.ys) + 1 AS days,
    CASE WHEN a.case_date BETWEEN greatest(a.s, y.ys) AND least(a.e, y.ye) THEN 1 ELSE 0 END AS is_case,
    CASE WHEN a.prev_e IS NULL OR a.prev_e < y.ys THEN 1 ELSE 0 END AS first_in_year
  FROM flagged a
  JOIN pop p ON p.person_id = a.person_id
  JOIN years y ON y.ys <= a.e AND y.ye >= a.s
),
strata AS (
  SELECT departement, yr, band, sex, SUM(days) AS days, SUM(is_case) AS cases, SUM(first_in_year) AS persons
  FROM segments GROUP BY 1, 2, 3, 4
),
std AS (SELECT * FROM (VALUES
    ${weights}) AS w(band, sex, weight))
SELECT s.departement, CAST(s.yr AS VARCHAR) AS year,
  CAST(SUM(s.cases) AS BIGINT) AS cases,
  CAST(SUM(s.days) / 365.25 AS DOUBLE PRECISION) AS person_years,
  CAST(SUM(s.cases) * 100000 / (SUM(s.days) / 365.25) AS DOUBLE PRECISION) AS rate,
  CAST(COALESCE(SUM(w.weight * s.cases / (s.days / 365.25)), 0) / (SELECT SUM(weight) FROM std) * 100000
    AS DOUBLE PRECISION) AS standardised_rate,
  CAST(SUM(s.persons) AS BIGINT) AS persons
FROM strata s LEFT JOIN std w ON w.band = s.band AND w.sex = s.sex
GROUP BY s.departement, s.yr
ORDER BY s.departement NULLS LAST, s.yr`;
}

/** Persons at risk in the period by département × sex × age band (age on the period's first day). */
export function handCountSql() {
  const age = `greatest(0, ${FROM.slice(0, 4)} - p.year_of_birth - CASE WHEN p.birth_month > 1 THEN 1 ELSE 0 END)`;
  const labels = AGE_BANDS.map((lower, i) =>
    i + 1 < AGE_BANDS.length ? `${lower}-${AGE_BANDS[i + 1] - 1}` : `${lower}+`,
  );
  const band = `CASE ${AGE_BANDS.map((lower, i) => [lower, labels[i]])
    .reverse()
    .map(([lower, label]) => `WHEN ${age} >= ${lower} THEN '${label}'`)
    .join(' ')} END`;
  return `WITH ${COMMON_CTES}
SELECT p.departement,
  CASE p.gender_concept_id WHEN 8532 THEN 'female' WHEN 8507 THEN 'male' END AS sex,
  ${band} AS age_band,
  COUNT(*) AS persons
FROM pop p
WHERE EXISTS (
  SELECT 1 FROM observation_period op LEFT JOIN deaths d ON d.person_id = op.person_id
  WHERE op.person_id = p.person_id
    AND op.observation_period_start_date <= DATE '${TO}' AND op.observation_period_end_date >= DATE '${FROM}'
    AND greatest(op.observation_period_start_date, DATE '${FROM}')
        <= least(op.observation_period_end_date, DATE '${TO}', d.death_date)
)
GROUP BY 1, 2, 3
ORDER BY 1 NULLS LAST, 2 NULLS LAST, 3`;
}

/** The hand-written statement, with the same session settings as the governed path (the
 * dialect's `analyticSettings`, in a transaction). */
export function hand(engine, sql) {
  const settings = engine.dialect.analyticSettings;
  return async () =>
    settings.length > 0
      ? engine.transaction(async (t) => {
          for (const setting of settings) await t.execute(setting);
          return t.query(sql);
        })
      : engine.query(sql);
}

const str = (v) => (v === null || v === undefined ? null : String(v));

/** Governed rows and hand rows as comparable cells: key → values. */
export function cellsOfGoverned(table) {
  return new Map(
    table.rows.map((r) => [
      JSON.stringify(table.dimensions.map((d) => r.strata[d] ?? null)),
      { ...r.values, persons: r.persons },
    ]),
  );
}

export function cellsOfHand(rows, dims, values) {
  return new Map(
    rows.map((r) => [
      JSON.stringify(dims.map((d) => str(r[d]))),
      Object.fromEntries(values.map(([name, column]) => [name, Number(r[column])])),
    ]),
  );
}

export function check(label, governedCells, handCells) {
  const problems = [];
  for (const key of new Set([...governedCells.keys(), ...handCells.keys()])) {
    const g = governedCells.get(key);
    const h = handCells.get(key);
    if (!g || !h) {
      problems.push(`cell ${key} only in the ${g ? 'governed' : 'hand-written'} result`);
      continue;
    }
    for (const [name, hv] of Object.entries(h)) {
      const gv = g[name] ?? 0;
      const rel = Math.abs(gv - hv) / Math.max(Math.abs(gv), Math.abs(hv), 1e-300);
      if (rel > TOLERANCE) problems.push(`cell ${key} ${name}: governed ${gv}, hand ${hv}`);
    }
  }
  if (problems.length > 0) {
    console.error(
      `\n${label}: the governed and hand-written results DIFFER — a ratio would mean nothing:\n  ` +
        problems.slice(0, 10).join('\n  ') +
        (problems.length > 10 ? `\n  … ${problems.length - 10} more` : ''),
    );
    process.exit(1);
  }
  return governedCells.size;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Warm-up once each, then `repeat` alternating runs of `a` and `b`; seconds. */
export async function time(a, b, repeat) {
  await a();
  await b();
  const ta = [];
  const tb = [];
  for (let i = 0; i < repeat; i++) {
    for (const [f, out] of i % 2 === 0
      ? [
          [a, ta],
          [b, tb],
        ]
      : [
          [b, tb],
          [a, ta],
        ]) {
      const t0 = performance.now();
      await f();
      out.push((performance.now() - t0) / 1000);
    }
  }
  return {
    governed: { median: median(ta), min: Math.min(...ta) },
    hand: { median: median(tb), min: Math.min(...tb) },
  };
}

export const QUERIES = [
  {
    label: 'incident T2D (E11, washout 365) by dép × year, std France 2020',
    input: T2D_QUERY,
    sql: handIncidenceSql,
    dims: ['departement', 'year'],
    values: [
      ['cases', 'cases'],
      ['person_years', 'person_years'],
      ['rate', 'rate'],
      ['standardised_rate', 'standardised_rate'],
      ['persons', 'persons'],
    ],
  },
  {
    label: 'persons at risk by dép × sex × age band (5 bands)',
    input: COUNT_QUERY,
    sql: handCountSql,
    dims: ['departement', 'sex', 'age_band'],
    values: [
      ['count', 'persons'],
      ['persons', 'persons'],
    ],
  },
];
