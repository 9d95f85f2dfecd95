/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ESPTUN_SUBCOMMANDS_H
#define ESPTUN_SUBCOMMANDS_H

/*
 * Each subcommand gets ARGV from its own name on and returns 0 or an
 * exit code from log.h; on EXIT_USAGE main.c prints its usage text.
 */
int set_main(int argc, char **argv);
int sa_main(int argc, char **argv);
int show_main(int argc, char **argv);

extern const char set_usage[];
extern const char sa_usage[];
extern const char show_usage[];

#endif
