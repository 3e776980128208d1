/* password.h: password rules and hashing (libsodium argon2id). */
#ifndef GUILD_PASSWORD_H
#define GUILD_PASSWORD_H
#include <stddef.h>
#include "core/err.h"

#define PASSWORD_MIN 12
#define PASSWORD_MAX 256

/* Checks a new password: PASSWORD_MIN..PASSWORD_MAX characters of valid
 * UTF-8, not one of the 10,000 most common passwords (ignoring case), and
 * not the username. Returns 0 or -1 with e (422, field "password"). */
int password_check(const char *zPassword, const char *zUsername, gerr *e);
/* Hashes with crypto_pwhash_str (argon2id, interactive limits) into zOut
 * (at least PASSWORD_HASH_LEN bytes). Returns 0, or -1 when out of memory. */
#define PASSWORD_HASH_LEN 128
int password_hash(const char *zPassword, char *zOut);
/* 1 when zPassword matches zHash. */
int password_verify(const char *zHash, const char *zPassword);
/* Writes a random password of nChars (letters and digits) into zOut. */
void password_random(char *zOut, size_t nChars);
/* Spends the time of one verification, for unknown users (same answer,
 * same time). */
void password_verify_dummy(const char *zPassword);

#endif
