/*
 * sql_arena: linked list of blocks, newest first. A request larger than the
 * default block size gets a block of its own, so the tail of the current block
 * is not wasted. See arena.h for the invariants.
 */
#include "sql/arena.h"

#include <assert.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define ARENA_BLOCK 8192

typedef struct arena_block {
    struct arena_block *next;
    size_t cap, used;
    alignas(max_align_t) unsigned char data[];
} arena_block;

struct sql_arena {
    arena_block *head;
    size_t total;
};

sql_arena *sql_arena_new(void)
{
    return mc_calloc(1, sizeof(sql_arena));
}

void sql_arena_free(sql_arena *a)
{
    if (!a)
        return;
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

static arena_block *block_new(size_t cap)
{
    arena_block *b = mc_malloc(sizeof(arena_block) + cap);
    b->next = NULL;
    b->cap = cap;
    b->used = 0;
    return b;
}

void *sql_arena_alloc(sql_arena *a, size_t n)
{
    assert(a);
    const size_t align = alignof(max_align_t);
    if (n == 0)
        n = 1;
    n = (n + align - 1) & ~(align - 1);
    arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        if (n > ARENA_BLOCK / 4) {
            /* big request: its own block, linked behind the current one */
            arena_block *big = block_new(n);
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                a->head = big;
            }
            big->used = n;
            a->total += n;
            memset(big->data, 0, n);
            return big->data;
        }
        b = block_new(ARENA_BLOCK);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    a->total += n;
    memset(p, 0, n);
    return p;
}

char *sql_arena_strndup(sql_arena *a, const char *s, size_t n)
{
    char *p = sql_arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sql_arena_strdup(sql_arena *a, const char *s)
{
    return sql_arena_strndup(a, s, strlen(s));
}

size_t sql_arena_used(const sql_arena *a)
{
    return a ? a->total : 0;
}
