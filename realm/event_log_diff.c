/*
 * Event-by-event comparison of two parsed logs (event_log_diff.h).  Only
 * what the RMM measures takes part: EV_NO_ACTION records (Spec ID, VM
 * VERSION) name the VMM, not the realm, and differ between VMMs that
 * launch identical realms.
 */
#include <stdio.h>
#include <string.h>

#include "realm/event_log_diff.h"

static bool measured(const struct log_event *e)
{
	return e->pcr == 0 && (e->kind == LEV_REALM_CREATE ||
			       e->kind == LEV_INIT_RIPAS ||
			       e->kind == LEV_REC_CREATE ||
			       e->kind == LEV_BLOB);
}

static const struct log_event *next(const struct event_log *log, size_t *i)
{
	while (*i < log->nr_events && !measured(&log->events[*i]))
		(*i)++;
	return *i < log->nr_events ? &log->events[(*i)++] : NULL;
}

/* What differs between two events of the same kind, or NULL. */
static const char *differs(const struct log_event *a,
			   const struct log_event *b)
{
	switch (a->kind) {
	case LEV_REALM_CREATE:
		if (memcmp(&a->create, &b->create, sizeof(a->create)))
			return "REALM_CREATE parameters";
		break;
	case LEV_INIT_RIPAS:
		if (a->ripas.base != b->ripas.base ||
		    a->ripas.size != b->ripas.size)
			return "INIT_RIPAS range";
		break;
	case LEV_REC_CREATE:
		if (memcmp(&a->rec, &b->rec, sizeof(a->rec)))
			return "REC registers or flags";
		break;
	case LEV_BLOB:
		if (strcmp(a->blob.desc, b->blob.desc))
			return "blob name";
		if (a->blob.base != b->blob.base)
			return "blob address";
		if (a->blob.size != b->blob.size)
			return "blob size";
		break;
	default:
		break;
	}
	if (a->digest_count != b->digest_count ||
	    a->digest_size != b->digest_size ||
	    memcmp(a->digest, b->digest, a->digest_size))
		return "digest";
	return NULL;
}

int event_log_diff(const struct event_log *got, const struct event_log *want,
		   char *msg, size_t size)
{
	size_t i = 0, j = 0;
	const struct log_event *a, *b;
	const char *what;

	for (;;) {
		a = next(got, &i);
		b = next(want, &j);
		if (!a && !b)
			return 0;
		if (!a) {
			snprintf(msg, size, "the log ends where the expected launch has %s (expected event %zu)",
				 log_event_kind_name(b->kind), b->index);
			return 1;
		}
		if (!b) {
			snprintf(msg, size, "log event %zu at offset %zu (%s) is beyond the expected launch",
				 a->index, a->offset, log_event_kind_name(a->kind));
			return 1;
		}
		what = a->kind != b->kind ? "kind" : differs(a, b);
		if (what) {
			snprintf(msg, size, "log event %zu at offset %zu (%s%s%s): %s differs from the expected launch's %s",
				 a->index, a->offset,
				 log_event_kind_name(a->kind),
				 a->kind == LEV_BLOB ? " " : "",
				 a->kind == LEV_BLOB ? a->blob.desc : "", what,
				 log_event_kind_name(b->kind));
			return 1;
		}
	}
}
