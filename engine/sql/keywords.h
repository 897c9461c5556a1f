/*
 * Keyword table of the MaxCompute SQL lexer, as an X-macro:
 *   KW(NAME, reserved)
 * "reserved" marks the words MaxCompute documents as reserved (they need
 * back-quotes to be used as names): the list of doc-detail/27860 "SQL
 * summary / reserved words", see docs/sql-grammar.md. All other keywords are
 * contextual: they stay usable as table, column and alias names.
 * Kept sorted by name; sql_keyword_lookup relies on it (binary search).
 */
#ifndef SQL_KEYWORDS_H
#define SQL_KEYWORDS_H

#define SQL_KEYWORDS(KW) \
    KW(ADD, 1) KW(ALL, 1) KW(ALTER, 1) KW(AND, 1) KW(ANTI, 0) KW(ARRAY, 0) KW(AS, 1) KW(ASC, 1) \
    KW(BETWEEN, 1) KW(BIGINT, 1) KW(BINARY, 0) KW(BOOLEAN, 1) KW(BY, 1) \
    KW(CASE, 1) KW(CAST, 1) KW(CHANGE, 0) KW(CHAR, 0) KW(CLUSTER, 0) KW(COLUMN, 1) KW(COLUMNS, 0) \
    KW(COMMENT, 1) KW(CREATE, 1) KW(CROSS, 0) KW(CUBE, 0) KW(CURRENT, 0) \
    KW(DATE, 0) KW(DATETIME, 0) KW(DECIMAL, 0) KW(DELETE, 0) KW(DESC, 1) KW(DESCRIBE, 0) \
    KW(DISTINCT, 1) KW(DISTRIBUTE, 1) KW(DIV, 0) KW(DOUBLE, 1) KW(DROP, 1) \
    KW(ELSE, 1) KW(END, 0) KW(EXCEPT, 0) KW(EXISTS, 0) KW(EXPLAIN, 0) KW(EXTENDED, 0) KW(EXTERNAL, 0) \
    KW(FALSE, 1) KW(FIRST, 0) KW(FLOAT, 0) KW(FOLLOWING, 0) KW(FROM, 1) KW(FULL, 1) \
    KW(GROUP, 1) KW(GROUPING, 0) KW(HAVING, 0) \
    KW(IF, 1) KW(IN, 1) KW(INNER, 0) KW(INSERT, 1) KW(INT, 0) KW(INTEGER, 0) KW(INTERSECT, 0) \
    KW(INTO, 1) KW(IS, 1) KW(JOIN, 1) KW(KEY, 0) \
    KW(LAST, 0) KW(LATERAL, 0) KW(LEFT, 1) KW(LIFECYCLE, 1) KW(LIKE, 1) KW(LIMIT, 1) \
    KW(MAP, 0) KW(MAPJOIN, 1) KW(MINUS, 0) KW(NOT, 1) KW(NULL, 1) KW(NULLS, 0) \
    KW(OFFSET, 0) KW(ON, 1) KW(OR, 1) KW(ORDER, 1) KW(OUTER, 1) KW(OVER, 0) KW(OVERWRITE, 1) \
    KW(PARTITION, 1) KW(PARTITIONED, 0) KW(PARTITIONS, 0) KW(PRECEDING, 0) KW(PRIMARY, 0) \
    KW(RANGE, 0) KW(REGEXP, 0) KW(RENAME, 1) KW(REPLACE, 1) KW(RIGHT, 1) KW(RLIKE, 1) \
    KW(ROLLUP, 0) KW(ROW, 0) KW(ROWS, 0) \
    KW(SCHEMA, 0) KW(SCHEMAS, 0) KW(SELECT, 1) KW(SEMI, 0) KW(SET, 0) KW(SETS, 0) KW(SHOW, 0) \
    KW(SMALLINT, 0) KW(SORT, 1) KW(STRING, 1) KW(STRUCT, 0) \
    KW(TABLE, 1) KW(TABLES, 0) KW(TBLPROPERTIES, 0) KW(THEN, 1) KW(TIMESTAMP, 0) \
    KW(TIMESTAMP_NTZ, 0) KW(TINYINT, 0) KW(TO, 0) KW(TOUCH, 1) KW(TRUE, 1) KW(TRUNCATE, 0) \
    KW(UNBOUNDED, 0) KW(UNION, 1) KW(UPDATE, 0) KW(USE, 0) KW(USING, 0) \
    KW(VALUES, 0) KW(VARCHAR, 0) KW(VIEW, 1) KW(WHEN, 1) KW(WHERE, 1) KW(WINDOW, 0) KW(WITH, 0)

#endif
