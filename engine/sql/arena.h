/*
 * sql_arena: a bump allocator for short-lived SQL structures (parse trees,
 * later plans). One arena per statement or script; everything allocated from
 * it is released at once by sql_arena_free, so error paths in the parser never
 * free node by node (STYLE.md, "an arena per request").
 *
 * Invariants: every block is owned by exactly one arena and freed only by
 * sql_arena_free; returned memory is zeroed and aligned for any scalar type;
 * pointers stay valid until the arena is freed (blocks never move).
 * Allocation failure aborts, like mc_malloc.
 */
#ifndef SQL_ARENA_H
#define SQL_ARENA_H

#include <stddef.h>

typedef struct sql_arena sql_arena;

sql_arena *sql_arena_new(void);
void sql_arena_free(sql_arena *a);               /* NULL is a no-op */
void *sql_arena_alloc(sql_arena *a, size_t n);   /* zeroed */
char *sql_arena_strndup(sql_arena *a, const char *s, size_t n);
char *sql_arena_strdup(sql_arena *a, const char *s);
size_t sql_arena_used(const sql_arena *a);        /* bytes handed out, for tests */

#endif
