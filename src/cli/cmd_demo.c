/* cmd_demo.c: `guild demo` (placeholder until the generator lands). */
#include "cli.h"
int cmd_demo(int argc, char **argv) { (void)argc; (void)argv; return CLI_FAIL; }
