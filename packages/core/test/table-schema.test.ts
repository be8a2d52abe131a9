import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRowValidator, isHygieError, parseTableSchema, primaryKeyOf } from '../src/index.js';

const schema = parseTableSchema({
  name: 'T',
  missingValues: [''],
  primaryKey: ['ID'],
  fields: [
    { name: 'ID', type: 'string', constraints: { required: true, minLength: 3 }, length: '5' },
    { name: 'N', type: 'integer', constraints: { minimum: 1, maximum: 120 }, length: '3' },
    { name: 'X', type: 'number' },
    { name: 'D', type: 'date', format: 'default' },
    { name: 'E', type: 'date', format: '%d%m%Y' },
    { name: 'S', type: 'datetime', format: '%d%b%Y:%H:%M:%S' },
    { name: 'M', type: 'date', format: '%m' },
    { name: 'YM', type: 'yearmonth' },
    { name: 'Y', type: 'year' },
    { name: 'B', type: 'boolean' },
    { name: 'K', type: 'string', constraints: { enum: ['1', '2'] } },
    { name: 'C', type: 'string', nomenclature: 'NOM:CODE' },
  ],
});
const columns = schema.fields.map((f) => f.name);
const validate = compileRowValidator(schema, columns, {
  nomenclature: (ref) => (ref === 'NOM:CODE' ? new Set(['A', 'B']) : undefined),
});
const good = [
  'ABC',
  '42',
  '3.14',
  '2024-02-29',
  '29022024',
  '02Jan2007:22:12:17',
  '07',
  '202403',
  '2024',
  '1',
  '2',
  'A',
];

function errorOn(column: string, value: string): string | null {
  const row = [...good];
  row[columns.indexOf(column)] = value;
  const errors = validate(row);
  return errors === null ? null : (errors[0]?.column ?? null);
}

test('a conforming row passes, missing optional values pass', () => {
  assert.equal(validate(good), null);
  assert.equal(validate(['ABC', '', '', '', '', '', '', '', '', '', '', '']), null);
});

test('each type, format and constraint is enforced at its boundary', () => {
  assert.equal(errorOn('ID', ''), 'ID'); // required
  assert.equal(errorOn('ID', 'AB'), 'ID'); // minLength 3
  assert.equal(errorOn('ID', 'ABCDE'), null); // length 5 is the maximum
  assert.equal(errorOn('ID', 'ABCDEF'), 'ID');
  assert.equal(errorOn('N', '120'), null);
  assert.equal(errorOn('N', '121'), 'N');
  assert.equal(errorOn('N', '0'), 'N');
  assert.equal(errorOn('N', '4.5'), 'N');
  assert.equal(errorOn('X', '1e3'), null);
  assert.equal(errorOn('X', '1,5'), 'X');
  assert.equal(errorOn('D', '2023-02-29'), 'D');
  assert.equal(errorOn('E', '31042024'), 'E');
  assert.equal(errorOn('S', '02Foo2007:22:12:17'), 'S');
  assert.equal(errorOn('S', '02Jan2007:24:00:00'), 'S');
  assert.equal(errorOn('M', '13'), 'M');
  assert.equal(errorOn('YM', '2024-03'), null);
  assert.equal(errorOn('YM', '202413'), 'YM');
  assert.equal(errorOn('Y', '24'), 'Y');
  assert.equal(errorOn('B', 'yes'), 'B');
  assert.equal(errorOn('K', '3'), 'K');
  assert.equal(errorOn('C', 'Z'), 'C');
});

test('errors name the column and rule, never the value', () => {
  const row = [...good];
  row[0] = 'SECRET-VALUE';
  const errors = validate(row) ?? [];
  assert.equal(errors.length, 1);
  assert.ok(!JSON.stringify(errors).includes('SECRET'));
  assert.deepEqual(validate(['ABC']), [{ column: '*', reason: 'expected 12 values, found 1' }]);
});

test('unknown or missing required columns fail at compile time; overrides replace rules', () => {
  assert.throws(
    () => compileRowValidator(schema, ['ID', 'NOPE']),
    (e) => isHygieError(e, 'HYG_SCHEMA_VIOLATION'),
  );
  assert.throws(
    () => compileRowValidator(schema, ['N']),
    (e) => isHygieError(e, 'HYG_SCHEMA_VIOLATION'),
  );
  const relaxed = compileRowValidator(schema, ['ID'], {
    overrides: { ID: { constraints: { minLength: 1, maxLength: 2 } } },
  });
  assert.equal(relaxed(['AB']), null);
  assert.equal(relaxed(['ABC'])?.[0]?.column, 'ID');
  assert.deepEqual(primaryKeyOf(schema), ['ID']);
});
