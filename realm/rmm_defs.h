/*
 * RMM (DEN0137 1.0-rel0) structures that enter the Realm Initial
 * Measurement, declared field by field so that every offset is checked at
 * compile time against the specification's byte layout.
 */
#ifndef REALMVM_RMM_DEFS_H
#define REALMVM_RMM_DEFS_H

#include <stddef.h>
#include <stdint.h>

/* The structures are filled in place, so the host must be little-endian. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "RMM structures are little-endian");

#define RMM_GRANULE_SIZE	4096

/* RmiHashAlgorithm */
#define RMI_HASH_SHA_256	0
#define RMI_HASH_SHA_512	1

/* RmiDataFlags */
#define RMI_NO_MEASURE_CONTENT	0
#define RMI_MEASURE_CONTENT	1

/* RmiRealmFlags */
#define RMI_REALM_FLAGS_LPA2	(1ULL << 0)
#define RMI_REALM_FLAGS_SVE	(1ULL << 1)
#define RMI_REALM_FLAGS_PMU	(1ULL << 2)

/* RmiRecCreateFlags */
#define RMI_REC_RUNNABLE	(1ULL << 0)

#define RMI_RPV_SIZE		64
#define RMI_REC_GPRS		8
#define RMI_REC_MAX_AUX		16
#define RMM_MAX_MEASUREMENT	64

/*
 * RmiRealmParams.  The small fields are u32 values in 8-byte slots; only
 * the low byte can be non-zero for valid values.
 */
struct rmi_realm_params {
	uint64_t flags;				/* 0x000 */
	uint32_t s2sz;				/* 0x008 */
	uint8_t pad0[4];
	uint32_t sve_vl;			/* 0x010 */
	uint8_t pad1[4];
	uint32_t num_bps;			/* 0x018 */
	uint8_t pad2[4];
	uint32_t num_wps;			/* 0x020 */
	uint8_t pad3[4];
	uint32_t pmu_num_ctrs;			/* 0x028 */
	uint8_t pad4[4];
	uint8_t hash_algo;			/* 0x030 */
	uint8_t pad5[0x400 - 0x031];
	uint8_t rpv[RMI_RPV_SIZE];		/* 0x400 */
	uint8_t pad6[0x800 - 0x440];
	uint16_t vmid;				/* 0x800 */
	uint8_t pad7[6];
	uint64_t rtt_base;			/* 0x808 */
	int64_t rtt_level_start;		/* 0x810 */
	uint32_t rtt_num_start;			/* 0x818 */
	uint8_t pad8[RMM_GRANULE_SIZE - 0x81c];
};

_Static_assert(offsetof(struct rmi_realm_params, flags) == 0x000, "flags");
_Static_assert(offsetof(struct rmi_realm_params, s2sz) == 0x008, "s2sz");
_Static_assert(offsetof(struct rmi_realm_params, sve_vl) == 0x010, "sve_vl");
_Static_assert(offsetof(struct rmi_realm_params, num_bps) == 0x018,
	       "num_bps");
_Static_assert(offsetof(struct rmi_realm_params, num_wps) == 0x020,
	       "num_wps");
_Static_assert(offsetof(struct rmi_realm_params, pmu_num_ctrs) == 0x028,
	       "pmu_num_ctrs");
_Static_assert(offsetof(struct rmi_realm_params, hash_algo) == 0x030,
	       "hash_algo");
_Static_assert(offsetof(struct rmi_realm_params, rpv) == 0x400, "rpv");
_Static_assert(offsetof(struct rmi_realm_params, vmid) == 0x800, "vmid");
_Static_assert(offsetof(struct rmi_realm_params, rtt_base) == 0x808,
	       "rtt_base");
_Static_assert(offsetof(struct rmi_realm_params, rtt_level_start) == 0x810,
	       "rtt_level_start");
_Static_assert(offsetof(struct rmi_realm_params, rtt_num_start) == 0x818,
	       "rtt_num_start");
_Static_assert(sizeof(struct rmi_realm_params) == RMM_GRANULE_SIZE,
	       "RmiRealmParams size");

/* RmiRecParams: only flags, pc and gprs are measured (mpidr is not). */
struct rmi_rec_params {
	uint64_t flags;				/* 0x000 */
	uint8_t pad0[0x100 - 0x008];
	uint64_t mpidr;				/* 0x100 */
	uint8_t pad1[0x200 - 0x108];
	uint64_t pc;				/* 0x200 */
	uint8_t pad2[0x300 - 0x208];
	uint64_t gprs[RMI_REC_GPRS];		/* 0x300 */
	uint8_t pad3[0x800 - 0x340];
	uint64_t num_aux;			/* 0x800 */
	uint64_t aux[RMI_REC_MAX_AUX];		/* 0x808 */
	uint8_t pad4[RMM_GRANULE_SIZE - 0x888];
};

_Static_assert(offsetof(struct rmi_rec_params, flags) == 0x000, "flags");
_Static_assert(offsetof(struct rmi_rec_params, mpidr) == 0x100, "mpidr");
_Static_assert(offsetof(struct rmi_rec_params, pc) == 0x200, "pc");
_Static_assert(offsetof(struct rmi_rec_params, gprs) == 0x300, "gprs");
_Static_assert(offsetof(struct rmi_rec_params, num_aux) == 0x800, "num_aux");
_Static_assert(offsetof(struct rmi_rec_params, aux) == 0x808, "aux");
_Static_assert(sizeof(struct rmi_rec_params) == RMM_GRANULE_SIZE,
	       "RmiRecParams size");

/* Measurement descriptor types (RMM 1.0 A7.1.1). */
#define MEASURE_DESC_TYPE_DATA	0
#define MEASURE_DESC_TYPE_REC	1
#define MEASURE_DESC_TYPE_RIPAS	2
#define MEASURE_DESC_SIZE	0x100

/* The new RIM is the hash of one of these, carrying the old RIM in rim[]. */
struct measure_desc_data {
	uint8_t desc_type;			/* 0x00 */
	uint8_t pad0[7];
	uint64_t len;				/* 0x08 */
	uint8_t rim[RMM_MAX_MEASUREMENT];	/* 0x10 */
	uint64_t ipa;				/* 0x50 */
	uint64_t flags;				/* 0x58 */
	uint8_t content[RMM_MAX_MEASUREMENT];	/* 0x60 */
	uint8_t pad1[MEASURE_DESC_SIZE - 0xa0];
};

_Static_assert(offsetof(struct measure_desc_data, desc_type) == 0x00, "type");
_Static_assert(offsetof(struct measure_desc_data, len) == 0x08, "len");
_Static_assert(offsetof(struct measure_desc_data, rim) == 0x10, "rim");
_Static_assert(offsetof(struct measure_desc_data, ipa) == 0x50, "ipa");
_Static_assert(offsetof(struct measure_desc_data, flags) == 0x58, "flags");
_Static_assert(offsetof(struct measure_desc_data, content) == 0x60,
	       "content");
_Static_assert(sizeof(struct measure_desc_data) == MEASURE_DESC_SIZE,
	       "DATA descriptor size");

struct measure_desc_rec {
	uint8_t desc_type;			/* 0x00 */
	uint8_t pad0[7];
	uint64_t len;				/* 0x08 */
	uint8_t rim[RMM_MAX_MEASUREMENT];	/* 0x10 */
	uint8_t content[RMM_MAX_MEASUREMENT];	/* 0x50 */
	uint8_t pad1[MEASURE_DESC_SIZE - 0x90];
};

_Static_assert(offsetof(struct measure_desc_rec, desc_type) == 0x00, "type");
_Static_assert(offsetof(struct measure_desc_rec, len) == 0x08, "len");
_Static_assert(offsetof(struct measure_desc_rec, rim) == 0x10, "rim");
_Static_assert(offsetof(struct measure_desc_rec, content) == 0x50,
	       "content");
_Static_assert(sizeof(struct measure_desc_rec) == MEASURE_DESC_SIZE,
	       "REC descriptor size");

struct measure_desc_ripas {
	uint8_t desc_type;			/* 0x00 */
	uint8_t pad0[7];
	uint64_t len;				/* 0x08 */
	uint8_t rim[RMM_MAX_MEASUREMENT];	/* 0x10 */
	uint64_t base;				/* 0x50 */
	uint64_t top;				/* 0x58 */
	uint8_t pad1[MEASURE_DESC_SIZE - 0x60];
};

_Static_assert(offsetof(struct measure_desc_ripas, desc_type) == 0x00,
	       "type");
_Static_assert(offsetof(struct measure_desc_ripas, len) == 0x08, "len");
_Static_assert(offsetof(struct measure_desc_ripas, rim) == 0x10, "rim");
_Static_assert(offsetof(struct measure_desc_ripas, base) == 0x50, "base");
_Static_assert(offsetof(struct measure_desc_ripas, top) == 0x58, "top");
_Static_assert(sizeof(struct measure_desc_ripas) == MEASURE_DESC_SIZE,
	       "RIPAS descriptor size");

#endif
