-- MaxCompute's errors, with positions relative to each statement.
SET odps.namespace.schema=true;
CREATE TABLE t1 (a BIGINT, b STRING, c DOUBLE);
INSERT INTO t1 VALUES (1, 'x', 1.5), (2, NULL, NULL), (7, 'z', 2.25);
-- `/` is DOUBLE division; unaliased expressions are _c<N>; NULL prints as NULL.
SELECT a, a / 2, b, c, concat(b, '-', b) FROM t1 WHERE a > 1 LIMIT 10;
SELECT count(*), sum(a), avg(a), max(b) FROM t1;
SELECT a FROM t1 ORDER BY a DESC LIMIT 2;
CREATE TABLE t1 (a INT);
CREATE TABLE t2 (a INT, b INT, a INT);
INSERT INTO t1 VALUES (1, 'x');
SELECT nosuch FROM t1;
SELECT no_such_fn(a) FROM t1;
SELECT a FROM t1 ORDER BY a;
SELECT * FROM missing_table;
