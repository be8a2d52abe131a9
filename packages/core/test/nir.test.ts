import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNir, isValidNir, nirKey, normaliseNir, NIR_SEARCH_PATTERN } from '../src/index.js';

test('nirKey follows 97 − (n mod 97), with 2A/2B counted as 19/18', () => {
  // Worked example: body 1 84 12 76 451 089 → n mod 97 computed by hand with BigInt.
  const body = '1841276451089';
  assert.equal(nirKey(body), String(97n - (BigInt(body) % 97n)).padStart(2, '0'));
  const corsica = '2930' + '52A' + '004' + '123';
  assert.equal(corsica.length, 13);
  assert.equal(nirKey(corsica), String(97n - (BigInt('2930519004123') % 97n)).padStart(2, '0'));
  const haute = '1850' + '72B' + '050' + '007';
  assert.equal(nirKey(haute), String(97n - (BigInt('1850718050007') % 97n)).padStart(2, '0'));
});

test('buildNir composes parts and validates', () => {
  const nir = buildNir({
    sex: 2,
    birthYear: 1987,
    birthMonth: 3,
    placeDept: '75',
    placeCommune: '115',
    order: 42,
  });
  assert.equal(nir.slice(0, 13), '2870375115042');
  assert.ok(isValidNir(nir));
  assert.equal(nir.length, 15);
  const overseas = buildNir({
    sex: 1,
    birthYear: 2001,
    birthMonth: 12,
    placeDept: '97',
    placeCommune: '411',
    order: 1,
  });
  assert.ok(isValidNir(overseas));
  assert.throws(() =>
    buildNir({
      sex: 1,
      birthYear: 2001,
      birthMonth: 1,
      placeDept: '7',
      placeCommune: '411',
      order: 1,
    }),
  );
  assert.throws(() =>
    buildNir({
      sex: 1,
      birthYear: 2001,
      birthMonth: 1,
      placeDept: '75',
      placeCommune: '411',
      order: 0,
    }),
  );
});

test('isValidNir rejects a wrong key, a wrong sex digit and a wrong month', () => {
  const nir = buildNir({
    sex: 1,
    birthYear: 1960,
    birthMonth: 6,
    placeDept: '2A',
    placeCommune: '004',
    order: 3,
  });
  assert.ok(isValidNir(nir));
  const badKey = nir.slice(0, 13) + String((Number(nir.slice(13)) % 97) + 1).padStart(2, '0');
  assert.ok(!isValidNir(badKey));
  assert.ok(!isValidNir('3' + nir.slice(1)));
  assert.ok(!isValidNir(nir.slice(0, 3) + '00' + nir.slice(5)));
});

test('normaliseNir accepts spaces, dots, missing key; rejects a wrong key', () => {
  const nir = buildNir({
    sex: 1,
    birthYear: 1955,
    birthMonth: 11,
    placeDept: '13',
    placeCommune: '055',
    order: 817,
  });
  const spaced = `${nir[0]} ${nir.slice(1, 3)} ${nir.slice(3, 5)} ${nir.slice(5, 7)} ${nir.slice(7, 10)} ${nir.slice(10, 13)} ${nir.slice(13)}`;
  assert.equal(normaliseNir(spaced), nir.slice(0, 13));
  assert.equal(normaliseNir(nir.slice(0, 13)), nir.slice(0, 13));
  assert.equal(normaliseNir(nir.replace(/(\d{5})/, '$1.')), nir.slice(0, 13));
  const wrong = nir.slice(0, 13) + (nir.slice(13) === '01' ? '02' : '01');
  assert.equal(normaliseNir(wrong), null);
  assert.equal(normaliseNir('hello'), null);
});

test('NIR_SEARCH_PATTERN finds NIRs inside text', () => {
  const nir = buildNir({
    sex: 2,
    birthYear: 1999,
    birthMonth: 1,
    placeDept: '59',
    placeCommune: '350',
    order: 12,
  });
  const text = `patient ${nir} admitted`;
  assert.deepEqual(text.match(NIR_SEARCH_PATTERN), [nir]);
  assert.equal('no identifiers here 2024-01-01'.match(NIR_SEARCH_PATTERN), null);
});
