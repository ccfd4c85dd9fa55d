/*
 * A dry run's predictions: the RIM for the chosen host profile, or with
 * --host all for every profile the options allow, all measured from the
 * one prepared boot.  Also turns them into the CoRIM and JSON outputs.
 */
#ifndef REALMVM_PREDICT_H
#define REALMVM_PREDICT_H

#include <stddef.h>
#include <stdint.h>

#include "realm/host_profile.h"
#include "realm/plan.h"
#include "realm/realm_config.h"
#include "realm/rim.h"
#include "vmm/config.h"

struct boot;

struct prediction {
	size_t n;	/* 1, or up to HOST_ABI_COUNT with --host all */
	const struct host_profile *prof[HOST_ABI_COUNT];
	struct realm_params params[HOST_ABI_COUNT];
	uint8_t rim[HOST_ABI_COUNT][RIM_MAX_SIZE];
	/* run_predict() only: a copy of the first profile's event log */
	uint8_t *log;
	size_t log_len;
};

/*
 * --host all: point rc->host at the first profile the options allow, the
 * one boot_prepare() builds for.  -1 (printed) when none allows them.
 */
int predict_pick_first_host(struct realm_config *rc);

/*
 * Measure b's plan (building its event log when boot_measure() would),
 * and with --host all the plans of the other allowed profiles over the
 * same guest memory (each granule hashed once).
 */
int predict_rims(const struct config *cfg, struct boot *b,
		 rim_step_fn step, void *opaque, struct prediction *pr);

/* Write --corim and --comid-json; 0, or -1 with nothing written. */
int predict_write_refvals(const struct config *cfg,
			  const struct prediction *pr);

#endif
