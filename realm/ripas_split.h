/*
 * Internal to the plan builder: which RTT entries an RMM 1.0 INIT_RIPAS
 * sequence measures, given what the host did to the stage-2 tables
 * before.  See docs/rim.md, "The RIPAS split".
 */
#ifndef REALMVM_RIPAS_SPLIT_H
#define REALMVM_RIPAS_SPLIT_H

#include <stdint.h>

struct plan;

typedef int (*ripas_entry_fn)(uint64_t base, uint64_t top, void *opaque);

/*
 * Simulate the host's INIT_RIPAS loop over [base, top) after the ops
 * already in plan (their DATA pages and earlier RIPAS calls shape the
 * RTTs), calling entry() for every RTT entry the RMM measures, in order.
 * The loop follows plan->profile (ripas_skip_hack or not).
 */
int ripas_split(const struct plan *plan, uint64_t base, uint64_t top,
		ripas_entry_fn entry, void *opaque);

/* Start level of a 4K-granule stage 2 with s2sz IPA bits. */
int rtt_start_level(unsigned int s2sz);

#endif
