// Parquet files written by the engine, read by DuckDB's read_parquet (a
// second independent reader, beside hyparquet in parquet_write.test.js):
// every value, and every column's DuckDB type, Parquet physical type and
// annotation as Paimon's type mapping says (reference/paimon-format.md §7.1),
// for every codec. parquet_write.test.sh runs unit_test_paimon_parquet_writer
// with MCDLF_PARQUET_OUT=<dir> first: the sample files (types-<codec>,
// pages, empty) and the data files of whole table writes
// (tables/{append,pk}-<codec>/cat=<p>/bucket-<b>/data-*.parquet). The rows
// here mirror that unit test.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.MCDLF_PARQUET_OUT;
const CODECS = { zstd: 'ZSTD', none: 'UNCOMPRESSED', snappy: 'SNAPPY', gzip: 'GZIP', lz4: 'LZ4_RAW' };

let conn;
test.before(async () => {
  if (!dir) throw new Error('MCDLF_PARQUET_OUT is not set (run parquet_write.test.sh)');
  const { DuckDBInstance } = require('@duckdb/node-api');
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run("SET TimeZone = 'UTC'"); // TIMESTAMPTZ and TIMETZ render in UTC
});

const lit = (s) => `'${s.replace(/'/g, "''")}'`;
const files = (list) => `[${list.map(lit).join(', ')}]`;

// Rows as DuckDB renders them in JSON: BIGINT and DECIMAL as exact strings,
// temporal values as text, BLOB as \xNN escapes.
async function query(sql) {
  const r = await conn.runAndReadAll(sql);
  return r.getRowObjectsJson();
}

async function describe(file) {
  const rows = await query(`DESCRIBE SELECT * FROM read_parquet(${lit(file)})`);
  return rows.map((r) => [r.column_name, r.column_type]);
}

// [name, DuckDB type, physical type, repetition, converted type, scale/precision/type_length, field id]
// DuckDB's types follow from the annotations: TIME(MILLIS, adjustedToUTC) is
// TIMETZ, TIMESTAMP with isAdjustedToUTC (LTZ) is TIMESTAMPTZ, INT96 (p > 6)
// has no annotation and is a plain TIMESTAMP, CHAR/VARCHAR/STRING are UTF8
// strings, binaries un-annotated BLOBs.
const dec = (p, s, physical, len) => [`DECIMAL(${p},${s})`, physical, 'OPTIONAL', 'DECIMAL', { scale: s, precision: p, len }];
const TYPES = [
  ['b', 'BOOLEAN', 'BOOLEAN', 'OPTIONAL', null],
  ['ti', 'TINYINT', 'INT32', 'OPTIONAL', 'INT_8'],
  ['si', 'SMALLINT', 'INT32', 'OPTIONAL', 'INT_16'],
  ['i', 'INTEGER', 'INT32', 'REQUIRED', null],
  ['bi', 'BIGINT', 'INT64', 'OPTIONAL', null],
  ['f', 'FLOAT', 'FLOAT', 'OPTIONAL', null],
  ['d', 'DOUBLE', 'DOUBLE', 'OPTIONAL', null],
  ['d5', ...dec(5, 2, 'INT32')],
  ['d15', ...dec(15, 3, 'INT64')],
  ['d23', ...dec(23, 5, 'FIXED_LEN_BYTE_ARRAY', 10)],
  ['c', 'VARCHAR', 'BYTE_ARRAY', 'OPTIONAL', 'UTF8'],
  ['s', 'VARCHAR', 'BYTE_ARRAY', 'OPTIONAL', 'UTF8'],
  ['bin', 'BLOB', 'BYTE_ARRAY', 'OPTIONAL', null],
  ['vb', 'BLOB', 'BYTE_ARRAY', 'OPTIONAL', null],
  ['dt', 'DATE', 'INT32', 'OPTIONAL', 'DATE'],
  ['tm', 'TIME WITH TIME ZONE', 'INT32', 'OPTIONAL', 'TIME_MILLIS'],
  ['ts3', 'TIMESTAMP', 'INT64', 'OPTIONAL', 'TIMESTAMP_MILLIS'],
  ['ts6', 'TIMESTAMP', 'INT64', 'OPTIONAL', 'TIMESTAMP_MICROS'],
  ['ts9', 'TIMESTAMP', 'INT96', 'OPTIONAL', null],
  ['l3', 'TIMESTAMP WITH TIME ZONE', 'INT64', 'OPTIONAL', 'TIMESTAMP_MILLIS'],
  ['l6', 'TIMESTAMP WITH TIME ZONE', 'INT64', 'OPTIONAL', 'TIMESTAMP_MICROS'],
  ['l9', 'TIMESTAMP', 'INT96', 'OPTIONAL', null],
  ['cat', 'VARCHAR', 'BYTE_ARRAY', 'REQUIRED', 'UTF8'],
].map((c, id) => [...c, ...(c.length === 5 ? [undefined] : []), id]);
// The table writes add VARCHAR, VARBINARY and the decimal precision edges.
const XTRA = [
  ['vc', 'VARCHAR', 'BYTE_ARRAY', 'OPTIONAL', 'UTF8'],
  ['vbin', 'BLOB', 'BYTE_ARRAY', 'OPTIONAL', null],
  ['d9', ...dec(9, 4, 'INT32')],
  ['d18', ...dec(18, 0, 'INT64')],
  ['d19', ...dec(19, 2, 'FIXED_LEN_BYTE_ARRAY', 9)],
  ['d38', ...dec(38, 10, 'FIXED_LEN_BYTE_ARRAY', 16)],
].map((c, k) => [...c, ...(c.length === 5 ? [undefined] : []), 23 + k]);
// Key-value files of primary-key tables (§6.2): the trimmed key (i; cat is
// the partition), sequence number and value kind before the table columns.
const KV = [
  ['_KEY_i', 'INTEGER', 'INT32', 'REQUIRED', null, undefined, 1073741823 + 3],
  ['_SEQUENCE_NUMBER', 'BIGINT', 'INT64', 'REQUIRED', null, undefined, 2147483646],
  ['_VALUE_KIND', 'TINYINT', 'INT32', 'REQUIRED', 'INT_8', undefined, 2147483645],
];

async function checkSchema(file, columns) {
  assert.deepEqual(await describe(file), columns.map(([n, t]) => [n, t]), `${file}: DuckDB types`);
  const got = await query(`SELECT name, type, type_length, repetition_type, converted_type, scale, precision, field_id
                           FROM parquet_schema(${lit(file)}) ORDER BY column_id`);
  assert.deepEqual(got[0], { name: 'paimon_schema', type: null, type_length: null, repetition_type: null,
    converted_type: null, scale: null, precision: null, field_id: null });
  const str = (v) => (v === undefined || v === null ? null : String(v));
  assert.deepEqual(got.slice(1), columns.map(([name, , type, rep, conv, d, id]) => ({
    name, type, type_length: str(d && d.len), repetition_type: rep, converted_type: conv,
    scale: str(d && d.scale), precision: str(d && d.precision), field_id: String(id),
  })), `${file}: Parquet schema`);
}

async function checkCodec(file, codec) {
  const got = await query(`SELECT DISTINCT compression FROM parquet_metadata(${lit(file)})`);
  assert.deepEqual(got, [{ compression: CODECS[codec] }], `${file}: codec`);
}

const ROW0 = {
  b: true, ti: 127, si: 32767, i: 2147483647, bi: '9007199254740993', f: 1.5, d: 2.25,
  d5: '123.45', d15: '123456789012.345', d23: '123456789012345678.12345', c: 'abc', s: 'héllo',
  bin: '\\x00\\xFF', vb: '\\x01\\x02\\x03', dt: '2024-02-29', tm: '12:34:56.789+00',
  ts3: '2024-02-29 12:34:56.789', ts6: '2024-02-29 12:34:56.789123', ts9: '2024-02-29 12:34:56.789123',
  l3: '2024-02-29 12:34:56.789+00', l6: '2024-02-29 12:34:56.789123+00', l9: '2024-02-29 12:34:56.789123',
  cat: 'red',
};
const EXPECTED = [
  ROW0,
  {
    b: false, ti: -128, si: -32768, i: -2147483648, bi: '-9007199254740993', f: -0.5, d: -1e300,
    d5: '-123.45', d15: '-123456789012.345', d23: '-123456789012345678.12345', c: 'xyz', s: 'z',
    bin: '\\xFF\\x00', vb: '\\xFF', dt: '1899-12-31', tm: '00:00:00+00',
    ts3: '1899-12-31 23:59:59.999', ts6: '1899-12-31 23:59:59.999999',
    // 1899-12-31 23:59:59.999999999 as Java writes INT96 (day 1900-01-01,
    // nanos-of-day -1): DuckDB truncates the nanoseconds towards zero, so
    // it reads the next microsecond (§7.1 "DuckDB rounds these by ~1 µs").
    ts9: '1900-01-01 00:00:00',
    l3: '1969-12-31 23:59:59.5+00', l6: '1969-12-31 23:59:59.500001+00', l9: '1969-12-31 23:59:59.500001',
    cat: 'green',
  },
  Object.fromEntries(TYPES.map(([n]) => [n, n === 'i' ? 7 : n === 'cat' ? 'red' : null])),
  {
    b: false, ti: 0, si: 0, i: 0, bi: '0', f: 0, d: 0, d5: '0.00', d15: '0.000', d23: '0.00000', c: '   ', s: '',
    bin: '\\x00\\x00', vb: '', dt: '1970-01-01', tm: '00:00:00+00', ts3: '1970-01-01 00:00:00',
    ts6: '1970-01-01 00:00:00', ts9: '1970-01-01 00:00:00', l3: '1970-01-01 00:00:00+00',
    l6: '1970-01-01 00:00:00+00', l9: '1970-01-01 00:00:00', cat: 'red',
  },
  ROW0,
];
const NINES = '9999999999999999999999999999.9999999999';
const XTRA_ROWS = [
  { vc: '0123456789', vbin: '\\x00\\x01\\x80\\xFF', d9: '99999.9999', d18: '999999999999999999',
    d19: '12345678901234567.89', d38: NINES },
  { vc: 'é', vbin: '\\xFE', d9: '-99999.9999', d18: '-999999999999999999',
    d19: '-100000000000000000.00', d38: `-${NINES}` },
  { vc: null, vbin: null, d9: null, d18: null, d19: null, d38: null },
  { vc: '', vbin: '', d9: '0.0000', d18: '0', d19: '0.00', d38: '0.0000000001' },
];
XTRA_ROWS.push(XTRA_ROWS[0]);
const TABLE_ROWS = EXPECTED.map((r, k) => ({ ...r, ...XTRA_ROWS[k] }));

for (const codec of Object.keys(CODECS)) {
  test(`every type reads back with its mapped type (${codec})`, async () => {
    const file = path.join(dir, `types-${codec}.parquet`);
    await checkSchema(file, TYPES);
    await checkCodec(file, codec);
    assert.deepEqual(await query(`SELECT * FROM read_parquet(${lit(file)})`), EXPECTED);
  });
}

// Every data file under a table directory, by partition directory.
function dataFiles(table) {
  const root = path.join(dir, 'tables', table);
  const out = [];
  for (const part of fs.readdirSync(root).sort()) {
    for (const bucket of fs.readdirSync(path.join(root, part)).sort()) {
      for (const f of fs.readdirSync(path.join(root, part, bucket)).sort()) {
        assert.match(f, /^data-[0-9a-f-]{36}-0\.parquet$/);
        out.push({ file: path.join(root, part, bucket, f), part, bucket });
      }
    }
  }
  return out;
}

const byKey = (a, b) => a.cat.localeCompare(b.cat) || a.i - b.i;
const sorted = (rows) => [...rows].sort(byKey);

for (const codec of Object.keys(CODECS)) {
  test(`partitioned append table: every data file (${codec})`, async () => {
    const list = dataFiles(`append-${codec}`);
    assert.deepEqual(list.map((f) => `${f.part}/${f.bucket}`), ['cat=green/bucket-0', 'cat=red/bucket-0']);
    for (const { file, part } of list) {
      await checkSchema(file, [...TYPES, ...XTRA]);
      await checkCodec(file, codec);
      const rows = await query(`SELECT * FROM read_parquet(${lit(file)})`);
      assert.deepEqual(rows, TABLE_ROWS.filter((r) => `cat=${r.cat}` === part), `${file}: rows in insertion order`);
    }
    const all = await query(`SELECT * FROM read_parquet(${files(list.map((f) => f.file))}, hive_partitioning = false)`);
    assert.deepEqual(sorted(all), sorted(TABLE_ROWS));
  });

  test(`primary-key table: key-value data files (${codec})`, async () => {
    const list = dataFiles(`pk-${codec}`);
    const merged = [];
    for (const { file, part } of list) {
      await checkSchema(file, [...KV, ...TYPES, ...XTRA]);
      await checkCodec(file, codec);
      const rows = await query(`SELECT * FROM read_parquet(${lit(file)})`);
      assert.ok(rows.length > 0, `${file}: not empty`);
      // Sequence numbers count this bucket's input rows from 0 in arrival
      // order; a key keeps the number of its last row (it wins).
      const keys = new Set(rows.map((r) => r.i));
      const arrivals = TABLE_ROWS.filter((r) => `cat=${r.cat}` === part && keys.has(r.i)).map((r) => r.i);
      rows.forEach((r, k) => {
        const { _KEY_i, _SEQUENCE_NUMBER, _VALUE_KIND, ...value } = r;
        assert.equal(`cat=${value.cat}`, part, `${file} row ${k}: partition`);
        assert.equal(_KEY_i, value.i, `${file} row ${k}: key`);
        assert.equal(_SEQUENCE_NUMBER, String(arrivals.lastIndexOf(value.i)), `${file} row ${k}: sequence number`);
        assert.equal(_VALUE_KIND, 0, `${file} row ${k}: +I`);
        if (k > 0) assert.ok(rows[k - 1]._KEY_i < _KEY_i, `${file} row ${k}: sorted by key, one row a key`);
        merged.push(value);
      });
    }
    // rows 0 and 4 share the key (red, 2147483647): one version, the last
    assert.deepEqual(sorted(merged), sorted(TABLE_ROWS.slice(1)));
  });
}

test('large columns: every row of the multi-page file, and page-index filtering', async () => {
  const file = lit(path.join(dir, 'pages.parquet'));
  assert.deepEqual(await describe(path.join(dir, 'pages.parquet')), [
    ['id', 'BIGINT'], ['cat', 'VARCHAR'], ['opt', 'INTEGER'], ['payload', 'VARCHAR'], ['grow', 'VARCHAR'], ['flag', 'BOOLEAN'],
  ]);
  // the unit test's rows, generated again by DuckDB
  const want = `SELECT i::BIGINT AS id, ['alpha', 'beta', 'gamma', 'delta', 'epsilon'][i % 5 + 1] AS cat,
      CASE WHEN i % 3 = 0 THEN NULL ELSE i::INTEGER END AS opt,
      'payload-' || lpad(i::VARCHAR, 6, '0') || '-' || repeat('0', 45) AS payload,
      CASE WHEN i < 20000 THEN 'same' ELSE 'grow-' || lpad(i::VARCHAR, 6, '0') || '-' || repeat('0', 108) END AS grow,
      i % 7 = 0 AS flag
    FROM range(30000) t(i)`;
  const diff = await query(`SELECT (SELECT count(*) FROM (SELECT * FROM read_parquet(${file}) EXCEPT ALL (${want}))) AS extra,
                                   (SELECT count(*) FROM ((${want}) EXCEPT ALL SELECT * FROM read_parquet(${file}))) AS missing`);
  assert.deepEqual(diff, [{ extra: '0', missing: '0' }]);
  const agg = await query(`SELECT count(*) AS n, sum(id) AS s, count(opt) AS nopt, sum(opt) AS sopt,
                                  count(DISTINCT cat) AS ncat, count(*) FILTER (WHERE flag) AS nflag
                           FROM read_parquet(${file})`);
  let sopt = 0;
  for (let i = 0; i < 30000; i++) if (i % 3) sopt += i;
  assert.deepEqual(agg, [{ n: '30000', s: String(29999 * 30000 / 2), nopt: '20000', sopt: String(sopt), ncat: '5', nflag: '4286' }]);
  // filters DuckDB may answer from statistics must see the same rows
  assert.deepEqual(await query(`SELECT count(*) AS n FROM read_parquet(${file}) WHERE id BETWEEN 19990 AND 20010`), [{ n: '21' }]);
  assert.deepEqual(await query(`SELECT count(*) AS n FROM read_parquet(${file}) WHERE grow >= 'grow-029990' AND grow < 'h'`), [{ n: '10' }]);
});

test('nested columns: LIST, MAP and group layouts, field ids, nulls at every level', async () => {
  const file = path.join(dir, 'nested.parquet');
  assert.deepEqual(await describe(file), [
    ['id', 'INTEGER'], ['a', 'INTEGER[]'], ['m', 'MAP(VARCHAR, BIGINT)'], ['r', 'STRUCT(x INTEGER, y VARCHAR)'],
    ['la', 'STRUCT(k VARCHAR, v INTEGER[])[]'],
  ]);
  assert.deepEqual(await query(`SELECT * FROM read_parquet(${lit(file)}) ORDER BY id`), [
    { id: 0, a: [1, null, 3], m: [{ key: 'k1', value: '10' }, { key: 'k2', value: null }], r: { x: 1, y: 'one' },
      la: [{ k: 'p', v: [1, 2] }, { k: null, v: [] }] },
    { id: 1, a: null, m: null, r: null, la: null },
    { id: 2, a: [], m: [], r: { x: null, y: null }, la: [null, { k: 'q', v: null }] },
    { id: 3, a: [null], m: [{ key: 'long key value', value: '-5' }], r: { x: -7, y: 'a longer string' }, la: [] },
  ]);
  // ParquetSchemaConverter: 3-level LIST, MAP/key_value with a REQUIRED key,
  // element/value ids 536870911 + id*1024 + depth, key ids 536870911 - id*1024 - depth
  const schema = await query(`SELECT name, repetition_type, converted_type, field_id FROM parquet_schema(${lit(file)})`);
  assert.deepEqual(schema.map((e) => [e.name, e.repetition_type, e.converted_type, e.field_id]), [
    ['paimon_schema', null, null, null], ['id', 'REQUIRED', null, '0'],
    ['a', 'OPTIONAL', 'LIST', '1'], ['list', 'REPEATED', null, null], ['element', 'OPTIONAL', null, '536871936'],
    ['m', 'OPTIONAL', 'MAP', '2'], ['key_value', 'REPEATED', null, null], ['key', 'REQUIRED', 'UTF8', '536868862'],
    ['value', 'OPTIONAL', null, '536872960'],
    ['r', 'OPTIONAL', null, '3'], ['x', 'OPTIONAL', null, '4'], ['y', 'OPTIONAL', 'UTF8', '5'],
    ['la', 'OPTIONAL', 'LIST', '6'], ['list', 'REPEATED', null, null], ['element', 'OPTIONAL', null, '536877056'],
    ['k', 'OPTIONAL', 'UTF8', '7'], ['v', 'OPTIONAL', 'LIST', '8'], ['list', 'REPEATED', null, null],
    ['element', 'REQUIRED', null, '536879104'],
  ]);
  const meta = await query(`SELECT path_in_schema, num_values, stats_null_count FROM parquet_metadata(${lit(file)})`);
  assert.deepEqual(meta.map((c) => [c.path_in_schema, c.num_values, c.stats_null_count]), [
    ['id', '4', '0'], ['a, list, element', '6', '4'], ['m, key_value, key', '5', '2'],
    ['m, key_value, value', '5', '3'], ['r, x', '4', '2'], ['r, y', '4', '2'], ['la, list, element, k', '6', '4'],
    ['la, list, element, v, list, element', '7', '5'],
  ]);
});

test('a file without rows: no rows, the schema still typed', async () => {
  const file = path.join(dir, 'empty.parquet');
  assert.deepEqual(await query(`SELECT count(*) AS n FROM read_parquet(${lit(file)})`), [{ n: '0' }]);
  assert.deepEqual((await describe(file)).map(([, t]) => t), ['BIGINT', 'VARCHAR', 'INTEGER', 'VARCHAR', 'VARCHAR', 'BOOLEAN']);
});

test('statistics agree with the values DuckDB reads, in every file', async () => {
  // DuckDB prunes row groups by min/max: a wrong bound would drop rows.
  // parquet-mr writes no bounds for INT96 (§7.1) unless min == max (its
  // toParquetStatistics); every other column has min_value/max_value equal
  // to the column's min()/max(), and every column an exact null count.
  const all = Object.keys(CODECS).flatMap((c) => [path.join(dir, `types-${c}.parquet`),
    ...dataFiles(`append-${c}`).map((f) => f.file), ...dataFiles(`pk-${c}`).map((f) => f.file)]);
  all.push(path.join(dir, 'pages.parquet'));
  for (const file of all) {
    const stats = await query(`SELECT path_in_schema AS name, type, stats_min_value AS lo, stats_max_value AS hi,
                                      stats_null_count AS nulls FROM parquet_metadata(${lit(file)}) ORDER BY column_id`);
    const src = `read_parquet(${lit(file)})`;
    const want = await query(stats.map(({ name, type }) => {
      const q = `"${name}"`;
      const bounds = type !== 'INT96' ? `min(${q})::VARCHAR, max(${q})::VARCHAR`
        : `CASE WHEN count(DISTINCT ${q}) = 1 THEN min(${q})::VARCHAR END, CASE WHEN count(DISTINCT ${q}) = 1 THEN max(${q})::VARCHAR END`;
      return `SELECT ${lit(name)} AS name, ${lit(type)} AS type, ${bounds}, (count(*) - count(${q}))::VARCHAR FROM ${src}`;
    }).join(' UNION ALL '));
    assert.deepEqual(stats, want.map((r) => { const [name, type, lo, hi, nulls] = Object.values(r); return { name, type, lo, hi, nulls }; }), file);
  }
});
