/*
 * Everything a launch prepares before any KVM call: images loaded into
 * guest memory, the layout, the devices, the DTB, and for realms the plan
 * and the event log.  The dry run stops after boot_prepare(); a launch
 * hands the same struct boot to a backend, which is why a dry run's RIM
 * is the RIM of the launch.
 */
#ifndef REALMVM_BOOT_H
#define REALMVM_BOOT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arm64/layout.h"
#include "realm/host_profile.h"
#include "realm/plan.h"
#include "realm/realm_config.h"
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
	/* A dry run with threads writes the log beside the RIM computation. */
	pthread_t log_thread;
	bool log_pending;
	int log_ret;
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
 * A dry run with more than one thread builds the event log on a thread of
 * its own, because hashing each blob whole for the log is as much work as
 * hashing it granule by granule for the RIM, and the two are independent
 * (the log region is populated unmeasured, so the RIM never reads it).
 * Call this before using b->log; it returns the log build's result.
 * boot_prepare() without threads, and every launch, builds the log before
 * it returns, and then this just returns 0.
 */
int boot_finish_log(struct boot *b);

#endif
