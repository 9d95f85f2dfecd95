// SPDX-License-Identifier: GPL-2.0
/*
 * The log lines' form: under the journal ($JOURNAL_STREAM naming stderr)
 * each carries its syslog priority and no timestamp; elsewhere, as before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ike/ike_sa.h"
#include "log.h"
#include "tap.h"

/* Run the three kinds of line with stderr on a file, under JOURNAL (or not); the file into BUF. */
static void capture(bool journal, char *buf, size_t size)
{
	char path[] = "/tmp/esptun-log-XXXXXX", stream[64];
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	bool was_quiet = ike_log_quiet;
	struct stat st;
	FILE *f;
	size_t n;

	buf[0] = '\0';
	if (fd < 0 || saved < 0 || fstat(fd, &st))
		return;
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	snprintf(stream, sizeof(stream), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)(journal ? st.st_ino : st.st_ino + 1));
	setenv("JOURNAL_STREAM", stream, 1);
	log_set_quiet(false);
	ike_log_quiet = false;
	log_error("an error");
	ike_warn("a warning");
	ike_log("some news");
	fflush(stderr);
	log_set_quiet(true);
	ike_log_quiet = was_quiet;
	unsetenv("JOURNAL_STREAM");
	dup2(saved, STDERR_FILENO);
	close(saved);
	f = fdopen(fd, "r");
	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
}

void test_log(void)
{
	char buf[1024];

	capture(true, buf, sizeof(buf));
	ok(!strcmp(buf, "<3>esptun: an error\n<4>a warning\n<6>some news\n"),
	   "log: under the journal, priorities <3> <4> <6> and no timestamps");
	capture(false, buf, sizeof(buf));
	ok(!strncmp(buf, "esptun: an error\n", 17) && !strchr(buf, '<') &&
		   strstr(buf, " a warning\n") && strstr(buf, " some news\n") && buf[19] == ':',
	   "log: another file's $JOURNAL_STREAM: plain lines, timestamped");
}
