/* mem.c: checked allocation and the bump arena. */
#include "core/mem.h"
#include "core/err.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *g_malloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) g_panic("out of memory (%zu bytes)", n);
  return p;
}

void *g_calloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) g_panic("out of memory (%zu x %zu bytes)", n, size);
  return p;
}

void *g_realloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) g_panic("out of memory (%zu bytes)", n);
  return q;
}

char *g_strdup(const char *z) {
  if (!z) return NULL;
  size_t n = strlen(z) + 1;
  return memcpy(g_malloc(n), z, n);
}

struct arena_block {
  arena_block *pNext;
  size_t nSize, nUsed;
  _Alignas(16) unsigned char a[];
};

#define ARENA_BLOCK 8192

void arena_init(arena *a) { a->pHead = NULL; a->nUsed = 0; }

void *arena_alloc(arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  arena_block *b = a->pHead;
  if (!b || b->nSize - b->nUsed < n) {
    size_t nSize = n > ARENA_BLOCK ? n : ARENA_BLOCK;
    b = g_malloc(sizeof *b + nSize);
    b->nSize = nSize;
    b->nUsed = 0;
    b->pNext = a->pHead;
    a->pHead = b;
  }
  void *p = b->a + b->nUsed;
  b->nUsed += n;
  a->nUsed += n;
  memset(p, 0, n);
  return p;
}

char *arena_strndup(arena *a, const char *z, size_t n) {
  if (!z) return NULL;
  char *p = arena_alloc(a, n + 1);
  memcpy(p, z, n);
  p[n] = 0;
  return p;
}

char *arena_strdup(arena *a, const char *z) { return z ? arena_strndup(a, z, strlen(z)) : NULL; }

char *arena_printf(arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) g_panic("bad format %s", fmt);
  char *p = arena_alloc(a, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void arena_reset(arena *a) {
  arena_block *b = a->pHead;
  if (!b) return;
  /* keep the oldest block (the last in the list) to avoid malloc churn */
  while (b->pNext) {
    arena_block *n = b->pNext;
    free(b);
    b = n;
  }
  b->nUsed = 0;
  a->pHead = b;
  a->nUsed = 0;
}

void arena_free(arena *a) {
  arena_block *b = a->pHead;
  while (b) {
    arena_block *n = b->pNext;
    free(b);
    b = n;
  }
  a->pHead = NULL;
  a->nUsed = 0;
}
