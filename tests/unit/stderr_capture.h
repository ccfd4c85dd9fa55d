/*
 * Catching what the code under test prints on stderr, so a test can check
 * the one "realmvm: ..." line an error must give.  A header, not a .c
 * file, because every helper .c in tests/unit is linked into every test.
 * Include it after <cmocka.h>.
 */
#ifndef REALMVM_TEST_STDERR_CAPTURE_H
#define REALMVM_TEST_STDERR_CAPTURE_H

#include <stdio.h>
#include <unistd.h>

/* What stderr got between the last cap_begin() and cap_end(). */
static char errbuf[1024];
static FILE *cap_tmp;
static int cap_saved = -1;

static inline void cap_begin(void)
{
	cap_tmp = tmpfile();
	assert_non_null(cap_tmp);
	fflush(stderr);
	cap_saved = dup(STDERR_FILENO);
	assert_true(cap_saved >= 0);
	dup2(fileno(cap_tmp), STDERR_FILENO);
}

static inline void cap_end(void)
{
	size_t n;

	fflush(stderr);
	dup2(cap_saved, STDERR_FILENO);
	close(cap_saved);
	rewind(cap_tmp);
	n = fread(errbuf, 1, sizeof(errbuf) - 1, cap_tmp);
	errbuf[n] = '\0';
	fclose(cap_tmp);
}

#endif
