/* Unit tests for paimon/predicate: --where expressions compiled against a
 * schema, evaluated with SQL's three-valued logic on typed values, and the
 * file tests behind partition pruning and file skipping (partition values,
 * value stats, _VALUE_STATS_COLS, null counts). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "paimon/binrow.h"
#include "paimon/predicate.h"
#include "paimon/schema.h"
#include "paimon/writer.h"
#include "timeutil.h"

/* id BIGINT, name STRING, amount DECIMAL(10, 2), day DATE, ts TIMESTAMP(3), dt STRING; partitioned by dt. */
static const char *SCHEMA_JSON =
    "{\"version\":3,\"id\":0,\"fields\":["
    "{\"id\":0,\"name\":\"id\",\"type\":\"BIGINT\"},"
    "{\"id\":1,\"name\":\"name\",\"type\":\"STRING\"},"
    "{\"id\":2,\"name\":\"amount\",\"type\":\"DECIMAL(10, 2)\"},"
    "{\"id\":3,\"name\":\"day\",\"type\":\"DATE\"},"
    "{\"id\":4,\"name\":\"ts\",\"type\":\"TIMESTAMP(3)\"},"
    "{\"id\":5,\"name\":\"dt\",\"type\":\"STRING\"}],"
    "\"highestFieldId\":5,\"partitionKeys\":[\"dt\"],\"primaryKeys\":[],\"options\":{}}";

enum { NF = 6 };

static paimon_schema *schema(void)
{
    paimon_schema *s;
    mc_err err;
    if (paimon_schema_parse(&s, SCHEMA_JSON, strlen(SCHEMA_JSON), &err))
        fail_msg("schema: %s", err.msg);
    return s;
}

static void row_of(paimon_datum *r, int64_t id, const char *name, paimon_i128 amount_cents, int64_t day,
                   int64_t ts_ms, const char *dt)
{
    r[0] = id < 0 ? paimon_datum_null() : paimon_datum_int(id);
    r[1] = name ? paimon_datum_bytes(name, strlen(name)) : paimon_datum_null();
    r[2] = amount_cents < 0 ? paimon_datum_null() : paimon_datum_decimal(amount_cents);
    r[3] = day < 0 ? paimon_datum_null() : paimon_datum_int(day);
    r[4] = paimon_datum_timestamp(ts_ms, 0);
    r[5] = dt ? paimon_datum_bytes(dt, strlen(dt)) : paimon_datum_null();
}

/* The ids (of rows 1..n, row i has id i) the predicate keeps, as "1,3". */
static char *kept(const paimon_schema *s, const char *where, paimon_datum rows[][NF], size_t n)
{
    paimon_pred *p;
    mc_err err;
    if (paimon_pred_parse(&p, s, where, &err))
        fail_msg("'%s': %s", where, err.msg);
    mc_buf b = MC_BUF_INIT;
    for (size_t i = 0; i < n; i++)
        if (paimon_pred_eval(p, rows[i]))
            mc_buf_printf(&b, "%s%zu", b.len ? "," : "", i + 1);
    paimon_pred_free(p);
    char *out = mc_strdup(mc_buf_cstr(&b));
    mc_buf_free(&b);
    return out;
}

#define ASSERT_KEPT(s, where, rows, want)                                  \
    do {                                                                   \
        char *got_ = kept(s, where, rows, sizeof rows / sizeof rows[0]);   \
        if (strcmp(got_, want) != 0)                                       \
            fail_msg("'%s' kept [%s], want [%s]", where, got_, want);      \
        free(got_);                                                        \
    } while (0)

static void test_rows_filter_with_typed_three_valued_comparisons(void **state)
{
    (void)state;
    paimon_schema *s = schema();
    int64_t d0 = mc_days_from_civil(2024, 1, 1);
    paimon_datum rows[4][NF];
    row_of(rows[0], 1, "a", 150, d0, 1704067200000, "2024-01-01");
    row_of(rows[1], 2, "b", -1, d0 + 1, 1704067200001, "2024-01-01");
    row_of(rows[2], 3, "\xc3\xa9", 3000, -1, 1704153600000, "2024-01-02");
    row_of(rows[3], 4, NULL, 425, d0 + 40, 1704153600000, NULL);
    ASSERT_KEPT(s, "id > 2 AND name = 'b'", rows, "");
    ASSERT_KEPT(s, "id >= 2 AND name = 'b'", rows, "2");
    ASSERT_KEPT(s, "name <> 'b'", rows, "1,3");          /* NULL name: unknown, dropped */
    ASSERT_KEPT(s, "NOT (name = 'b')", rows, "1,3");
    ASSERT_KEPT(s, "name > 'z'", rows, "3");             /* bytewise: 0xC3 > 'z' */
    ASSERT_KEPT(s, "dt IS NULL", rows, "4");
    ASSERT_KEPT(s, "dt IS NOT NULL AND day IS NULL", rows, "3");
    ASSERT_KEPT(s, "id IN (1, 4)", rows, "1,4");
    ASSERT_KEPT(s, "id NOT IN (1, 4)", rows, "2,3");
    ASSERT_KEPT(s, "id NOT IN (1, NULL)", rows, "");     /* x <> NULL is never TRUE */
    ASSERT_KEPT(s, "id = NULL OR id = 2", rows, "2");
    ASSERT_KEPT(s, "amount = 1.5", rows, "1");           /* DECIMAL exact at the column's scale */
    ASSERT_KEPT(s, "amount > 4.249", rows, "3,4");       /* and beyond it */
    ASSERT_KEPT(s, "amount <= 4.25000", rows, "1,4");
    ASSERT_KEPT(s, "-1 < id AND 3 >= id", rows, "1,2,3"); /* literal on the left */
    ASSERT_KEPT(s, "day BETWEEN '2024-01-01' AND DATE '2024-01-02'", rows, "1,2");
    ASSERT_KEPT(s, "day NOT BETWEEN '2024-01-01' AND '2024-01-02'", rows, "4");
    ASSERT_KEPT(s, "ts > '2024-01-01 00:00:00'", rows, "2,3,4");
    ASSERT_KEPT(s, "ts = '2024-01-01 00:00:00.001'", rows, "2");
    ASSERT_KEPT(s, "ts >= '2024-01-02'", rows, "3,4");
    ASSERT_KEPT(s, "ID = 3 OR NAME IS NULL", rows, "3,4"); /* names match case-insensitively */
    paimon_schema_free(s);
}

static void check_error(const paimon_schema *s, const char *where, mc_err_code code, const char *want)
{
    paimon_pred *p = NULL;
    mc_err err;
    if (paimon_pred_parse(&p, s, where, &err) == 0)
        fail_msg("'%s' compiled", where);
    assert_null(p);
    if (err.code != code || strcmp(err.msg, want) != 0)
        fail_msg("'%s': code %d '%s', want %d '%s'", where, err.code, err.msg, code, want);
}

static void test_bad_expressions_are_refused_clearly(void **state)
{
    (void)state;
    paimon_schema *s = schema();
    check_error(s, "nope = 1", MC_ERR_INVALID, "[1,1] the table has no column nope");
    check_error(s, "id = ", MC_ERR_INVALID, "ODPS-0130161:[1,6] Parse exception - invalid token '<EOF>'");
    check_error(s, "id = 'x'", MC_ERR_INVALID, "[1,6] x is not a valid BIGINT value for column id");
    check_error(s, "day = '2024-13-01'", MC_ERR_INVALID,
                "[1,7] 2024-13-01 is not a valid DATE value for column day");
    check_error(s, "name = 1", MC_ERR_INVALID, "[1,8] 1 is not a valid STRING value for column name");
    check_error(s, "id = name", MC_ERR_UNSUPPORTED,
                "[1,6] comparing with something other than a literal is not supported (a column compared with "
                "a literal, IS [NOT] NULL, [NOT] IN, [NOT] BETWEEN, AND, OR, NOT)");
    check_error(s, "name LIKE 'a%'", MC_ERR_UNSUPPORTED,
                "[1,1] LIKE is not supported (a column compared with a literal, IS [NOT] NULL, [NOT] IN, "
                "[NOT] BETWEEN, AND, OR, NOT)");
    paimon_schema_free(s);
}

/* An entry of partition dt with value stats over `ncols` columns. */
static void entry_of(paimon_manifest_entry *e, const paimon_schema *s, const char *dt, int64_t rows,
                     const paimon_datum *mins, const paimon_datum *maxs, const int64_t *nulls, char **cols,
                     size_t ncols)
{
    memset(e, 0, sizeof *e);
    const paimon_type *pt[1] = {s->fields[5].type};
    paimon_datum pv[1] = {dt ? paimon_datum_bytes(dt, strlen(dt)) : paimon_datum_null()};
    mc_buf b = MC_BUF_INIT;
    paimon_binrow_write_serialized(&b, pt, pv, 1);
    e->partition.data = (uint8_t *)b.data;
    e->partition.len = b.len;
    e->file.row_count = rows;
    if (!ncols)
        return;
    const paimon_type *types[NF];
    for (size_t i = 0; i < ncols; i++)
        types[i] = s->fields[paimon_schema_field_index(s, cols[i])].type;
    mc_buf mn = MC_BUF_INIT, mx = MC_BUF_INIT;
    paimon_binrow_write_serialized(&mn, types, mins, ncols);
    paimon_binrow_write_serialized(&mx, types, maxs, ncols);
    e->file.value_stats.min_values = (paimon_bytes){(uint8_t *)mn.data, mn.len};
    e->file.value_stats.max_values = (paimon_bytes){(uint8_t *)mx.data, mx.len};
    e->file.value_stats.has_null_counts = true;
    e->file.value_stats.null_counts = mc_calloc(ncols, sizeof(paimon_opt_long));
    e->file.value_stats.n_null_counts = ncols;
    for (size_t i = 0; i < ncols; i++)
        e->file.value_stats.null_counts[i] = (paimon_opt_long){true, nulls[i]};
    e->file.value_stats_cols.set = true;
    e->file.value_stats_cols.n = ncols;
    e->file.value_stats_cols.items = mc_calloc(ncols, sizeof(char *));
    for (size_t i = 0; i < ncols; i++)
        e->file.value_stats_cols.items[i] = mc_strdup(cols[i]);
}

static bool may_match(const paimon_schema *s, const char *where, const paimon_manifest_entry *e, bool use_stats)
{
    paimon_pred *p;
    mc_err err;
    if (paimon_pred_parse(&p, s, where, &err))
        fail_msg("'%s': %s", where, err.msg);
    bool may = false;
    if (paimon_pred_may_match(&may, p, e, use_stats, &err))
        fail_msg("'%s': %s", where, err.msg);
    paimon_pred_free(p);
    return may;
}

static void test_files_are_pruned_by_partition_and_skipped_by_stats(void **state)
{
    (void)state;
    paimon_schema *s = schema();
    /* id in [10, 20], amount in [1.00, 5.00] with 2 NULLs, name all NULL; 4 rows in dt=2024-01-01. */
    char *cols[] = {"id", "amount", "name"};
    paimon_datum mins[] = {paimon_datum_int(10), paimon_datum_decimal(100), paimon_datum_null()};
    paimon_datum maxs[] = {paimon_datum_int(20), paimon_datum_decimal(500), paimon_datum_null()};
    int64_t nulls[] = {0, 2, 4};
    paimon_manifest_entry e, dflt;
    entry_of(&e, s, "2024-01-01", 4, mins, maxs, nulls, cols, 3);
    entry_of(&dflt, s, NULL, 4, NULL, NULL, NULL, NULL, 0);
    /* partitions */
    assert_true(may_match(s, "dt = '2024-01-01'", &e, false));
    assert_false(may_match(s, "dt = '2024-01-02'", &e, false));
    assert_false(may_match(s, "dt > '2024-01-01' OR dt IS NULL", &e, false));
    assert_true(may_match(s, "dt IS NULL", &dflt, false));
    assert_false(may_match(s, "dt = '2024-01-01'", &dflt, false));
    assert_false(may_match(s, "dt = '2024-01-02' AND id = 15", &e, true));
    /* value stats only when asked */
    assert_true(may_match(s, "id > 20", &e, false));
    assert_false(may_match(s, "id > 20", &e, true));
    assert_true(may_match(s, "id >= 20", &e, true));
    assert_false(may_match(s, "id < 10 OR id IN (21, 30)", &e, true));
    assert_true(may_match(s, "id IN (9, 10)", &e, true));
    assert_false(may_match(s, "amount > 5", &e, true));
    assert_true(may_match(s, "amount > 4.999", &e, true));
    assert_false(may_match(s, "amount > 5.001", &e, true));
    assert_true(may_match(s, "amount IS NULL", &e, true));
    assert_false(may_match(s, "id IS NULL", &e, true));        /* null count 0 */
    assert_false(may_match(s, "name = 'a'", &e, true));        /* all NULL */
    assert_false(may_match(s, "name IS NOT NULL", &e, true));
    assert_true(may_match(s, "day = '2024-01-01'", &e, true)); /* no stats for day */
    /* stats of a file written under another schema bound nothing */
    e.file.schema_id = 1;
    assert_true(may_match(s, "id > 20", &e, true));
    assert_false(may_match(s, "dt = '2024-01-02'", &e, true));
    free(e.partition.data);
    paimon_data_file_meta_clear(&e.file);
    free(dflt.partition.data);
    paimon_data_file_meta_clear(&dflt.file);
    paimon_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_filter_with_typed_three_valued_comparisons),
        cmocka_unit_test(test_bad_expressions_are_refused_clearly),
        cmocka_unit_test(test_files_are_pruned_by_partition_and_skipped_by_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
