// The DuckDB side of bench/scan and bench/sql (bench/README.md), through
// @duckdb/node-api (installed with the conformance clients in
// tests/conformance/node_modules). The rows and the aggregate are
// scan_bench.c's; results print in its `result` format so the scripts can
// check that both sides computed the same thing.
//
//   node bench/duckdb_bench.js scan THREADS DIR    aggregate DIR/**/*.parquet
//   node bench/duckdb_bench.js copy THREADS N FILE COPY the N rows TO FILE (Parquet, ZSTD)
//   node bench/duckdb_bench.js seed DBFILE         fixtures/sql/seed.sql's flow on a database file
//
// scan and copy print the step's wall-clock seconds (scan_s, write_s); the
// scripts time seed and whole processes themselves.
'use strict';
const path = require('node:path');

const { DuckDBInstance } = require(path.join(__dirname, '../tests/conformance/node_modules/@duckdb/node-api'));

const lit = (s) => `'${s.replace(/'/g, "''")}'`;
const seconds = (t0) => (Number(process.hrtime.bigint() - t0) / 1e9).toFixed(3);

async function connect(file, threads) {
  const db = await DuckDBInstance.create(file, threads ? { threads: String(threads) } : {});
  return db.connect();
}

const ROWS = (n) => `SELECT i::BIGINT AS id, (i % 1000)::INTEGER AS k, (i % 1000) * 0.25 AS x,
                            'name-' || (i % 10000)::VARCHAR AS s FROM range(${Number(n)}) t(i)`;

async function main([cmd, ...args]) {
  if (cmd === 'scan' && args.length === 2) {
    const c = await connect(':memory:', args[0]);
    const t0 = process.hrtime.bigint();
    const r = await c.runAndReadAll(`SELECT count(*), sum(id), sum(k), sum(x), min(s), max(s)
                                     FROM read_parquet(${lit(path.join(args[1], '**', '*.parquet'))})`);
    const [n, sid, sk, sx, lo, hi] = r.getRowsJson()[0];
    console.log(`scan_s ${seconds(t0)}`);
    console.log(`result ${n}|${sid}|${sk}|${Number(sx).toFixed(2)}|${lo}|${hi}`);
  } else if (cmd === 'copy' && args.length === 3) {
    const c = await connect(':memory:', args[0]);
    const t0 = process.hrtime.bigint();
    await c.run(`COPY (${ROWS(args[1])}) TO ${lit(args[2])} (FORMAT parquet, COMPRESSION zstd)`);
    console.log(`write_s ${seconds(t0)}`);
  } else if (cmd === 'seed' && args.length === 1) {
    // SHOW SCHEMAS; USE SCHEMA default; CREATE TABLE IF NOT EXISTS; INSERT;
    // SELECT *; SHOW TABLES — each result read, as the console prints it.
    const c = await connect(args[0]);
    for (const sql of ['SELECT schema_name FROM information_schema.schemata', 'USE main',
      'CREATE TABLE IF NOT EXISTS emp (id INTEGER, name VARCHAR)',
      "INSERT INTO emp VALUES (101, 'Zhang San'), (102, 'Li Si')", 'SELECT * FROM emp', 'SHOW TABLES']) {
      const r = await c.runAndReadAll(sql);
      process.stdout.write(`${JSON.stringify(r.getRowsJson())}\n`);
    }
  } else {
    throw new Error('usage: duckdb_bench.js scan THREADS DIR | copy THREADS N FILE | seed DBFILE');
  }
}

main(process.argv.slice(2)).catch((e) => {
  console.error(`duckdb_bench: ${e.message}`);
  process.exit(1);
});
