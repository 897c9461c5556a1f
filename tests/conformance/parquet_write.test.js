// Parquet files written by engine/paimon/parquet_writer.c, read back with
// hyparquet (an independent pure-JS reader): every value, the schema
// annotations Java Paimon's parquet-mr writer uses (reference/paimon-format.md
// §7.1), statistics, page CRCs, encodings and the page indexes.
// parquet_write.test.sh runs unit_test_paimon_parquet_writer with
// MCDLF_PARQUET_OUT=<dir> first; the rows here mirror that unit test.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const dir = process.env.MCDLF_PARQUET_OUT;

let hp, thrift, compressors;
test.before(async () => {
  if (!dir) throw new Error('MCDLF_PARQUET_OUT is not set (run parquet_write.test.sh)');
  hp = await import('hyparquet');
  thrift = await import('hyparquet/src/thrift.js');
  ({ compressors } = await import('hyparquet-compressors'));
});

function load(name) {
  const b = fs.readFileSync(path.join(dir, name));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
}

// Exact values: timestamps as the stored integers, dates as day numbers.
const parsers = {
  timestampFromMilliseconds: (v) => BigInt(v),
  timestampFromMicroseconds: (v) => BigInt(v),
  timestampFromNanoseconds: (v) => BigInt(v),
  dateFromDays: (v) => v,
};

async function readRows(ab, opts = {}) {
  return hp.parquetReadObjects({ file: ab, compressors, parsers, ...opts });
}

// The footer as raw Thrift fields (field_N), for bytes hyparquet converts.
function rawFooter(ab) {
  const view = new DataView(ab);
  const len = view.getUint32(ab.byteLength - 8, true);
  return thrift.deserializeTCompactProtocol({ view, offset: ab.byteLength - 8 - len });
}

const hex = (u8) => (u8 === undefined ? undefined : Buffer.from(u8).toString('hex'));

// What hyparquet returns for an INT96 holding (millis, nanos-of-milli) as
// Java Paimon writes it (§7.1: truncating division, so nanos-of-day is
// negative before 1970). hyparquet builds `high << 64n | low` with a signed
// low word, so a negative nanos-of-day wipes the day: the value is checked
// byte-exactly, including the quirk, by replaying that decode.
function int96Read(ms, nom) {
  const julian = ms / 86400000n + 2440588n; // BigInt division truncates, as Java's
  const nod = (ms % 86400000n) * 1000000n + nom;
  const value = (julian << 64n) | nod;
  return ((value >> 64n) - 2440588n) * 86400000000000n + (value & 0xffffffffffffffffn);
}

const TS = 1709210096789n; // 2024-02-29 12:34:56.789 UTC
const OLD = -2208988800001n; // 1899-12-31 23:59:59.999 UTC

// [name, physical type, repetition, converted type, logical type, field id, extra]
const SCHEMA = [
  ['b', 'BOOLEAN', 'OPTIONAL', undefined, undefined, 0],
  ['ti', 'INT32', 'OPTIONAL', 'INT_8', { type: 'INTEGER', bitWidth: 8, isSigned: true }, 1],
  ['si', 'INT32', 'OPTIONAL', 'INT_16', { type: 'INTEGER', bitWidth: 16, isSigned: true }, 2],
  ['i', 'INT32', 'REQUIRED', undefined, undefined, 3],
  ['bi', 'INT64', 'OPTIONAL', undefined, undefined, 4],
  ['f', 'FLOAT', 'OPTIONAL', undefined, undefined, 5],
  ['d', 'DOUBLE', 'OPTIONAL', undefined, undefined, 6],
  ['d5', 'INT32', 'OPTIONAL', 'DECIMAL', { type: 'DECIMAL', scale: 2, precision: 5 }, 7, { scale: 2, precision: 5 }],
  ['d15', 'INT64', 'OPTIONAL', 'DECIMAL', { type: 'DECIMAL', scale: 3, precision: 15 }, 8, { scale: 3, precision: 15 }],
  ['d23', 'FIXED_LEN_BYTE_ARRAY', 'OPTIONAL', 'DECIMAL', { type: 'DECIMAL', scale: 5, precision: 23 }, 9,
    { scale: 5, precision: 23, type_length: 10 }],
  ['c', 'BYTE_ARRAY', 'OPTIONAL', 'UTF8', { type: 'STRING' }, 10],
  ['s', 'BYTE_ARRAY', 'OPTIONAL', 'UTF8', { type: 'STRING' }, 11],
  ['bin', 'BYTE_ARRAY', 'OPTIONAL', undefined, undefined, 12],
  ['vb', 'BYTE_ARRAY', 'OPTIONAL', undefined, undefined, 13],
  ['dt', 'INT32', 'OPTIONAL', 'DATE', { type: 'DATE' }, 14],
  ['tm', 'INT32', 'OPTIONAL', 'TIME_MILLIS', { type: 'TIME', isAdjustedToUTC: true, unit: 'MILLIS' }, 15],
  ['ts3', 'INT64', 'OPTIONAL', 'TIMESTAMP_MILLIS', { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MILLIS' }, 16],
  ['ts6', 'INT64', 'OPTIONAL', 'TIMESTAMP_MICROS', { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' }, 17],
  ['ts9', 'INT96', 'OPTIONAL', undefined, undefined, 18],
  ['l3', 'INT64', 'OPTIONAL', 'TIMESTAMP_MILLIS', { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' }, 19],
  ['l6', 'INT64', 'OPTIONAL', 'TIMESTAMP_MICROS', { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' }, 20],
  ['l9', 'INT96', 'OPTIONAL', undefined, undefined, 21],
  ['cat', 'BYTE_ARRAY', 'REQUIRED', 'UTF8', { type: 'STRING' }, 22],
];

const ROW0 = {
  b: true, ti: 127, si: 32767, i: 2147483647, bi: 9007199254740993n, f: 1.5, d: 2.25,
  d5: 123.45, d15: 123456789012.345, d23: 123456789012345678.12345, c: 'abc', s: 'héllo',
  bin: '00ff', vb: '010203', dt: 19782, tm: 45296789,
  ts3: TS, ts6: TS * 1000n + 123n, ts9: int96Read(TS, 123456n),
  l3: TS, l6: TS * 1000n + 123n, l9: int96Read(TS, 123456n), cat: 'red',
};
const EXPECTED = [
  ROW0,
  {
    b: false, ti: -128, si: -32768, i: -2147483648, bi: -9007199254740993n, f: -0.5, d: -1e300,
    d5: -123.45, d15: -123456789012.345, d23: -123456789012345678.12345, c: 'xyz', s: 'z',
    bin: 'ff00', vb: 'ff', dt: -25568, tm: 0,
    ts3: OLD, ts6: OLD * 1000n + 999n, ts9: int96Read(OLD, 999999n),
    l3: -500n, l6: -500n * 1000n + 1n, l9: int96Read(-500n, 1n), cat: 'green',
  },
  Object.fromEntries(SCHEMA.map(([n]) => [n, n === 'i' ? 7 : n === 'cat' ? 'red' : null])),
  {
    b: false, ti: 0, si: 0, i: 0, bi: 0n, f: 0, d: 0, d5: 0, d15: 0, d23: 0, c: '   ', s: '',
    bin: '0000', vb: '', dt: 0, tm: 0, ts3: 0n, ts6: 0n, ts9: 0n, l3: 0n, l6: 0n, l9: 0n, cat: 'red',
  },
  ROW0,
];

function normalize(row) {
  const out = { ...row };
  for (const k of ['bin', 'vb']) if (out[k] instanceof Uint8Array) out[k] = hex(out[k]);
  return out;
}

for (const codec of ['zstd', 'none', 'snappy', 'gzip', 'lz4']) {
  test(`every type reads back exactly (${codec})`, async () => {
    const ab = load(`types-${codec}.parquet`);
    const rows = (await readRows(ab, { utf8: false })).map(normalize);
    assert.equal(rows.length, EXPECTED.length);
    rows.forEach((row, r) => {
      for (const [name] of SCHEMA) {
        const want = EXPECTED[r][name];
        if (name === 'd23' && want) {
          // hyparquet converts to a double; the exact bytes are checked via statistics
          assert.ok(Math.abs(row[name] - want) <= Math.abs(want) * 1e-15, `row ${r} ${name}: ${row[name]}`);
        } else {
          assert.deepEqual(row[name], want, `row ${r} column ${name}`);
        }
      }
    });
    const codecName = { zstd: 'ZSTD', none: 'UNCOMPRESSED', snappy: 'SNAPPY', gzip: 'GZIP', lz4: 'LZ4_RAW' }[codec];
    for (const col of hp.parquetMetadata(ab).row_groups[0].columns) assert.equal(col.meta_data.codec, codecName);
  });
}

test('schema carries the parquet-mr annotations and Paimon field ids', () => {
  const md = hp.parquetMetadata(load('types-zstd.parquet'));
  assert.equal(md.version, 1);
  assert.equal(md.num_rows, 5n);
  assert.match(md.created_by, /^mcdlf version /);
  const defined = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  assert.deepEqual(defined(md.schema[0]), { name: 'paimon_schema', num_children: SCHEMA.length });
  SCHEMA.forEach(([name, type, rep, conv, logical, id, extra], k) => {
    const el = md.schema[k + 1];
    const want = { type, repetition_type: rep, name, field_id: id, ...(extra || {}) };
    if (conv) want.converted_type = conv;
    if (logical) want.logical_type = logical;
    assert.deepEqual(defined(el), want, name);
  });
  const raw = rawFooter(load('types-zstd.parquet'));
  assert.equal(raw.field_7.length, SCHEMA.length, 'a TYPE_ORDER column order per column');
  for (const o of raw.field_7) assert.deepEqual(o, { field_1: {} });
});

test('statistics follow parquet-mr: signed orders get both min/max pairs', () => {
  const ab = load('types-zstd.parquet');
  const md = hp.parquetMetadata(ab, { parsers });
  const raw = rawFooter(ab).field_4[0].field_1;
  const stats = {};
  md.row_groups[0].columns.forEach((c, k) => {
    stats[c.meta_data.path_in_schema[0]] = { ...c.meta_data.statistics, raw: raw[k].field_3.field_12 };
  });
  const both = (name, min, max, nulls) => {
    const s = stats[name];
    assert.deepEqual([s.min_value, s.max_value, s.min, s.max, s.null_count], [min, max, min, max, BigInt(nulls)], name);
  };
  const newOnly = (name, min, max, nulls) => {
    const s = stats[name];
    assert.deepEqual([s.min_value, s.max_value, s.null_count], [min, max, BigInt(nulls)], name);
    assert.equal(s.min, undefined, `${name}: no deprecated min`);
    assert.equal(s.max, undefined, `${name}: no deprecated max`);
  };
  both('b', false, true, 1);
  both('ti', -128, 127, 1);
  both('si', -32768, 32767, 1);
  both('i', -2147483648, 2147483647, 0);
  both('bi', -9007199254740993n, 9007199254740993n, 1);
  both('f', -0.5, 1.5, 1);
  both('d', -1e300, 2.25, 1);
  both('dt', -25568, 19782, 1);
  both('tm', 0, 45296789, 1);
  both('ts3', OLD, TS, 1);
  both('ts6', OLD * 1000n + 999n, TS * 1000n + 123n, 1);
  both('l3', -500n, TS, 1);
  both('l6', -499999n, TS * 1000n + 123n, 1);
  // DECIMAL sorts UNKNOWN, strings and binary UNSIGNED: min_value/max_value only
  newOnly('d5', -123.45, 123.45, 1);
  newOnly('d15', -123456789012.345, 123456789012.345, 1);
  newOnly('c', '   ', 'xyz', 1);
  newOnly('s', '', 'z', 1);
  newOnly('cat', 'green', 'red', 0);
  // FLBA decimal: big-endian two's complement sign-extended to 10 bytes
  assert.equal(hex(stats.d23.raw.field_6), 'fd62bd49b1898ebeeb07');
  assert.equal(hex(stats.d23.raw.field_5), '029d42b64e76714114f9');
  assert.equal(stats.d23.raw.field_1, undefined);
  // binary: unsigned bytewise order
  assert.deepEqual([hex(stats.bin.raw.field_6), hex(stats.bin.raw.field_5)], ['0000', 'ff00']);
  assert.deepEqual([hex(stats.vb.raw.field_6), hex(stats.vb.raw.field_5)], ['', 'ff']);
  // INT96: undefined order, null count only
  for (const name of ['ts9', 'l9']) {
    assert.deepEqual(Object.keys(stats[name].raw), ['field_3'], name);
  }
});

function pageHeaders(ab, col) {
  const view = new DataView(ab);
  const md = col.meta_data;
  let offset = Number(md.dictionary_page_offset ?? md.data_page_offset);
  const end = offset + Number(md.total_compressed_size);
  const out = [];
  while (offset < end) {
    const reader = { view, offset };
    const h = thrift.deserializeTCompactProtocol(reader);
    const body = new Uint8Array(ab, reader.offset, h.field_3);
    out.push({ at: offset, header: h, body });
    offset = reader.offset + h.field_3;
  }
  assert.equal(offset, end, 'pages fill the column chunk exactly');
  return out;
}

test('pages: v1 headers with CRCs, levels and encodings as parquet-mr writes them', () => {
  for (const codec of ['zstd', 'none', 'snappy', 'gzip', 'lz4']) {
    const ab = load(`types-${codec}.parquet`);
    const md = hp.parquetMetadata(ab);
    md.row_groups[0].columns.forEach((col, k) => {
      const name = col.meta_data.path_in_schema[0];
      const required = SCHEMA[k][2] === 'REQUIRED';
      for (const { header, body } of pageHeaders(ab, col)) {
        assert.equal(header.field_4, zlib.crc32(body) | 0, `${codec} ${name}: page CRC`);
        if (header.field_1 === 0) {
          const dph = header.field_5;
          assert.equal(dph.field_1, 5);
          assert.equal(dph.field_3, required ? 4 : 3, 'definition levels RLE, BIT_PACKED when REQUIRED');
          assert.equal(dph.field_4, 4, 'repetition levels BIT_PACKED');
        } else {
          assert.equal(header.field_1, 2);
          assert.equal(header.field_7.field_2, 2, 'dictionary page PLAIN_DICTIONARY');
        }
      }
    });
  }
});

test('dictionary encoding where it pays off, PLAIN otherwise (first-page rule)', () => {
  const md = hp.parquetMetadata(load('types-zstd.parquet'));
  const enc = {};
  for (const c of md.row_groups[0].columns) enc[c.meta_data.path_in_schema[0]] = c.meta_data;
  // tm: 4 values, 2 distinct: dictionary 8 B + ids 3 B < 16 B plain
  assert.deepEqual(enc.tm.encodings, ['RLE', 'PLAIN_DICTIONARY', 'BIT_PACKED']);
  assert.ok(enc.tm.dictionary_page_offset > 0n);
  // ti: 4 values, 3 distinct: dictionary 12 B + ids 4 B is not < 16 B plain
  assert.deepEqual(enc.ti.encodings, ['RLE', 'BIT_PACKED', 'PLAIN']);
  assert.equal(enc.ti.dictionary_page_offset, undefined);
  // BOOLEAN is always PLAIN
  assert.deepEqual(enc.b.encodings, ['RLE', 'BIT_PACKED', 'PLAIN']);
  assert.equal(enc.b.dictionary_page_offset, undefined);
  // REQUIRED columns carry no RLE levels
  assert.deepEqual(enc.cat.encodings, ['PLAIN_DICTIONARY', 'BIT_PACKED']);
});

test('large columns: 20000-row and 1 MiB pages, dictionary fallback, page indexes', async () => {
  const ab = load('pages.parquet');
  const rows = await readRows(ab);
  const cats = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  assert.equal(rows.length, 30000);
  rows.forEach((r, i) => {
    const grow = i < 20000 ? 'same' : `grow-${String(i).padStart(6, '0')}-${'0'.repeat(108)}`;
    const want = {
      id: BigInt(i), cat: cats[i % 5], opt: i % 3 === 0 ? null : i,
      payload: `payload-${String(i).padStart(6, '0')}-${'0'.repeat(45)}`, grow, flag: i % 7 === 0,
    };
    if (i % 997 === 0 || i === 29999) assert.deepEqual(r, want, `row ${i}`);
    else if (r.id !== want.id || r.opt !== want.opt || r.cat !== want.cat || r.payload !== want.payload ||
      r.grow !== want.grow || r.flag !== want.flag) assert.deepEqual(r, want, `row ${i}`);
  });

  const md = hp.parquetMetadata(ab);
  const cols = {};
  for (const c of md.row_groups[0].columns) cols[c.meta_data.path_in_schema[0]] = c;
  const pages = (name) => {
    const c = cols[name];
    const oi = hp.readOffsetIndex({ view: new DataView(ab, Number(c.offset_index_offset), c.offset_index_length), offset: 0 });
    return oi.page_locations.map((p) => Number(p.first_row_index));
  };
  assert.deepEqual(pages('id'), [0, 20000], 'page.row.count.limit 20000');
  assert.deepEqual(pages('flag'), [0, 20000]);
  assert.ok(pages('payload').length >= 3, 'payload splits on the 1 MiB page size');
  const encStats = (name) => cols[name].meta_data.encoding_stats.map((e) => `${e.page_type}:${e.encoding}:${e.count}`);
  assert.deepEqual(encStats('cat'), ['DICTIONARY_PAGE:PLAIN_DICTIONARY:1', 'DATA_PAGE:PLAIN_DICTIONARY:2']);
  assert.deepEqual(encStats('id'), ['DATA_PAGE:PLAIN:2'], 'distinct values fall back to PLAIN on the first page');
  // grow: dictionary pages until its dictionary passes 1 MiB, then PLAIN
  assert.deepEqual(encStats('grow'), ['DICTIONARY_PAGE:PLAIN_DICTIONARY:1', 'DATA_PAGE:PLAIN_DICTIONARY:2', 'DATA_PAGE:PLAIN:1']);
  assert.deepEqual(cols.grow.meta_data.encodings, ['RLE', 'PLAIN_DICTIONARY', 'BIT_PACKED', 'PLAIN']);

  // offset index locations match the page headers; column index bounds hold
  for (const name of Object.keys(cols)) {
    const c = cols[name];
    const oi = hp.readOffsetIndex({ view: new DataView(ab, Number(c.offset_index_offset), c.offset_index_length), offset: 0 });
    const data = pageHeaders(ab, c).filter((p) => p.header.field_1 === 0);
    assert.deepEqual(oi.page_locations.map((p) => [Number(p.offset), p.compressed_page_size]),
      data.map((p) => [p.at, p.body.byteLength + (p.body.byteOffset - p.at)]), `${name}: offset index`);
    const k = md.schema.findIndex((e) => e.name === name);
    const ci = hp.readColumnIndex({ view: new DataView(ab, Number(c.column_index_offset), c.column_index_length), offset: 0 }, md.schema[k]);
    const firsts = oi.page_locations.map((p) => Number(p.first_row_index));
    firsts.forEach((first, p) => {
      const last = p + 1 < firsts.length ? firsts[p + 1] : rows.length;
      const vals = rows.slice(first, last).map((r) => r[name]).filter((v) => v !== null);
      assert.equal(Number(ci.null_counts[p]), last - first - vals.length, `${name} page ${p}: nulls`);
      for (const v of vals) {
        assert.ok(!(v < ci.min_values[p]) && !(v > ci.max_values[p]), `${name} page ${p}: ${v} within bounds`);
      }
    });
  }
  // 120-byte strings: column index bounds truncated to 64 bytes, max incremented
  const gci = hp.readColumnIndex({ view: new DataView(ab, Number(cols.grow.column_index_offset), cols.grow.column_index_length), offset: 0 },
    md.schema.find((e) => e.name === 'grow'));
  assert.equal(gci.min_values[1], `grow-020000-${'0'.repeat(52)}`);
  assert.equal(gci.max_values[1].length, 64);
  assert.equal(gci.boundary_order, 'UNORDERED');
  assert.equal(hp.readColumnIndex({ view: new DataView(ab, Number(cols.id.column_index_offset), cols.id.column_index_length), offset: 0 },
    md.schema.find((e) => e.name === 'id')).boundary_order, 'ASCENDING');
});

test('a file without rows is still a valid Parquet file', async () => {
  const ab = load('empty.parquet');
  assert.equal(hp.parquetMetadata(ab).num_rows, 0n);
  assert.deepEqual(await readRows(ab), []);
});
