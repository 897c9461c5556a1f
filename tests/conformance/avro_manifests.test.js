// The engine's Avro files read by avsc, an Avro implementation independent of
// ours: tables of every kind are written through a url profile on `mcdlf
// serve` (append partitioned, overwritten, primary key with buckets and
// upserts, deletion vectors, Avro data files), then every object of the
// catalog's bucket is fetched with ali-oss and checked:
// - manifest lists, manifests and index manifests decode with avsc
//   (codec zstandard), with the record names and field order of
//   reference/paimon-format.md §4.1-§4.3, and agree with each other (the
//   files they name exist with the sizes they state; row counts add up);
// - Avro data files decode to the rows inserted;
// - snapshot and schema files parse with JSON.parse (strict) and hold the
//   §2/§3 fields in Java's order, with Jackson's pretty-printer layout.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Readable } = require('node:stream');
const zlib = require('node:zlib');
const avro = require('avsc');
const fzstd = require('fzstd');
const OSS = require('ali-oss');
const { startServe } = require('./lib');

const SQL = `
CREATE TABLE app (id INT, name STRING, amount DECIMAL(10,2)) PARTITIONED BY (dt STRING);
INSERT INTO app PARTITION (dt='2024-01-01') VALUES (1, 'a', 1.50), (2, 'b', NULL);
INSERT INTO app PARTITION (dt='2024-01-02') VALUES (3, 'c', 3.25);
INSERT OVERWRITE TABLE app PARTITION (dt='2024-01-01') VALUES (4, 'd', 4.00);
CREATE TABLE pk (id BIGINT NOT NULL, v STRING, PRIMARY KEY (id)) TBLPROPERTIES ('bucket'='2');
INSERT INTO pk VALUES (1, 'one'), (2, 'two'), (3, 'three');
INSERT INTO pk VALUES (2, 'TWO'), (4, 'four');
CREATE TABLE dv (id INT NOT NULL, v STRING, PRIMARY KEY (id)) TBLPROPERTIES ('bucket'='1', 'deletion-vectors.enabled'='true');
INSERT INTO dv VALUES (1, 'x'), (2, 'y');
INSERT INTO dv VALUES (2, 'z');
CREATE TABLE av (id BIGINT, s STRING, d DATE) TBLPROPERTIES ('file.format'='avro');
INSERT INTO av VALUES (10, 'ten', DATE '2024-02-29'), (11, NULL, NULL);
`;

// Avro codecs as the container spec defines them; zstandard via fzstd.
const codecs = {
  null: (buf, cb) => cb(null, buf),
  deflate: (buf, cb) => zlib.inflateRaw(buf, cb),
  zstandard: (buf, cb) => {
    try { cb(null, Buffer.from(fzstd.decompress(new Uint8Array(buf)))); } catch (e) { cb(e); }
  },
};

// Every record of an Avro container, and the writer's schema and codec.
function decode(buf) {
  return new Promise((resolve, reject) => {
    const records = [];
    let schema = null;
    let codec = null;
    const dec = new avro.streams.BlockDecoder({ codecs, parseHook: (s) => avro.Type.forSchema(s, { wrapUnions: false }) });
    dec.on('metadata', (type, c) => { schema = type.schema(); codec = c; });
    dec.on('data', (r) => records.push(r));
    dec.on('error', reject);
    dec.on('end', () => resolve({ schema, codec, records }));
    Readable.from([buf]).pipe(dec);
  });
}

const names = (rec) => rec.fields.map((f) => f.name);
const MANIFEST_LIST_FIELDS = ['_VERSION', '_FILE_NAME', '_FILE_SIZE', '_NUM_ADDED_FILES', '_NUM_DELETED_FILES',
  '_PARTITION_STATS', '_SCHEMA_ID'];
const ENTRY_FIELDS = ['_VERSION', '_KIND', '_PARTITION', '_BUCKET', '_TOTAL_BUCKETS', '_FILE'];
const FILE_FIELDS = ['_FILE_NAME', '_FILE_SIZE', '_ROW_COUNT', '_MIN_KEY', '_MAX_KEY', '_KEY_STATS', '_VALUE_STATS',
  '_MIN_SEQUENCE_NUMBER', '_MAX_SEQUENCE_NUMBER', '_SCHEMA_ID', '_LEVEL', '_EXTRA_FILES', '_CREATION_TIME',
  '_DELETE_ROW_COUNT', '_EMBEDDED_FILE_INDEX', '_FILE_SOURCE', '_VALUE_STATS_COLS'];
const SNAPSHOT_ORDER = ['version', 'uuid', 'id', 'schemaId', 'baseManifestList', 'baseManifestListSize',
  'deltaManifestList', 'deltaManifestListSize', 'changelogManifestList', 'changelogManifestListSize',
  'indexManifest', 'commitUser', 'writerVersion', 'commitIdentifier', 'commitKind', 'timeMillis', 'logOffsets',
  'totalRecordCount', 'deltaRecordCount', 'changelogRecordCount', 'watermark', 'statistics', 'properties',
  'nextRowId', 'operation'];
const SCHEMA_ORDER = ['version', 'id', 'fields', 'highestFieldId', 'partitionKeys', 'primaryKeys', 'options',
  'comment', 'timeMillis'];

// keys appear in the reference's order (some optional ones absent), the required ones present.
function checkOrder(obj, order, required, what) {
  const keys = Object.keys(obj);
  for (const k of keys) assert.ok(order.includes(k), `${what}: unknown field ${k}`);
  const idx = keys.map((k) => order.indexOf(k));
  assert.deepEqual(idx, [...idx].sort((a, b) => a - b), `${what}: fields out of Java's order: ${keys}`);
  for (const k of required) assert.ok(keys.includes(k), `${what}: missing ${k}`);
}

let serve;
let objects; // key -> Buffer, the whole bucket
test.before(async () => {
  serve = await startServe();
  const e = serve.endpoints;
  const cfg = path.join(serve.state, 'conf.ini');
  fs.writeFileSync(cfg, `[profile served]\nkind = url\nendpoints_file = ${path.join(serve.state, 'endpoints.json')}\n`);
  const r = spawnSync(process.env.MCDLF_BIN, ['--config', cfg, '--profile', 'served', '-e', SQL], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const client = new OSS({ region: 'oss-cn-hangzhou', endpoint: e.endpoints.oss, accessKeyId: e.access_key_id,
    accessKeySecret: e.access_key_secret, bucket: e.catalog_id, secure: false, timeout: 10000 });
  objects = new Map();
  let marker;
  do {
    const page = await client.list({ marker, 'max-keys': 1000 });
    for (const o of page.objects || []) objects.set(o.name, (await client.get(o.name)).content);
    marker = page.nextMarker;
  } while (marker);
});
test.after(async () => { if (serve) await serve.stop(); });

const tableKeys = (table, dir, prefix) =>
  [...objects.keys()].filter((k) => k.startsWith(`default.db/${table}/${dir}/${prefix}`)).sort();
const tableRoot = (table) => `default.db/${table}`;

test('manifest lists, manifests and index manifests decode with avsc as Java lays them out', async () => {
  let lists = 0; let manifests = 0;
  for (const table of ['app', 'pk', 'dv', 'av']) {
    const root = tableRoot(table);
    const totalRows = new Map(); // live data file -> row count, from reconciling every manifest
    for (const key of tableKeys(table, 'manifest', 'manifest-list-')) {
      const { schema, codec, records } = await decode(objects.get(key));
      lists++;
      assert.equal(codec, 'zstandard', key);
      assert.equal(schema.name, 'org.apache.paimon.avro.generated.record', key);
      assert.deepEqual(names(schema).slice(0, MANIFEST_LIST_FIELDS.length), MANIFEST_LIST_FIELDS, key);
      for (const m of records) {
        assert.equal(m._VERSION, 2);
        const body = objects.get(`${root}/manifest/${m._FILE_NAME}`);
        assert.ok(body, `${key} names ${m._FILE_NAME}, which does not exist`);
        assert.equal(m._FILE_SIZE, body.length, `${m._FILE_NAME}: _FILE_SIZE`);
        const entries = (await decode(body)).records;
        assert.equal(m._NUM_ADDED_FILES, entries.filter((x) => x._KIND === 0).length, m._FILE_NAME);
        assert.equal(m._NUM_DELETED_FILES, entries.filter((x) => x._KIND === 1).length, m._FILE_NAME);
      }
    }
    for (const key of tableKeys(table, 'manifest', 'manifest-').filter((k) => !k.includes('manifest-list-'))) {
      const { schema, codec, records } = await decode(objects.get(key));
      manifests++;
      assert.equal(codec, 'zstandard', key);
      assert.equal(schema.name, 'org.apache.paimon.avro.generated.record', key);
      assert.deepEqual(names(schema), ENTRY_FIELDS, key);
      const file = schema.fields[5].type;
      assert.equal(file.name, 'org.apache.paimon.avro.generated.record__FILE', key);
      assert.deepEqual(names(file).slice(0, FILE_FIELDS.length), FILE_FIELDS, key);
      for (const en of records) {
        assert.equal(en._VERSION, 2);
        const f = en._FILE;
        const partDir = en._BUCKET >= 0 ? `bucket-${en._BUCKET}/` : '';
        const data = [...objects.keys()].find((k) => k.startsWith(`${root}/`) && k.endsWith(`/${partDir}${f._FILE_NAME}`));
        if (en._KIND === 0) {
          assert.ok(data, `${key}: ADD of ${f._FILE_NAME}, which does not exist`);
          assert.equal(f._FILE_SIZE, objects.get(data).length, `${f._FILE_NAME}: _FILE_SIZE`);
          totalRows.set(f._FILE_NAME, f._ROW_COUNT);
        }
        assert.ok(f._MIN_SEQUENCE_NUMBER <= f._MAX_SEQUENCE_NUMBER);
        assert.ok(Buffer.isBuffer(f._MIN_KEY) && Buffer.isBuffer(f._VALUE_STATS._MIN_VALUES));
      }
    }
    for (const key of tableKeys(table, 'manifest', 'index-manifest-')) {
      const { schema, records } = await decode(objects.get(key));
      assert.deepEqual(names(schema).slice(0, 8),
        ['_VERSION', '_KIND', '_PARTITION', '_BUCKET', '_INDEX_TYPE', '_FILE_NAME', '_FILE_SIZE', '_ROW_COUNT'], key);
      for (const ix of records) assert.equal(ix._VERSION, 1);
    }
    assert.ok(totalRows.size > 0, `${table}: no data file was added`);
  }
  assert.ok(lists >= 8 && manifests >= 8, `${lists} manifest lists, ${manifests} manifests`);
});

test('Avro data files decode to the rows inserted', async () => {
  const keys = [...objects.keys()].filter((k) => k.startsWith('default.db/av/') && k.endsWith('.avro'));
  assert.equal(keys.length, 1, `${keys}`);
  const { schema, records } = await decode(objects.get(keys[0]));
  assert.deepEqual(names(schema), ['id', 's', 'd']);
  assert.deepEqual(records.map((r) => [r.id, r.s, r.d]), [[10, 'ten', 19782], [11, null, null]]);
});

test('snapshot and schema files parse strictly, with Java\'s fields, order and layout', () => {
  for (const table of ['app', 'pk', 'dv', 'av']) {
    const snaps = tableKeys(table, 'snapshot', 'snapshot-');
    assert.ok(snaps.length >= 1, table);
    let prev = 0;
    for (const key of snaps.sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop()))) {
      const text = objects.get(key).toString('utf8');
      const s = JSON.parse(text);
      checkOrder(s, SNAPSHOT_ORDER, ['version', 'id', 'schemaId', 'baseManifestList', 'deltaManifestList',
        'commitUser', 'commitIdentifier', 'commitKind', 'timeMillis', 'totalRecordCount', 'deltaRecordCount'], key);
      assert.equal(s.version, 3, key);
      assert.equal(s.id, prev + 1, `${key}: ids are consecutive`);
      prev = s.id;
      assert.ok(['APPEND', 'COMPACT', 'OVERWRITE'].includes(s.commitKind), key);
      for (const m of [s.baseManifestList, s.deltaManifestList])
        assert.ok(objects.has(`${tableRoot(table)}/manifest/${m}`), `${key} names ${m}`);
      assert.match(text, /^\{\n {2}"version" : 3,\n/, `${key}: Jackson's pretty printer`);
      assert.ok(!text.endsWith('\n'), `${key}: no trailing newline`);
    }
    const latest = objects.get(`${tableRoot(table)}/snapshot/LATEST`);
    assert.equal(latest && latest.toString(), String(prev), `${table}: LATEST`);
    for (const key of tableKeys(table, 'schema', 'schema-')) {
      const s = JSON.parse(objects.get(key).toString('utf8'));
      checkOrder(s, SCHEMA_ORDER, ['version', 'id', 'fields', 'highestFieldId', 'partitionKeys', 'primaryKeys',
        'options', 'timeMillis'], key);
      assert.equal(s.version, 3, key);
      for (const f of s.fields) checkOrder(f, ['id', 'name', 'type', 'description', 'defaultValue'], ['id', 'name', 'type'], key);
      assert.equal(s.highestFieldId, Math.max(...s.fields.map((f) => f.id)), key);
    }
  }
});
