/*
 * The configuration that the command line becomes.  Everything downstream
 * (layout, loaders, DTB, realm plan, backends) reads only this structure,
 * never argv, so the dry run and a real launch see identical inputs.
 */
#ifndef REALMVM_CONFIG_H
#define REALMVM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "realm/host_profile.h"

#define MAX_VCPUS	64
#define MAX_DISKS	8
#define MAX_NETS	4
#define RPV_SIZE	64
/* arm64 COMMAND_LINE_SIZE (arch/arm64/include/uapi/asm/setup.h), NUL included */
#define GUEST_CMDLINE_MAX	2048

enum console_type {
	CONSOLE_SERIAL,
	CONSOLE_VIRTIO,
};

enum hash_algo {
	HASH_SHA256 = 0,	/* RmiHashAlgorithm encoding */
	HASH_SHA512 = 1,
};

struct disk_config {
	const char *path;
	bool readonly;
};

struct config {
	/* Payload */
	const char *kernel_path;
	const char *initrd_path;
	const char *dtb_path;		/* user DTB, used as is */
	const char *cmdline;		/* -p; NULL means empty */

	/* Machine */
	uint64_t ram_size;		/* bytes */
	unsigned int nr_cpus;
	enum console_type console;
	struct disk_config disks[MAX_DISKS];
	unsigned int nr_disks;
	const char *tap_names[MAX_NETS];
	unsigned int nr_nets;
	bool rng;
	bool no_reboot;

	/* Realm */
	bool realm;
	enum hash_algo hash_algo;
	bool hash_algo_set;
	uint8_t rpv[RPV_SIZE];		/* zero-padded */
	bool rpv_set;
	unsigned int sve_vl;		/* bits; 0 = SVE off */
	bool sve_vl_set;
	unsigned int pmu_counters;
	bool pmu_counters_set;
	unsigned int num_bps;		/* counts, not RMM encodings */
	bool num_bps_set;
	unsigned int num_wps;
	bool num_wps_set;
	bool lpa2;
	enum host_abi host;
	bool host_set;
	const char *host_config_path;
	bool measurement_log;		/* default on for realms */

	/* Output and modes */
	bool dry_run;
	bool json;
	bool trace;
	const char *dtb_out;
	const char *log_out;
	unsigned int nr_threads;	/* hashing threads for the RIM (1..64) */
	bool sandbox;			/* seccomp + capabilities; default on */

	/* Reference values for verifiers (dry run; docs/corim.md) */
	bool host_all;			/* --host all: every profile allowed */
	const char *corim_out;
	const char *comid_json_out;
	int corim_profile;		/* enum corim_profile */
	bool corim_profile_set;
	const char *corim_key;
	const char *corim_signer;
	const char *corim_cert;
	unsigned int corim_rem_mask;	/* bit N: --corim-rem N=HEX given */
	uint8_t corim_rem[4][64];
	size_t corim_rem_len[4];
};

#define MAX_HASH_THREADS	64

/* Defaults: 256 MiB, 1 vCPU, serial console, newest host profile. */
void config_init(struct config *cfg);
/* Hashing threads when none are asked for: the online CPUs, at most 64. */
unsigned int default_hash_threads(void);

#endif
