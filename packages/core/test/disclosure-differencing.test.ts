import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDifferencing, classifyDifference } from '../src/index.js';
import type { OverlapOracle, PopulationRef, SymmetricDifference } from '../src/index.js';

/** An in-memory oracle over sets of person ids, counting its calls. */
class SetOracle implements OverlapOracle {
  calls = 0;
  constructor(protected readonly sets: ReadonlyMap<string, ReadonlySet<number>>) {}
  async symmetricDifference(a: PopulationRef, b: PopulationRef): Promise<number> {
    this.calls++;
    const x = this.sets.get(a.id) ?? new Set<number>();
    const y = this.sets.get(b.id) ?? new Set<number>();
    let d = 0;
    for (const p of x) if (!y.has(p)) d++;
    for (const p of y) if (!x.has(p)) d++;
    return d;
  }
}

/** The same oracle with the batch form: one call for every pair, single calls refused. */
class BatchSetOracle extends SetOracle {
  batches = 0;
  pairs = 0;
  override async symmetricDifference(): Promise<number> {
    throw new Error('a batch oracle must not be asked pair by pair');
  }
  async symmetricDifferences(
    pairs: readonly (readonly [PopulationRef, PopulationRef])[],
  ): Promise<number[]> {
    this.batches++;
    this.pairs += pairs.length;
    const single = new SetOracle(this.sets);
    return Promise.all(pairs.map(([a, b]) => single.symmetricDifference(a, b)));
  }
}

const k = 10;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * The attack: persons 0..29 are in the stratum, the diabetics are counted; count(A) was released,
 * the attacker now asks the same count with the target (person 7) excluded by some predicate.
 */
async function attack(targetHasAttribute: boolean, identical: 'same-definition' | 'allow') {
  const diabetics = new Set(range(0, 24).filter((p) => p !== 7 || targetHasAttribute));
  const withoutTarget = new Set([...diabetics].filter((p) => p !== 7));
  const oracle = new SetOracle(
    new Map([
      ['earlier', diabetics],
      ['now', withoutTarget],
    ]),
  );
  const [decision] = await checkDifferencing(
    [
      {
        id: 'now',
        persons: withoutTarget.size,
        definition: 'diabetes & stratum & not-born-1961-03-02',
      },
    ],
    [{ id: 'earlier', persons: diabetics.size, definition: 'diabetes & stratum' }],
    oracle,
    { threshold: k, identicalPopulations: identical },
  );
  return decision?.decision;
}

test('differencing: count(A) then count(A minus target) is refused, whatever the target has', async () => {
  assert.equal(await attack(true, 'same-definition'), 'too-close');
  // The target does not have the attribute: identical populations, refused all the same, so the
  // decision does not tell the two cases apart.
  assert.equal(await attack(false, 'same-definition'), 'too-close');
  // The plain rule (Δ = 0 allowed) answers the attacker through the decision itself.
  assert.equal(await attack(true, 'allow'), 'too-close');
  assert.equal(await attack(false, 'allow'), 'allow');
});

test('differencing: A then A ∪ {target} is refused', async () => {
  const a = new Set(range(100, 140));
  const plus = new Set([...a, 7]);
  const oracle = new SetOracle(
    new Map([
      ['a', a],
      ['a+t', plus],
    ]),
  );
  const decisions = await checkDifferencing(
    [{ id: 'a+t', persons: plus.size }],
    [{ id: 'a', persons: a.size }],
    oracle,
    { threshold: k },
  );
  assert.deepEqual(decisions, [{ id: 'a+t', decision: 'too-close', conflictsWith: 'a' }]);
});

test('differencing: a slice of several cells, stratified by sex', async () => {
  // Earlier: diabetics of the stratum by sex and in total. Now: the same, target (a woman) out.
  const women = new Set(range(0, 15));
  const men = new Set(range(100, 112));
  const all = new Set([...women, ...men]);
  const womenNow = new Set([...women].filter((p) => p !== 7));
  const allNow = new Set([...womenNow, ...men]);
  const sets = new Map<string, ReadonlySet<number>>([
    ['F@1', women],
    ['M@1', men],
    ['T@1', all],
    ['F@2', womenNow],
    ['M@2', men],
    ['T@2', allNow],
  ]);
  const ref = (id: string, definition: string): PopulationRef => ({
    id,
    persons: (sets.get(id) as ReadonlySet<number>).size,
    definition,
    disjointGroup: id.startsWith('T') ? undefined : `interior@${id.slice(2)}`,
  });
  const earlier = [ref('F@1', 'A|F'), ref('M@1', 'A|M'), ref('T@1', 'A')];
  const now = [ref('F@2', 'A-x|F'), ref('M@2', 'A-x|M'), ref('T@2', 'A-x')];
  const decisions = await checkDifferencing(now, earlier, new SetOracle(sets), { threshold: k });
  // Every cell of the new slice is refused: F and the total differ by one person, M is identical
  // under another definition — allowing it would tell that the target is not a man.
  assert.deepEqual(
    decisions.map((d) => d.decision),
    ['too-close', 'too-close', 'too-close'],
  );
  const plain = await checkDifferencing(now, earlier, new SetOracle(sets), {
    threshold: k,
    identicalPopulations: 'allow',
  });
  assert.deepEqual(
    plain.map((d) => d.decision),
    ['too-close', 'allow', 'too-close'],
  );
});

test('differencing: the same question again is allowed; new data moving it by < k is not', async () => {
  const a = new Set(range(0, 50));
  const later = new Set([...a, 999]);
  const sets = new Map<string, ReadonlySet<number>>([
    ['a1', a],
    ['a2', a],
    ['a3', later],
  ]);
  const oracle = new SetOracle(sets);
  const earlier = [{ id: 'a1', persons: 50, definition: 'A' }];
  const decisions = await checkDifferencing(
    [
      { id: 'a2', persons: 50, definition: 'A' },
      { id: 'a3', persons: 51, definition: 'A' },
    ],
    earlier,
    oracle,
    { threshold: k },
  );
  assert.deepEqual(
    decisions.map((d) => d.decision),
    ['allow', 'too-close'],
  );
});

test('differencing: sizes, fingerprints and disjoint groups spare the oracle', async () => {
  const oracle = new SetOracle(new Map());
  const decisions = await checkDifferencing(
    [
      { id: 'big', persons: 500 },
      { id: 'same', persons: 40, fingerprint: 'h1', definition: 'B' },
      { id: 'x', persons: 20, disjointGroup: 'g' },
      { id: 'y', persons: 21, disjointGroup: 'g' },
      { id: 'small', persons: 4 },
      { id: 'empty', persons: 0 },
      { id: 'empty2', persons: 0 },
    ],
    [
      { id: 'old', persons: 40, fingerprint: 'h1', definition: 'B' },
      { id: 'old-big', persons: 200 },
    ],
    oracle,
    { threshold: k },
  );
  assert.equal(oracle.calls, 0);
  assert.ok(decisions.every((d) => d.decision === 'allow'));
});

test('differencing: approximate bounds count as too close unless certainly far', () => {
  const cases: [SymmetricDifference, 'safe' | 'too-close'][] = [
    [9, 'too-close'],
    [10, 'safe'],
    [11, 'safe'],
    [{ low: 8, high: 14 }, 'too-close'],
    [{ low: 10, high: 30 }, 'safe'],
    [{ low: 0, high: 3 }, 'too-close'],
  ];
  for (const [d, expected] of cases) assert.equal(classifyDifference(d, 10, true), expected);
  assert.equal(classifyDifference(0, 10, true), 'safe');
  assert.equal(classifyDifference(0, 10, false), 'too-close');
  assert.equal(classifyDifference({ low: 0, high: 0 }, 10, true), 'safe');
});

test('differencing: a batch oracle is asked once and decides exactly as pair by pair', async () => {
  // Three runs of a stratified count: the persons of each stratum, a new person arriving in
  // stratum 2 by run 3 (too close to runs 1 and 2), stratum 3 identical under a new definition.
  const strata = [range(0, 40), range(40, 95), range(95, 160), range(160, 200)];
  const sets = new Map<string, ReadonlySet<number>>();
  const refs = (run: number): PopulationRef[] =>
    strata.map((persons, i) => {
      const members = run === 3 && i === 2 ? [...persons, 999] : persons;
      const id = `r${run}s${i}`;
      sets.set(id, new Set(members));
      return { id, persons: members.length, definition: i === 3 && run === 3 ? 'other' : `s${i}` };
    });
  const earlier = [...refs(1), ...refs(2)];
  const now = refs(3);
  const one = new SetOracle(sets);
  const batch = new BatchSetOracle(sets);
  const expected = await checkDifferencing(now, earlier, one, { threshold: k });
  const batched = await checkDifferencing(now, earlier, batch, { threshold: k });
  assert.deepEqual(batched, expected);
  assert.deepEqual(
    expected.map((d) => d.decision),
    ['allow', 'allow', 'too-close', 'too-close'],
  );
  assert.equal(batch.batches, 1);
  assert.ok(batch.pairs >= one.calls, 'the batch covers every pair asked one by one');
  // Without any pair to ask, no call at all.
  const none = new BatchSetOracle(sets);
  await checkDifferencing([{ id: 'x', persons: 500 }], [], none, { threshold: k });
  assert.equal(none.batches, 0);
});
