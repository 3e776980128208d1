/* mem.h: allocation that never returns NULL (out of memory is a panic), and
 * a bump arena for per-request and per-command memory. */
#ifndef GUILD_MEM_H
#define GUILD_MEM_H
#include <stddef.h>

void *g_malloc(size_t n);                  /* caller frees */
void *g_calloc(size_t n, size_t size);     /* caller frees */
void *g_realloc(void *p, size_t n);        /* caller frees */
char *g_strdup(const char *z);             /* caller frees; NULL in, NULL out */

/* An arena hands out memory that is freed all at once by arena_free/reset. */
typedef struct arena_block arena_block;
typedef struct arena {
  arena_block *pHead;
  size_t nUsed;   /* total bytes handed out, for limits and tests */
} arena;

void arena_init(arena *a);
void *arena_alloc(arena *a, size_t n);          /* zeroed, 16-byte aligned */
char *arena_strdup(arena *a, const char *z);    /* NULL in, NULL out */
char *arena_strndup(arena *a, const char *z, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_reset(arena *a);   /* frees every block but the first, keeps it for reuse */
void arena_free(arena *a);    /* frees everything */

#endif
