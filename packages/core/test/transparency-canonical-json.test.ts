import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HygieError, canonicalJson, jcs } from '../src/index.js';

test('RFC 8785 §3.2.3: keys sorted by UTF-16 code units, non-ASCII included', () => {
  const value = {
    '\u20ac': 'Euro Sign',
    '\r': 'Carriage Return',
    '\ufb33': 'Hebrew Letter Dalet With Dagesh',
    '1': 'One',
    '\ud83d\ude00': 'Emoji: Grinning Face',
    '\u0080': 'Control',
    '\u00f6': 'Latin Small Letter O With Diaeresis',
  };
  assert.equal(
    jcs(value),
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  );
});

test('RFC 8785 §3.2.2: the main example', () => {
  const input = JSON.parse(
    '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
      ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
      ' "literals": [null, true, false]}',
  ) as unknown;
  assert.equal(
    jcs(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

test('RFC 8785 numbers: ECMAScript shortest form', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '0'],
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [1e-7, '1e-7'],
    [0.000001, '0.000001'],
    // The RFC's input as written: more digits than a double holds, parsed to the nearest one.
    [Number('333333333.33333329'), '333333333.3333333'],
    [5e-324, '5e-324'],
    [-5e-324, '-5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [9007199254740992, '9007199254740992'],
    [-1.5, '-1.5'],
  ];
  for (const [n, s] of cases) assert.equal(jcs(n), s, String(n));
  assert.equal(jcs([-0, { a: -0 }]), '[0,{"a":0}]');
});

test('strings escape as JSON.stringify; nesting sorts at every level', () => {
  assert.equal(jcs('\u0000\u001f\t"\\/é'), '"\\u0000\\u001f\\t\\"\\\\/é"');
  assert.equal(
    jcs({ b: [{ z: 1, a: 2 }], a: { d: null, c: true } }),
    '{"a":{"c":true,"d":null},"b":[{"a":2,"z":1}]}',
  );
  assert.equal(jcs(Object.assign(Object.create(null) as object, { b: 1, a: 2 })), '{"a":2,"b":1}');
});

test('what JSON cannot carry exactly is refused', () => {
  const bad: unknown[] = [
    NaN,
    Infinity,
    -Infinity,
    undefined,
    () => 1,
    10n,
    Symbol('s'),
    { a: undefined },
    [1, undefined],
    [1, , 2], // eslint-disable-line no-sparse-arrays
    new Date(0),
    new Map(),
    'lone \ud800 surrogate',
    { ['\udc00']: 1 },
  ];
  for (const v of bad) {
    assert.throws(
      () => jcs(v),
      (e: unknown) => e instanceof HygieError && e.code === 'HYG_INVALID_ARGUMENT',
      String(typeof v),
    );
  }
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => jcs(cyclic), HygieError);
  // A value seen twice without a cycle is fine.
  const shared = { x: 1 };
  assert.equal(jcs([shared, shared]), '[{"x":1},{"x":1}]');
});

test('the query hash canonical form is left unchanged', () => {
  // canonicalJson drops undefined members; jcs refuses them. Query hashes must not move.
  assert.equal(canonicalJson({ b: 1, a: undefined, c: [2] }), '{"b":1,"c":[2]}');
});
