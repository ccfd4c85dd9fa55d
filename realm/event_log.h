/*
 * Writer side of the TCG crypto-agile measurement event log.  The log is
 * generated from the realm plan, never from a second look at the images,
 * so it cannot disagree with the RIM.  Format: docs/event-log.md.
 */
#ifndef REALMVM_EVENT_LOG_H
#define REALMVM_EVENT_LOG_H

#include <stddef.h>
#include <stdint.h>

struct realm_config;
struct plan;
struct guest_mem;

/*
 * Write the log for plan into buf (max bytes; the rest of buf is zeroed).
 * Blob digests are taken over the exact blob bytes in gm.  Fails if the
 * log would not fit.  *len gets the number of bytes used.
 */
int event_log_build(const struct realm_config *cfg, const struct plan *plan,
		    const struct guest_mem *gm, uint8_t *buf, size_t max,
		    size_t *len);

/*
 * The same with each measured blob's digest already known, as
 * rim_measure_plan_blobs() leaves them (hash size bytes per plan op), so
 * no blob is read again.
 */
int event_log_build_blobs(const struct realm_config *cfg, const struct plan *plan,
			  const struct guest_mem *gm,
			  const uint8_t *blob_digests, uint8_t *buf,
			  size_t max, size_t *len);

#endif
