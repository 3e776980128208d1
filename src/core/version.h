/* version.h: guild's version, as `guild version`, the API's index and
 * health, and the OpenAPI document give it. */
#ifndef GUILD_VERSION_H
#define GUILD_VERSION_H

#define GUILD_VERSION "0.1.0"

#endif
