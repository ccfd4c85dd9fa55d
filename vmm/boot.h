/*
 * Everything a launch prepares before any KVM call: images loaded into
 * guest memory, the layout, the devices, the DTB, and for realms the plan
 * and the event log.  The dry run stops after boot_prepare(); a launch
 * hands the same struct boot to a backend, which is why a dry run's RIM
 * is the RIM of the launch.
 */
#ifndef REALMVM_BOOT_H
#define REALMVM_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arm64/layout.h"
#include "realm/host_profile.h"
#include "realm/plan.h"
#include "realm/realm_config.h"
#include "realm/rim.h"
#include "vmm/config.h"
#include "vmm/guest_mem.h"

struct boot {
	const struct config *cfg;
	struct realm_config realm;		/* realms only */
	struct host_caps caps;
	const struct host_profile *profile;	/* realms only */
	unsigned int gic_version;		/* 3, or 2 on a GICv2-only host */
	struct layout lay;
	struct guest_mem gm;
	uint8_t *fdt;			/* the DTB as loaded (lay.dtb.size bytes) */
	struct realm_params params;	/* realms only */
	struct plan plan;		/* realms only */
	uint8_t *log;			/* event log in guest memory, or NULL */
	size_t log_len;			/* bytes of events (rest of the region is zero) */
	bool log_wanted;		/* a dry run builds the log even without --log-out */
};

/*
 * Load, lay out, build the DTB and (for realms) the plan and the log.
 * rc is what realm_config_from() made of cfg (read only for realms); caps
 * are the host capabilities to use (from KVM, --host-config or the
 * defaults).  On failure a one-line error has been printed.
 */
int boot_prepare(const struct config *cfg, const struct realm_config *rc,
		 const struct host_caps *caps,
		 unsigned int gic_version, struct boot *b);
void boot_release(struct boot *b);

/*
 * Realms, after boot_prepare(): compute the RIM (rim gets hash-size
 * bytes; step, which may be NULL, sees every step) and, when it is needed,
 * the event log in its region, with each blob's digest taken in the same
 * pass over guest memory.  A launch needs the log; a dry run only with
 * --log-out: the log is populated unmeasured, so skipping it cannot
 * change the RIM, and b->log stays NULL.
 */
int boot_measure(struct boot *b, rim_step_fn step, void *opaque,
		 uint8_t *rim);

/*
 * The same, and with --host all the RIMs of other host profiles' plans
 * over the same guest memory: plans[0] must be &b->plan (the log is
 * its); rims[i] gets plans[i]'s RIM.  Each measured granule is hashed
 * once per algorithm, in the pass that also digests the log's blobs.
 */
int boot_measure_plans(struct boot *b, const struct plan *const *plans,
		       size_t n, rim_step_fn step, void *opaque,
		       uint8_t (*rims)[RIM_MAX_SIZE]);

#endif
