/*
 * The configuration that the command line becomes.  Everything downstream
 * (layout, loaders, DTB, devices, realm/ through realm_config_from())
 * reads only this structure, never argv, so the dry run and a real launch
 * see identical inputs.  It holds what the user asked for in plain C
 * types and knows no realm types: realm/realm_config.c interprets the
 * realm options.
 */
#ifndef REALMVM_CONFIG_H
#define REALMVM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_VCPUS	64
#define MAX_DISKS	8
#define MAX_NETS	4
#define MAX_9P		8
#define P9_TAG_MAX	32	/* bytes of a --9p mount tag, as kvmtool */
#define RPV_SIZE	64	/* bytes of a Realm Personalization Value */
#define VM_NAME_MAX	64	/* --name, a file name in the control directory */
#define MAC_LEN		6
/* arm64 COMMAND_LINE_SIZE (arch/arm64/include/uapi/asm/setup.h), NUL included */
#define GUEST_CMDLINE_MAX	2048

enum console_type {
	CONSOLE_SERIAL,
	CONSOLE_VIRTIO,
};

struct disk_config {
	const char *path;
	bool readonly;
};

/* -n mode=...: lkvm's network modes. */
enum net_mode {
	NET_MODE_TAP,
	NET_MODE_USER,		/* libslirp (devices/net_slirp.c) */
	NET_MODE_NONE,
};

struct net_config {
	enum net_mode mode;
	const char *tapif;		/* mode=tap: interface name */
	uint8_t mac[MAC_LEN];		/* guest_mac=, if mac_set */
	bool mac_set;
};

/* --9p DIR,TAG: a virtio-9p share of DIR that the guest mounts as TAG. */
struct p9_config {
	const char *dir;
	const char *tag;
};

struct config {
	/* Identity */
	const char *name;		/* --name, or "guest-<pid>" */

	/* Payload */
	const char *kernel_path;
	const char *initrd_path;
	const char *dtb_path;		/* user DTB, used as is */
	const char *firmware_path;	/* -f: replaces the kernel */
	const char *cmdline;		/* -p; NULL means empty */

	/* Machine */
	uint64_t ram_size;		/* bytes */
	unsigned int nr_cpus;
	enum console_type console;
	struct disk_config disks[MAX_DISKS];
	unsigned int nr_disks;
	struct net_config nets[MAX_NETS];	/* mode=none entries are dropped */
	unsigned int nr_nets;
	bool net_none;			/* -n mode=none was given */
	struct p9_config p9[MAX_9P];
	unsigned int nr_p9;
	bool rng;
	bool pmu;			/* --pmu: a PMUv3 for the guest */
	bool nodefaults;		/* --nodefaults (nothing implicit to drop) */
	bool no_reboot;

	/* Realm: as typed; realm/realm_config.c gives them meaning */
	bool realm;
	const char *measurement_algo;	/* NULL: default */
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
	const char *host_name;		/* --host NAME; NULL: not given */
	const char *host_config_path;
	bool measurement_log;		/* default on for realms */

	/* Output and modes */
	bool dry_run;
	bool json;
	bool trace;
	const char *dtb_out;		/* --dtb-out / --dump-dtb */
	const char *dtb_out_opt;	/* which of the two was given, for errors */
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

/* Defaults: 256 MiB, 1 vCPU, serial console, no name yet. */
void config_init(struct config *cfg);
/* Hashing threads when none are asked for: the online CPUs, at most 64. */
unsigned int default_hash_threads(void);

#endif
