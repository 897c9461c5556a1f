/* Unit tests for engine/sql parser and AST printer: every statement form of
 * reference/maxcompute-sql.md §3, expression precedence, literals, positions,
 * and the exact MaxCompute parse errors (§5.2). Trees are asserted through
 * the canonical S-expression printer (ast.h). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/parser.h"

/* Parses sql and returns the printed script (one line per statement, no
 * trailing newline) or "ERROR <formatted error>". Static buffer. */
static const char *parse_print(const char *sql)
{
    static char out[16384];
    sql_arena *a = sql_arena_new();
    sql_script *sc = NULL;
    sql_error err;
    mc_buf b = MC_BUF_INIT;
    if (sql_parse(&sc, a, sql, &err) == 0) {
        sql_script_print(&b, sc);
        if (b.len && b.data[b.len - 1] == '\n')
            b.data[--b.len] = '\0';
    } else {
        assert_null(sc);
        mc_buf_puts(&b, "ERROR ");
        sql_error_format(&b, &err);
    }
    snprintf(out, sizeof out, "%s", mc_buf_cstr(&b));
    mc_buf_free(&b);
    sql_arena_free(a);
    return out;
}

#define CHECK(sql, want) assert_string_equal(parse_print(sql), want)
#define CHECK_ERR(sql, want) assert_string_equal(parse_print(sql), "ERROR " want)

/* Parses one expression via SELECT and returns its printed form. */
static const char *expr_print(const char *text)
{
    static char out[8192];
    sql_arena *a = sql_arena_new();
    sql_expr *e = NULL;
    sql_error err;
    mc_buf b = MC_BUF_INIT;
    if (sql_parse_expr(&e, a, text, &err) == 0)
        sql_expr_print(&b, e);
    else {
        mc_buf_puts(&b, "ERROR ");
        sql_error_format(&b, &err);
    }
    snprintf(out, sizeof out, "%s", mc_buf_cstr(&b));
    mc_buf_free(&b);
    sql_arena_free(a);
    return out;
}

#define EXPR(text, want) assert_string_equal(expr_print(text), want)

/* ---- the seed flow (project seed, reference §3.1, §4.2) ---- */

static void test_seed_flow_parses_statement_by_statement(void **state)
{
    (void)state;
    CHECK("SET odps.namespace.schema=true; SHOW SCHEMAS; USE SCHEMA default; SHOW TABLES; "
          "CREATE SCHEMA IF NOT EXISTS s1; CREATE TABLE IF NOT EXISTS t (id BIGINT, name STRING) ; "
          "INSERT INTO t VALUES (101, 'Zhang San'), (102, 'Li Si'); SELECT * FROM t;",
          "(set 'odps.namespace.schema' 'true')\n"
          "(show-schemas)\n"
          "(use-schema default)\n"
          "(show-tables)\n"
          "(create-schema if-not-exists s1)\n"
          "(create-table if-not-exists t (columns (id BIGINT) (name STRING)))\n"
          "(insert-into t (values (row 101 'Zhang San') (row 102 'Li Si')))\n"
          "(select * (from t))");
}

static void test_seed_flow_partitioned_variants(void **state)
{
    (void)state;
    CHECK("CREATE TABLE IF NOT EXISTS pt (id BIGINT, name STRING) PARTITIONED BY (ds STRING, region STRING);",
          "(create-table if-not-exists pt (columns (id BIGINT) (name STRING)) "
          "(partitioned-by (ds STRING) (region STRING)))");
    CHECK("INSERT INTO pt PARTITION (ds='20240101', region='cn') VALUES (1, 'a');",
          "(insert-into pt (partition (= ds '20240101') (= region 'cn')) (values (row 1 'a')))");
    CHECK("INSERT OVERWRITE TABLE pt PARTITION (ds='20240101', region) SELECT id, name, region FROM src;",
          "(insert-overwrite-table pt (partition (= ds '20240101') region) "
          "(select id name region (from src)))");
    CHECK("SELECT * FROM pt WHERE ds = '20240101' AND region = 'cn';",
          "(select * (from pt) (where (and (= ds '20240101') (= region 'cn'))))");
    CHECK("SHOW PARTITIONS pt; SHOW PARTITIONS pt PARTITION (ds='20240101');",
          "(show-partitions pt)\n(show-partitions pt (partition (= ds '20240101')))");
    CHECK("ALTER TABLE pt ADD PARTITION (ds='20240102', region='us');",
          "(alter-table pt add-partition (partition (= ds '20240102') (= region 'us')))");
    CHECK("ALTER TABLE pt DROP IF EXISTS PARTITION (ds='20240102', region='us');",
          "(alter-table if-exists pt drop-partition (partition (= ds '20240102') (= region 'us')))");
}

/* ---- statements ---- */

static void test_set_keeps_raw_key_and_value(void **state)
{
    (void)state;
    CHECK("set odps.sql.allow.fullscan=true", "(set 'odps.sql.allow.fullscan' 'true')");
    CHECK("SET odps.sql.timezone = Asia/Shanghai ;", "(set 'odps.sql.timezone' 'Asia/Shanghai')");
    CHECK("set a.b = x y  z;select 1", "(set 'a.b' 'x y  z')\n(select 1)");
    CHECK_ERR("set ;", "ODPS-0130161:[1,5] Parse exception - invalid token ';'");
    CHECK_ERR("set a b;", "ODPS-0130161:[1,8] Parse exception - invalid token ';'");
}

static void test_show_use_desc_forms(void **state)
{
    (void)state;
    CHECK("show schemas; show schemas in p1; show tables in p.s like 'emp%'; show tables like 'a' 'b'",
          "(show-schemas)\n(show-schemas (in p1))\n(show-tables (in p.s) (like 'emp%'))\n(show-tables (like 'ab'))");
    CHECK("show create table s.t; use s1; use schema `default`",
          "(show-create-table s.t)\n(use s1)\n(use-schema default)");
    CHECK("desc t; describe p.s.t; desc extended t partition (ds='1'); desc schema s; desc extended",
          "(desc t)\n(desc p.s.t)\n(desc extended t (partition (= ds '1')))\n(desc-schema s)\n(desc extended)");
    CHECK_ERR("show foo", "ODPS-0130161:[1,6] Parse exception - invalid token 'foo'");
}

static void test_schema_ddl(void **state)
{
    (void)state;
    CHECK("create schema s; create schema if not exists s comment 'x'; drop schema s; drop schema if exists s",
          "(create-schema s)\n(create-schema if-not-exists s (comment 'x'))\n(drop-schema s)\n(drop-schema if-exists s)");
}

static void test_create_table_full_form(void **state)
{
    (void)state;
    CHECK("CREATE TABLE IF NOT EXISTS proj.sch.emp (empno INT NOT NULL COMMENT 'no', ename VARCHAR(20), "
          "sal DECIMAL(10,2) DEFAULT 0, tags ARRAY<STRING>, m MAP<STRING, BIGINT>, "
          "s STRUCT<x:INT, `y`:STRING COMMENT 'why'>, PRIMARY KEY (empno)) COMMENT 'employees' "
          "PARTITIONED BY (ds STRING COMMENT 'day') TBLPROPERTIES ('primary-key'='empno', 'bucket'='2') LIFECYCLE 7;",
          "(create-table if-not-exists proj.sch.emp (columns (empno INT not-null (comment 'no')) "
          "(ename VARCHAR(20)) (sal DECIMAL(10,2) (default 0)) (tags ARRAY<STRING>) (m MAP<STRING,BIGINT>) "
          "(s STRUCT<x:INT,y:STRING COMMENT 'why'>)) (primary-key (empno)) (comment 'employees') "
          "(partitioned-by (ds STRING (comment 'day'))) (tblproperties ('primary-key' 'empno') ('bucket' '2')) "
          "(lifecycle 7))");
    CHECK("create table t (pk bigint not null primary key, v string)",
          "(create-table t (columns (pk BIGINT not-null primary-key) (v STRING)))");
    CHECK("create external table t (a int)", "(create-table external t (columns (a INT)))");
}

static void test_create_table_storage_clauses(void **state)
{
    (void)state;
    /* Paimon external table form (reference §2 [PEXT]) and native options (§3.2) */
    CHECK("create external table if not exists pe (id int, s string) comment 'c' partitioned by (ds string) "
          "clustered by (id) sorted by (id desc) into 4 buckets "
          "stored by 'org.apache.paimon.hive.PaimonStorageHandler' with serdeproperties ('a'='b') "
          "location 'oss://b/p/' tblproperties ('x'='y') lifecycle 2",
          "(create-table external if-not-exists pe (columns (id INT) (s STRING)) (comment 'c') "
          "(partitioned-by (ds STRING)) (clustered-by (id) (sorted-by (desc id)) (buckets 4)) "
          "(stored-by 'org.apache.paimon.hive.PaimonStorageHandler') (serdeproperties ('a' 'b')) "
          "(location 'oss://b/p/') (tblproperties ('x' 'y')) (lifecycle 2))");
    CHECK("create table t (a int) stored as aliorc", "(create-table t (columns (a INT)) (stored-as aliorc))");
    CHECK_ERR("create table t (a int) clustered by (a) into x buckets",
              "ODPS-0130161:[1,46] Parse exception - invalid token 'x'");
}

static void test_create_table_as_and_like(void **state)
{
    (void)state;
    CHECK("create table t2 as select a, b + 1 from t1", "(create-table t2 (as (select a (+ b 1) (from t1))))");
    CHECK("create table if not exists t2 lifecycle 3 as select * from t1",
          "(create-table if-not-exists t2 (lifecycle 3) (as (select * (from t1))))");
    CHECK("create table t2 like s.t1", "(create-table t2 (like s.t1))");
    CHECK("create table t2 like t1 lifecycle 1", "(create-table t2 (like t1) (lifecycle 1))");
}

static void test_all_types_parse(void **state)
{
    (void)state;
    CHECK("create table t (a TINYINT, b SMALLINT, c INT, d BIGINT, e FLOAT, f DOUBLE, g DECIMAL, h DECIMAL(38,18), "
          "i VARCHAR(65535), j CHAR(10), k STRING, l BINARY, m BOOLEAN, n DATE, o DATETIME, p TIMESTAMP, "
          "q TIMESTAMP_NTZ, r ARRAY<ARRAY<INT>>, s MAP<STRING,STRUCT<a:DECIMAL(5,1),b:ARRAY<DATE>>>)",
          "(create-table t (columns (a TINYINT) (b SMALLINT) (c INT) (d BIGINT) (e FLOAT) (f DOUBLE) (g DECIMAL) "
          "(h DECIMAL(38,18)) (i VARCHAR(65535)) (j CHAR(10)) (k STRING) (l BINARY) (m BOOLEAN) (n DATE) "
          "(o DATETIME) (p TIMESTAMP) (q TIMESTAMP_NTZ) (r ARRAY<ARRAY<INT>>) "
          "(s MAP<STRING,STRUCT<a:DECIMAL(5,1),b:ARRAY<DATE>>>)))");
    CHECK_ERR("create table t (a VARCHAR)", "ODPS-0130161:[1,26] Parse exception - invalid token ')'");
    CHECK_ERR("create table t (a BLOB)", "ODPS-0130161:[1,19] Parse exception - invalid token 'BLOB'");
    CHECK_ERR("create table t (a MAP<STRING>)", "ODPS-0130161:[1,29] Parse exception - invalid token '>'");
}

static void test_views(void **state)
{
    (void)state;
    CHECK("create view v as select a from t; create or replace view if not exists s.v (x, y) comment 'c' as "
          "select a, b from t; drop view v; drop view if exists s.v",
          "(create-view v (as (select a (from t))))\n"
          "(create-view or-replace if-not-exists s.v (x y) (comment 'c') (as (select a b (from t))))\n"
          "(drop-view v)\n(drop-view if-exists s.v)");
    CHECK_ERR("create or view v as select 1", "ODPS-0130161:[1,11] Parse exception - invalid token 'view'");
}

static void test_drop_truncate_table(void **state)
{
    (void)state;
    CHECK("drop table t; drop table if exists s.t; truncate table t; truncate table t partition (ds='1')",
          "(drop-table t)\n(drop-table if-exists s.t)\n(truncate-table t)\n(truncate-table t (partition (= ds '1')))");
}

static void test_alter_table_forms(void **state)
{
    (void)state;
    CHECK("alter table t add if not exists partition (ds='1') partition (ds='2')",
          "(alter-table if-not-exists t add-partition (partition (= ds '1')) (partition (= ds '2')))");
    CHECK("alter table t drop partition (ds='1'), partition (ds='2')",
          "(alter-table t drop-partition (partition (= ds '1')) (partition (= ds '2')))");
    CHECK("alter table t drop if exists partition (ds > '2020' and ds < '2021', hr like '1%')",
          "(alter-table if-exists t drop-partition (partition (filter (and (> ds '2020') (< ds '2021'))) "
          "(filter (like hr '1%'))))");
    CHECK("alter table t drop partition (ds = '1' or ds = '2')",
          "(alter-table t drop-partition (partition (filter (or (= ds '1') (= ds '2')))))");
    CHECK("alter table t add columns (c int comment 'x', d string)",
          "(alter-table t add-columns (columns (c INT (comment 'x')) (d STRING)))");
    CHECK("alter table t drop columns a, b", "(alter-table t drop-columns (columns (a) (b)))");
    CHECK("alter table t rename to u", "(alter-table t rename (to u))");
    CHECK("alter table t change column a rename to b", "(alter-table t rename-column (column a) (to b))");
    CHECK("alter table t change a b bigint comment 'c'",
          "(alter-table t change-column (column a) (columns (b BIGINT (comment 'c'))))");
    CHECK("alter table t set tblproperties ('k'='v')", "(alter-table t set-tblproperties (tblproperties ('k' 'v')))");
    CHECK("alter table t set lifecycle 5", "(alter-table t set-lifecycle (lifecycle 5))");
    CHECK("alter table t set comment 'c'", "(alter-table t set-comment (comment 'c'))");
    CHECK("alter table t partition (ds='1') rename to partition (ds='2')",
          "(alter-table t rename-partition (partition (= ds '1')) (partition (= ds '2')))");
    CHECK("alter table t touch partition (ds='1')", "(alter-table t touch (partition (= ds '1')))");
    CHECK("alter table t merge smallfiles; select 1", "(alter-table t other)\n(select 1)");
    CHECK_ERR("alter t rename to u", "ODPS-0130161:[1,7] Parse exception - invalid token 't'");
}

static void test_insert_forms(void **state)
{
    (void)state;
    CHECK("insert into table t (a, b) values (1, 'x')",
          "(insert-into-table t (columns (a b)) (values (row 1 'x')))");
    CHECK("insert into t select * from s", "(insert-into t (select * (from s)))");
    CHECK("insert into t (select 1)", "(insert-into t (select 1))");
    CHECK("insert overwrite table t partition (ds='1', hr=-1) select a from s",
          "(insert-overwrite-table t (partition (= ds '1') (= hr (neg 1))) (select a (from s)))");
    CHECK("insert into t values (DATETIME '2017-11-11 00:00:00', -1.5BD, null)",
          "(insert-into t (values (row (datetime '2017-11-11 00:00:00') (neg 1.5BD) NULL)))");
    CHECK("with c as (select 1 a) insert into t select a from c",
          "(with (cte c (select (as 1 a))) (insert-into t (select a (from c))))");
    /* INSERT OVERWRITE needs TABLE (§3.4) */
    CHECK_ERR("insert overwrite t select 1", "ODPS-0130161:[1,18] Parse exception - invalid token 't'");
}

static void test_multi_insert(void **state)
{
    (void)state;
    CHECK("FROM src INSERT OVERWRITE TABLE t1 PARTITION (ds='1') SELECT a, b WHERE a > 0 "
          "INSERT INTO TABLE t2 SELECT count(*) GROUP BY c;",
          "(multi-insert (from src) (insert-overwrite-table t1 (partition (= ds '1')) "
          "(select a b (where (> a 0)))) (insert-into-table t2 (select (call count *) (group-by c))))");
}

static void test_update_delete_explain(void **state)
{
    (void)state;
    CHECK("update t set a = 1, t.b = b + 1 where c > 2",
          "(update t (set a 1) (set t.b (+ b 1)) (where (> c 2)))");
    CHECK("update t partition (ds='1') set a = s.a from s where t.k = s.k",
          "(update t (partition (= ds '1')) (set a s.a) (from s) (where (= t.k s.k)))");
    CHECK("delete from t where a is null; delete from t partition (ds='1')",
          "(delete t (where (is-null a)))\n(delete t (partition (= ds '1')))");
    CHECK("merge into acid t using (select * from s) u on t.k = u.k "
          "when matched and u.op = 'D' then delete "
          "when matched then update set t.v = u.v, w = 1 "
          "when not matched then insert (k, v) values (u.k, u.v)",
          "(merge acid (alias t) (using (as (select * (from s)) u)) (on (= t.k u.k)) "
          "(when-matched (and (= u.op 'D')) delete) (when-matched update (set t.v u.v) (set w 1)) "
          "(when-not-matched insert (k v) (values u.k u.v)))");
    CHECK_ERR("merge into t using s on t.k = s.k when matched then insert values (1)",
              "ODPS-0130161:[1,53] Parse exception - invalid token 'insert'");
    CHECK_ERR("update t set f(x) = 1", "ODPS-0130161:[1,15] Parse exception - invalid token '('");
    CHECK("explain select 1; explain insert into t values (1)",
          "(explain (select 1))\n(explain (insert-into t (values (row 1))))");
}

/* ---- SELECT ---- */

static void test_select_clauses(void **state)
{
    (void)state;
    CHECK("select distinct a, b as c, d e, count(*) cnt from t where a > 1 group by a, b having count(*) > 1 "
          "order by a desc, b asc nulls last limit 10",
          "(select distinct a (as b c) (as d e) (as (call count *) cnt) (from t) (where (> a 1)) (group-by a b) "
          "(having (> (call count *) 1)) (order-by (desc a) (asc b nulls-last)) (limit 10))");
    CHECK("select all a from t limit 5 offset 2", "(select all a (from t) (limit 5 (offset 2)))");
    CHECK("select a from t limit 2, 5", "(select a (from t) (limit 5 (offset 2)))");
    CHECK("select a from t distribute by a sort by b desc", "(select a (from t) (distribute-by a) (sort-by (desc b)))");
    CHECK("select a from t cluster by a", "(select a (from t) (cluster-by a))");
    CHECK("select 1", "(select 1)");
    CHECK("from t where a = 1 select a", "(select a (from t) (where (= a 1)))");
    CHECK("select t.*, s.t.a, `select`.`from` from p.s.t", "(select t.* s.t.a select.from (from p.s.t))");
    CHECK("select `a b`, `x``y` from `中文`", "(select `a b` `x``y` (from `中文`))");
}

static void test_select_hints_are_kept(void **state)
{
    (void)state;
    CHECK("select /*+ MAPJOIN(b) */ a.x from a join b on a.k = b.k",
          "(select (hint 'MAPJOIN(b)') a.x (from (join a b (on (= a.k b.k)))))");
    /* a hint anywhere else is a comment */
    CHECK("select a /*+ nothing */ from t", "(select a (from t))");
}

static void test_joins(void **state)
{
    (void)state;
    CHECK("select * from a inner join b on a.k = b.k left outer join c on c.k = a.k right join d using (k) "
          "full outer join e on true cross join f left semi join g on g.k = a.k left anti join h on h.k = a.k, i",
          "(select * (from (comma-join (left-anti-join (left-semi-join (cross-join (full-join (right-join "
          "(left-join (join a b (on (= a.k b.k))) c (on (= c.k a.k))) d (using (k))) e (on TRUE)) f) "
          "g (on (= g.k a.k))) h (on (= h.k a.k))) i)))");
    CHECK("select * from a x join (select 1 k) y on x.k = y.k",
          "(select * (from (join (as a x) (as (select (as 1 k)) y) (on (= x.k y.k)))))");
    CHECK("select * from (a join b on a.k = b.k)", "(select * (from (join a b (on (= a.k b.k)))))");
    CHECK("select * from a as x left join b as y on x.k = y.k",
          "(select * (from (left-join (as a x) (as b y) (on (= x.k y.k)))))");
}

static void test_lateral_view(void **state)
{
    (void)state;
    CHECK("select id, c from t lateral view explode(arr) tmp as c",
          "(select id c (from (lateral-view t (call explode arr) tmp (c))))");
    CHECK("select * from t lateral view outer posexplode(arr) p as pos, v lateral view explode(m) q as k, w",
          "(select * (from (lateral-view (lateral-view-outer t (call posexplode arr) p (pos v)) "
          "(call explode m) q (k w))))");
    CHECK("select explode(arr) as (a, b) from t", "(select (as (call explode arr) (a b)) (from t))");
    /* after a join's ON condition the view applies to the whole join */
    CHECK("select a.id, c from a join b on a.id = b.id lateral view explode(split(b.s, ',')) t as c",
          "(select a.id c (from (lateral-view (join a b (on (= a.id b.id))) (call explode (call split b.s ',')) t "
          "(c))))");
    CHECK("select * from a left join b on a.k = b.k lateral view outer explode(m) t as k, v join c on c.k = t.k",
          "(select * (from (join (lateral-view-outer (left-join a b (on (= a.k b.k))) (call explode m) t (k v)) c "
          "(on (= c.k t.k)))))");
    CHECK_ERR("select * from a join b on a.k = b.k lateral explode(m) t as c",
              "ODPS-0130161:[1,45] Parse exception - invalid token 'explode'");
}

static void test_group_by_extensions(void **state)
{
    (void)state;
    CHECK("select a, b, grouping(a), grouping_id(a, b) from t group by rollup(a, b)",
          "(select a b (call grouping a) (call grouping_id a b) (from t) (group-by-rollup a b))");
    CHECK("select a from t group by cube(a, b)", "(select a (from t) (group-by-cube a b))");
    CHECK("select a from t group by grouping sets ((a, b), (c), (), d)",
          "(select a (from t) (grouping-sets (a b) (c) () (d)))");
    CHECK("select a from t group by a, b with rollup", "(select a (from t) (group-by-rollup a b))");
    /* the form of the MaxCompute GROUPING SETS page (reference §3.6 [GSETS]) */
    CHECK("select os, device, city, count(*) from requests group by os, device, city "
          "grouping sets ((os, device), (city), ())",
          "(select os device city (call count *) (from requests) (group-by os device city) "
          "(grouping-sets (os device) (city) ()))");
}

static void test_window_functions(void **state)
{
    (void)state;
    CHECK("select row_number() over (partition by dept order by sal desc) rn, "
          "sum(x) over (order by d rows between unbounded preceding and current row), "
          "avg(x) over (partition by a range between 1 preceding and 2 following), "
          "lag(x, 1, 0) over w, count(*) over () from t window w as (partition by a order by b)",
          "(select (as (call row_number (over (window (partition-by dept) (order-by (desc sal))))) rn) "
          "(call sum x (over (window (order-by d) (rows unbounded-preceding current-row)))) "
          "(call avg x (over (window (partition-by a) (range (preceding 1) (following 2))))) "
          "(call lag x 1 0 (over (window w))) (call count * (over (window))) (from t) "
          "(window-def w (window (partition-by a) (order-by b))))");
    CHECK("select sum(x) over (order by d rows 3 preceding) from t",
          "(select (call sum x (over (window (order-by d) (rows (preceding 3))))) (from t))");
}

static void test_set_operations_precedence(void **state)
{
    (void)state;
    /* INTERSECT binds tighter; UNION/EXCEPT/MINUS left to right; ORDER/LIMIT on the whole */
    CHECK("select a from t union all select b from u intersect select c from v except select d from w "
          "minus select e from x order by a limit 3",
          "(minus (except (union-all (select a (from t)) (intersect (select b (from u)) (select c (from v)))) "
          "(select d (from w))) (select e (from x)) (order-by a) (limit 3))");
    CHECK("select 1 union select 2 union distinct select 3 intersect all select 4 except all select 5",
          "(except-all (union-distinct (union (select 1) (select 2)) (intersect-all (select 3) (select 4))) "
          "(select 5))");
    CHECK("(select 1 union all select 2) intersect (select 3)",
          "(intersect (union-all (select 1) (select 2)) (select 3))");
}

static void test_ctes_and_subqueries(void **state)
{
    (void)state;
    CHECK("with a as (select 1 x), b (y) as (select 2) select * from a, b",
          "(with (cte a (select (as 1 x))) (cte b (y) (select 2)) (select * (from (comma-join a b))))");
    CHECK("select * from (select a from t) s where s.a in (select b from u) and exists (select 1 from v) "
          "and (select max(c) from w) > 1 and a not in (1, 2)",
          "(select * (from (as (select a (from t)) s)) (where (and (and (and (in s.a (select b (from u))) "
          "(exists (select 1 (from v)))) (> (subquery (select (call max c) (from w))) 1)) (not-in a 1 2))))");
    CHECK("select * from values (1, 'a'), (2, 'b') t(c1, c2)",
          "(select * (from (values (row 1 'a') (row 2 'b') t (c1 c2))))");
    CHECK("select not exists (select 1)", "(select (not (exists (select 1))))");
}

/* ---- expressions ---- */

static void test_expression_precedence(void **state)
{
    (void)state;
    EXPR("1 + 2 * 3", "(+ 1 (* 2 3))");
    EXPR("(1 + 2) * 3", "(* (+ 1 2) 3)");
    EXPR("1 - 2 - 3", "(- (- 1 2) 3)");
    EXPR("a / b % c div d", "(div (% (/ a b) c) d)");
    EXPR("a or b and not c", "(or a (and b (not c)))");
    EXPR("not a = b", "(not (= a b))");
    EXPR("a = 1 or b <> 2 and c != 3", "(or (= a 1) (and (<> b 2) (<> c 3)))");
    EXPR("a | b & c ^ d", "(| a (& b (^ c d)))");
    EXPR("a & b + c", "(& a (+ b c))");
    EXPR("a || b + c", "(|| a (+ b c))");
    EXPR("a || b | c", "(| (|| a b) c)");
    EXPR("a ^ b * c", "(* (^ a b) c)");
    EXPR("-a * -b", "(* (neg a) (neg b))");
    EXPR("~a + +b", "(+ (~ a) (pos b))");
    EXPR("- - 1", "(neg (neg 1))");
    EXPR("a + b = c * d", "(= (+ a b) (* c d))");
    EXPR("a <=> b and c is not null", "(and (<=> a b) (is-not-null c))");
    EXPR("a + 1 is null", "(is-null (+ a 1))");
    EXPR("x between 1 and 2 and y", "(and (between x 1 2) y)");
    EXPR("x not between a + 1 and b * 2", "(not-between x (+ a 1) (* b 2))");
    EXPR("a like 'x%' or b not rlike '^a' or c regexp 'b' or d not like 'y'",
         "(or (or (or (like a 'x%') (not-rlike b '^a')) (regexp c 'b')) (not-like d 'y'))");
    EXPR("a in (1, 2, 3) and b not in ('x')", "(and (in a 1 2 3) (not-in b 'x'))");
    EXPR("a is distinct from b", "(not (<=> a b))");
    EXPR("a is not distinct from b", "(<=> a b)");
    EXPR("a && b || c", "(and a (|| b c))");
    EXPR("!a", "(not a)");
}

static void test_expression_forms(void **state)
{
    (void)state;
    EXPR("case when a > 1 then 'x' when a > 0 then 'y' else 'z' end",
         "(case (when (> a 1) 'x') (when (> a 0) 'y') (else 'z'))");
    EXPR("case a when 1 then 2 end", "(case a (when 1 2))");
    EXPR("cast(a as bigint) + cast('1' as decimal(10, 2))", "(+ (cast a BIGINT) (cast '1' DECIMAL(10,2)))");
    EXPR("cast(x as map<string, array<int>>)", "(cast x MAP<STRING,ARRAY<INT>>)");
    EXPR("count(distinct a, b)", "(call count distinct a b)");
    EXPR("count(*)", "(call count *)");
    EXPR("sum(all x)", "(call sum x)");
    EXPR("if(a > 1, 'x', 'y')", "(call if (> a 1) 'x' 'y')");
    EXPR("replace(s, 'a', 'b')", "(call replace s 'a' 'b')");
    EXPR("p.myfunc(1)", "(call p.myfunc 1)");
    EXPR("now()", "(call now)");
    /* EXTRACT(unit FROM x) (§6.1) is the call extract('unit', x). */
    EXPR("extract(YEAR from ts + 1)", "(call extract 'YEAR' (+ ts 1))");
    EXPR("EXTRACT(minute FROM '2019-05-01 11:21:00')", "(call EXTRACT 'minute' '2019-05-01 11:21:00')");
    EXPR("extract(a, b)", "(call extract a b)");
    EXPR("extract(year from)", "ERROR ODPS-0130161:[1,18] Parse exception - invalid token ')'");
    EXPR("arr[0] + m['k'] + s.f + a[1][2]", "(+ (+ (+ ([] arr 0) ([] m 'k')) s.f) ([] ([] a 1) 2))");
    EXPR("named_struct('a', 1).a", "(. (call named_struct 'a' 1) a)");
    EXPR("arr[0].f.g", "(. (. ([] arr 0) f) g)");
    EXPR("map('k', array(1, 2))['k']", "([] (call map 'k' (call array 1 2)) 'k')");
    EXPR("date", "date");
    EXPR("1 +", "ERROR ODPS-0130161:[1,4] Parse exception - invalid token '<EOF>'");
    EXPR("a b", "ERROR ODPS-0130161:[1,3] Parse exception - invalid token 'b'");
    EXPR("(a).b", "(. a b)");
    EXPR("(*).b", "ERROR ODPS-0130161:[1,2] Parse exception - invalid token '*'");
    CHECK_ERR("select 1 + * from t", "ODPS-0130161:[1,12] Parse exception - invalid token '*'");
    EXPR("`date` + key + value + name", "(+ (+ (+ date key) value) name)");
}

static void test_literals(void **state)
{
    (void)state;
    EXPR("1", "1");
    EXPR("1Y", "1Y");
    EXPR("2s", "2S");
    EXPR("3L", "3L");
    EXPR("4BD", "4BD");
    EXPR("1.5", "1.5D");
    EXPR("1E+7", "1E+7D");
    EXPR("3.14F", "3.14F");
    EXPR("'abc' \"def\" 'g'", "'abcdefg'");
    EXPR("'\\u4e2d\\t'", "'\xe4\xb8\xad\\x09'");
    EXPR("X'616263'", "X'616263'");
    EXPR("null", "NULL");
    EXPR("true and FALSE", "(and TRUE FALSE)");
    EXPR("DATE '2017-11-11'", "(date '2017-11-11')");
    EXPR("datetime '2017-11-11 00:00:00'", "(datetime '2017-11-11 00:00:00')");
    EXPR("TIMESTAMP '2017-11-11 00:00:00.123456789'", "(timestamp '2017-11-11 00:00:00.123456789')");
    EXPR("TIMESTAMP_NTZ '2017-11-11 00:00:00'", "(timestamp_ntz '2017-11-11 00:00:00')");
}

/* ---- positions ---- */

static void test_nodes_carry_source_positions(void **state)
{
    (void)state;
    sql_arena *a = sql_arena_new();
    sql_script *sc;
    sql_error err;
    assert_int_equal(sql_parse(&sc, a, "select 1;\n  select *\n  from dual d where x > 1;", &err), 0);
    assert_int_equal(sc->stmts.n, 2);
    sql_stmt *s = sc->stmts.items[1];
    assert_int_equal(s->pos.line, 2);
    assert_int_equal(s->pos.col, 3);
    assert_string_equal(s->text, "select *\n  from dual d where x > 1");
    sql_select *sel = s->query->select;
    sql_table_ref *from = sel->from;
    assert_int_equal(from->kind, SQL_TREF_TABLE);
    assert_int_equal(from->name.pos.line, 3);
    assert_int_equal(from->name.pos.col, 8);
    sql_expr *w = sel->where;
    assert_int_equal(w->pos.col, 21);
    assert_int_equal(w->right->pos.col, 25);
    sql_arena_free(a);

    /* `IF(FALSE, 0/0, 1.0)` is reported at the '/' ([1,19], reference §1.5) */
    a = sql_arena_new();
    assert_int_equal(sql_parse(&sc, a, "select IF(FALSE, 0/0, 1.0) from t;", &err), 0);
    sql_expr *call = ((sql_select_item *)((sql_stmt *)sc->stmts.items[0])->query->select->items.items[0])->expr;
    sql_expr *div = call->args.items[1];
    assert_int_equal(div->op, SQL_OP_DIV);
    assert_int_equal(div->pos.col, 18);
    assert_int_equal(div->op_pos.col, 19);
    sql_arena_free(a);

    /* `column repeated in creation: a` is reported at [1,37], the repeated column (§3.2) */
    a = sql_arena_new();
    assert_int_equal(sql_parse(&sc, a, "create table t (a BIGINT, b BIGINT, a BIGINT);", &err), 0);
    sql_stmt *ct = sc->stmts.items[0];
    assert_string_equal(sql_stmt_kind_name(ct->kind), "CREATE TABLE");
    assert_int_equal(((sql_column_def *)ct->columns.items[2])->pos.col, 37);
    assert_int_equal(ct->name.pos.col, 14);
    sql_arena_free(a);

    /* ORDER BY without LIMIT is reported at the ORDER keyword ([4,1] in §5.2) */
    a = sql_arena_new();
    assert_int_equal(sql_parse(&sc, a, "select a\nfrom t\nwhere a > 1\norder by a;", &err), 0);
    sql_query *oq = ((sql_stmt *)sc->stmts.items[0])->query;
    assert_int_equal(oq->order_pos.line, 4);
    assert_int_equal(oq->order_pos.col, 1);
    sql_arena_free(a);

    /* `select * from dual` -> the binder reports [1,15], the table token (§4.1) */
    a = sql_arena_new();
    assert_int_equal(sql_parse(&sc, a, "select * from dual;", &err), 0);
    sql_stmt *q = sc->stmts.items[0];
    assert_int_equal(q->query->select->from->name.pos.col, 15);
    assert_string_equal(q->text, "select * from dual");
    sql_arena_free(a);
}

/* ---- errors: code, [line,col], text (§5.2) ---- */

static void test_documented_parse_errors(void **state)
{
    (void)state;
    /* gomaxcompute driver tests against the live service */
    CHECK_ERR("SLEECT CAST(\"\\001\" AS string) AS a;", "ODPS-0130161:[1,1] Parse exception - invalid token 'SLEECT'");
    CHECK_ERR("DROP ;", "ODPS-0130161:[1,6] Parse exception - invalid token ';'");
    /* reference §3.6 / [INCOMPAT] */
    CHECK_ERR("select * as alias from t;", "ODPS-0130161:[1,10] Parse exception - invalid token 'as'");
    /* reference §1.7 */
    CHECK_ERR("select split(key, \"\\01\"), value like \"\\0001\" from t;",
              "ODPS-0130161:[1,19] Parse exception - unexpected escape sequence: 01");
    /* unreplaced ${var} (§5.2 [DWFAQ]) */
    CHECK_ERR("select * from t where ds = ${bizdate}", "ODPS-0130161:[1,28] Parse exception - invalid token '$'");
}

static void test_error_positions(void **state)
{
    (void)state;
    CHECK_ERR("select a,\n  b c d from t", "ODPS-0130161:[2,7] Parse exception - invalid token 'd'");
    CHECK_ERR("select * from", "ODPS-0130161:[1,14] Parse exception - invalid token '<EOF>'");
    CHECK_ERR("select 1;\nselect 2 3 4", "ODPS-0130161:[2,10] Parse exception - invalid token '3'");
    CHECK_ERR("select from t", "ODPS-0130161:[1,8] Parse exception - invalid token 'from'");
    CHECK_ERR("select a from t where", "ODPS-0130161:[1,22] Parse exception - invalid token '<EOF>'");
    CHECK_ERR("select (1 + 2", "ODPS-0130161:[1,14] Parse exception - invalid token '<EOF>'");
    CHECK_ERR("select f(1,)", "ODPS-0130161:[1,12] Parse exception - invalid token ')'");
    CHECK_ERR("select case end", "ODPS-0130161:[1,13] Parse exception - invalid token 'end'");
    CHECK_ERR("select 1 from t order by a nulls middle", "ODPS-0130161:[1,34] Parse exception - invalid token 'middle'");
    CHECK_ERR("select a.b.c.d from p.s.t.u", "ODPS-0130161:[1,27] Parse exception - invalid token 'u'");
    CHECK_ERR("select 'a' from t where x = '中文' and y = @",
              "ODPS-0130161:[1,42] Parse exception - invalid token '@'");
    CHECK_ERR("create table t (id bigint, select string)", "ODPS-0130161:[1,28] Parse exception - invalid token 'select'");
    CHECK_ERR("select * from t join u on", "ODPS-0130161:[1,26] Parse exception - invalid token '<EOF>'");
    CHECK_ERR("insert into t values (1", "ODPS-0130161:[1,24] Parse exception - invalid token '<EOF>'");
    CHECK_ERR("select a from t limit", "ODPS-0130161:[1,22] Parse exception - invalid token '<EOF>'");
    CHECK_ERR("select 1 union select", "ODPS-0130161:[1,22] Parse exception - invalid token '<EOF>'");
    CHECK_ERR("select 'x", "ODPS-0130161:[1,8] Parse exception - invalid token '''");
    CHECK_ERR("select\t\tfoo bar baz", "ODPS-0130161:[1,17] Parse exception - invalid token 'baz'");
}

static void test_empty_statements_are_skipped(void **state)
{
    (void)state;
    CHECK("", "");
    CHECK(";;  ; -- only a comment\n", "");
    CHECK(";select 1;;select 2;", "(select 1)\n(select 2)");
}

/* FROM t TIMESTAMP | VERSION AS OF expr, before or after the alias; BETWEEN
 * is the incremental form; both words stay usable as aliases. */
static void test_time_travel_clauses(void **state)
{
    (void)state;
    CHECK("select * from t version as of 2", "(select * (from (version-as-of t 2)))");
    CHECK("select * from s.t TIMESTAMP AS OF '2024-01-01 00:00:00' where a > 1",
          "(select * (from (timestamp-as-of s.t '2024-01-01 00:00:00')) (where (> a 1)))");
    CHECK("select * from t version as of 'tag1' x", "(select * (from (as (version-as-of t 'tag1') x)))");
    CHECK("select * from t x version as of 1 + 1", "(select * (from (as (version-as-of t (+ 1 1)) x)))");
    CHECK("select * from t timestamp between '2024-01-01' and '2024-01-02'",
          "(select * (from (timestamp-between t '2024-01-01' '2024-01-02')))");
    CHECK("select * from t a join t version as of 1 b on a.id = b.id",
          "(select * (from (join (as t a) (as (version-as-of t 1) b) (on (= a.id b.id)))))");
    CHECK("select timestamp from t timestamp", "(select timestamp (from (as t timestamp)))");
    CHECK("select * from t version", "(select * (from (as t version)))");
    CHECK_ERR("select * from t version as of", "ODPS-0130161:[1,30] Parse exception - invalid token '<EOF>'");
    CHECK_ERR("select * from t version as 1", "ODPS-0130161:[1,25] Parse exception - invalid token 'as'");
}

static void test_deep_nesting_is_an_error_not_a_crash(void **state)
{
    (void)state;
    size_t n = 20000;
    char *s = malloc(n * 2 + 16);
    strcpy(s, "select ");
    size_t k = strlen(s);
    for (size_t i = 0; i < n; i++)
        s[k++] = '(';
    s[k++] = '1';
    for (size_t i = 0; i < n; i++)
        s[k++] = ')';
    s[k] = '\0';
    const char *r = parse_print(s);
    assert_true(strncmp(r, "ERROR ODPS-0130161:[1,", 22) == 0);
    /* a long flat chain is iterative and fine */
    k = 0;
    strcpy(s, "select 1");
    k = strlen(s);
    for (size_t i = 0; i < 5000; i++) {
        s[k++] = '+';
        s[k++] = '1';
    }
    s[k] = '\0';
    assert_true(strncmp(parse_print(s), "(select (+ (+ ", 14) == 0);
    free(s);
}

/* Deterministic mutation loop: random edits of valid statements must parse or
 * fail with a well-formed ODPS-0130161 error, never crash or leak (ASan). */
static void test_mutated_inputs_never_crash(void **state)
{
    (void)state;
    static const char *seeds[] = {
        "SET odps.namespace.schema=true; SHOW SCHEMAS; USE SCHEMA default; SHOW TABLES;",
        "CREATE TABLE IF NOT EXISTS t (id BIGINT, name STRING) PARTITIONED BY (ds STRING) LIFECYCLE 3;",
        "INSERT INTO t PARTITION (ds='1') VALUES (101, 'Zhang San'), (102, 'Li Si');",
        "with a as (select 1 x) select /*+ mapjoin(b) */ a.x, b.*, sum(y) over (partition by z order by w "
        "rows between 1 preceding and current row) from a left join b on a.x=b.y lateral view explode(m) t as k, v "
        "where x in (select 1) and y between 1 and 2 group by grouping sets ((a),()) having count(*)>1 "
        "order by a desc nulls last limit 1, 2;",
        "select case when a then cast(b as array<struct<x:int,y:map<string,decimal(10,2)>>>) end, '\\001', "
        "X'61', 1Y+2S*3L/4BD%5.5D div 6F, DATE '2017-01-01' from t union all select 1 intersect select 2;",
        "FROM s INSERT OVERWRITE TABLE t1 PARTITION (a) SELECT x INSERT INTO t2 SELECT y; ALTER TABLE t ADD COLUMNS (c INT);",
        "update t set a = 1 where b; delete from t where c; explain select 1; desc extended t; drop table if exists t;",
        "merge into t a using (select * from s) b on a.k = b.k when matched and b.d then delete when matched then "
        "update set v = b.v when not matched then insert (k) values (b.k); create or replace view v (x) as select 1;",
        "alter table t drop partition (ds > '1' and ds like '2%'); create external table e (a int) clustered by (a) "
        "sorted by (a desc) into 2 buckets stored by 'h' with serdeproperties ('a'='b') location 'oss://x';",
    };
    static const char junk[] = "()[],;.'\"`*+-/%<>=!|&^~:$@ \n\tselectfromwhere01YLSBD\\";
    unsigned long long rng = 0x9E3779B97F4A7C15ULL;
    char buf[1024];
    for (int iter = 0; iter < 30000; iter++) {
        const char *seed = seeds[iter % (sizeof seeds / sizeof seeds[0])];
        size_t len = strlen(seed);
        memcpy(buf, seed, len + 1);
        int edits = 1 + (int)((rng >> 33) % 4);
        for (int e = 0; e < edits; e++) {
            rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
            size_t pos = len ? (size_t)((rng >> 33) % len) : 0;
            char c = junk[(rng >> 20) % (sizeof junk - 1)];
            switch ((rng >> 10) % 4) {
            case 0: buf[pos] = c; break;                                /* replace */
            case 1: buf[pos] = '\0'; len = pos; break;                  /* truncate */
            case 2:                                                      /* insert */
                if (len + 1 < sizeof buf) {
                    memmove(buf + pos + 1, buf + pos, len - pos + 1);
                    buf[pos] = c;
                    len++;
                }
                break;
            case 3:                                                      /* delete */
                if (len) {
                    memmove(buf + pos, buf + pos + 1, len - pos);
                    len--;
                }
                break;
            }
        }
        sql_arena *a = sql_arena_new();
        sql_script *sc = NULL;
        sql_error err;
        int rc = sql_parse(&sc, a, buf, &err);
        if (rc == 0) {
            mc_buf b = MC_BUF_INIT;
            sql_script_print(&b, sc);
            mc_buf_free(&b);
        } else {
            assert_string_equal(err.code, "ODPS-0130161");
            assert_true(err.has_pos && err.line >= 1 && err.col >= 1);
            assert_string_equal(err.desc, "Parse exception");
        }
        sql_arena_free(a);
    }
}

static void test_script_split_follows_odpscmd(void **state)
{
    (void)state;
    sql_arena *a = sql_arena_new();
    sql_list parts = {0};
    sql_script_split(&parts, a,
                     "-- header\nSET odps.namespace.schema=true;\n\n  select 'a;b', \"c;\\\"d\", `e;f` /* ; */ from t ;"
                     ";  \n-- only a comment;\ninsert into t values (1) -- tail");
    assert_int_equal(parts.n, 3);
    sql_stmt_text *t0 = parts.items[0], *t1 = parts.items[1], *t2 = parts.items[2];
    assert_string_equal(t0->text, "SET odps.namespace.schema=true");
    assert_int_equal(t0->line, 2);
    assert_int_equal(t0->col, 1);
    assert_string_equal(t1->text, "select 'a;b', \"c;\\\"d\", `e;f` /* ; */ from t");
    assert_int_equal(t1->line, 4);
    assert_int_equal(t1->col, 3);
    assert_string_equal(t2->text, "insert into t values (1) -- tail");
    assert_int_equal(t2->line, 6);
    /* each statement parses on its own, with positions relative to it */
    sql_stmt *st;
    sql_error err;
    assert_int_equal(sql_parse_stmt(&st, a, t1->text, &err), 0);
    assert_int_equal(st->query->select->from->name.pos.line, 1);
    assert_int_equal(st->query->select->from->name.pos.col, 43);
    assert_int_equal(sql_parse_stmt(&st, a, "select 1;", &err), 0);
    assert_int_equal(sql_parse_stmt(&st, a, "select 1; select 2", &err), -1);
    assert_string_equal(err.code, "ODPS-0130161");
    assert_int_equal(err.col, 11);
    /* an unterminated literal swallows the rest; parsing then reports it */
    parts = (sql_list){0};
    sql_script_split(&parts, a, "select 1; select 'x; select 2");
    assert_int_equal(parts.n, 2);
    assert_int_equal(sql_parse_stmt(&st, a, ((sql_stmt_text *)parts.items[1])->text, &err), -1);
    assert_int_equal(err.col, 8);
    sql_arena_free(a);
}

static void test_parse_n_treats_nul_as_invalid_token(void **state)
{
    (void)state;
    sql_arena *a = sql_arena_new();
    sql_script *sc;
    sql_error err;
    assert_int_equal(sql_parse_n(&sc, a, "select 1\0 from t", 16, &err), -1);
    assert_string_equal(err.code, "ODPS-0130161");
    assert_int_equal(err.col, 9);
    sql_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_flow_parses_statement_by_statement),
        cmocka_unit_test(test_seed_flow_partitioned_variants),
        cmocka_unit_test(test_set_keeps_raw_key_and_value),
        cmocka_unit_test(test_show_use_desc_forms),
        cmocka_unit_test(test_schema_ddl),
        cmocka_unit_test(test_create_table_full_form),
        cmocka_unit_test(test_create_table_storage_clauses),
        cmocka_unit_test(test_create_table_as_and_like),
        cmocka_unit_test(test_all_types_parse),
        cmocka_unit_test(test_views),
        cmocka_unit_test(test_drop_truncate_table),
        cmocka_unit_test(test_alter_table_forms),
        cmocka_unit_test(test_insert_forms),
        cmocka_unit_test(test_multi_insert),
        cmocka_unit_test(test_update_delete_explain),
        cmocka_unit_test(test_select_clauses),
        cmocka_unit_test(test_select_hints_are_kept),
        cmocka_unit_test(test_joins),
        cmocka_unit_test(test_time_travel_clauses),
        cmocka_unit_test(test_lateral_view),
        cmocka_unit_test(test_group_by_extensions),
        cmocka_unit_test(test_window_functions),
        cmocka_unit_test(test_set_operations_precedence),
        cmocka_unit_test(test_ctes_and_subqueries),
        cmocka_unit_test(test_expression_precedence),
        cmocka_unit_test(test_expression_forms),
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_nodes_carry_source_positions),
        cmocka_unit_test(test_documented_parse_errors),
        cmocka_unit_test(test_error_positions),
        cmocka_unit_test(test_empty_statements_are_skipped),
        cmocka_unit_test(test_deep_nesting_is_an_error_not_a_crash),
        cmocka_unit_test(test_mutated_inputs_never_crash),
        cmocka_unit_test(test_script_split_follows_odpscmd),
        cmocka_unit_test(test_parse_n_treats_nul_as_invalid_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
