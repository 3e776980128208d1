/* buf.h: growable byte buffer with a hard maximum size (curl-style). */
#ifndef GUILD_BUF_H
#define GUILD_BUF_H
#include <stddef.h>

typedef struct gbuf {
  char *z;       /* NUL-terminated contents, owned by the buffer */
  size_t n;      /* bytes used, not counting the NUL */
  size_t nAlloc;
  size_t nMax;   /* appends that would pass this fail */
} gbuf;

void gbuf_init(gbuf *b, size_t nMax);
/* Appends; returns 0, or -1 (buffer unchanged) when nMax would be passed. */
int gbuf_append(gbuf *b, const char *z, size_t n);
int gbuf_puts(gbuf *b, const char *z);
int gbuf_printf(gbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gbuf_reset(gbuf *b);   /* empties, keeps memory */
void gbuf_free(gbuf *b);

#endif
