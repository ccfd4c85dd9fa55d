/*
 * Comparing two realm event logs event by event: the log a realm came
 * with against the one a dry run writes for the launch a verifier
 * expects, so that a disagreement is named by its first event.
 */
#ifndef REALMVM_EVENT_LOG_DIFF_H
#define REALMVM_EVENT_LOG_DIFF_H

#include <stddef.h>

#include "realm/event_log_parse.h"

/*
 * Compare the measured events (PCR 0: REALM_CREATE, INIT_RIPAS, blobs,
 * REC_CREATE) of got against want, in order.  Returns 0 when they agree,
 * 1 with msg naming got's first divergent event and what differs.
 */
int event_log_diff(const struct event_log *got, const struct event_log *want,
		   char *msg, size_t size);

#endif
