/*
 * Wire structures of the TCG PC Client crypto-agile event log (PFP
 * v1.06) as the CCA realm measurement log uses them, plus the realm
 * specific "VM VERSION" record and EV_EVENT_TAG payloads that the QEMU
 * RFC and kvmtool-cca define.  Everything is little-endian on the wire;
 * the structures are packed and checked field by field so that reading
 * and writing can go through memcpy on a little-endian host.
 */
#ifndef REALMVM_TCG_DEFS_H
#define REALMVM_TCG_DEFS_H

#include <stddef.h>
#include <stdint.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "event log structures are copied as little-endian memory");

/* Event types (PFP 10.4.1) */
#define TCG_EV_NO_ACTION			0x00000003u
#define TCG_EV_EVENT_TAG			0x00000006u
#define TCG_EV_POST_CODE2			0x00000013u
#define TCG_EV_EFI_PLATFORM_FIRMWARE_BLOB2	0x8000000Au

/* TPM_ALG_ID values (TPM 2.0 Part 2, table 9) */
/* what the QEMU RFC and kvmtool write in EV_NO_ACTION digests */
#define TCG_ALG_NULL_ID		0x0000u
#define TCG_ALG_SHA1		0x0004u
#define TCG_ALG_SHA256		0x000Bu
#define TCG_ALG_SHA384		0x000Cu
#define TCG_ALG_SHA512		0x000Du

#define TCG_SHA1_SIZE		20
#define TCG_MAX_DIGEST_SIZE	64

/* First event: the legacy SHA-1 TCG_PCClientPCREvent. */
struct tcg_pcr_event_legacy {
	uint32_t pcr_index;
	uint32_t event_type;
	uint8_t digest[TCG_SHA1_SIZE];
	uint32_t event_data_size;
} __attribute__((packed));

_Static_assert(offsetof(struct tcg_pcr_event_legacy, pcr_index) == 0, "");
_Static_assert(offsetof(struct tcg_pcr_event_legacy, event_type) == 4, "");
_Static_assert(offsetof(struct tcg_pcr_event_legacy, digest) == 8, "");
_Static_assert(offsetof(struct tcg_pcr_event_legacy, event_data_size) == 28,
	       "");
_Static_assert(sizeof(struct tcg_pcr_event_legacy) == 32, "");

#define TCG_SPEC_ID_SIGNATURE		"Spec ID Event03"	/* 16 with NUL */
#define TCG_SPEC_ID_PLATFORM_CLASS	0
#define TCG_SPEC_ID_VERSION_MINOR	0
#define TCG_SPEC_ID_VERSION_MAJOR	2
#define TCG_SPEC_ID_ERRATA		106	/* "specRevision" in the RFC */
#define TCG_SPEC_ID_UINTN_SIZE		2	/* UINT64 */

/* TCG_EfiSpecIDEvent up to numberOfAlgorithms. */
struct tcg_spec_id_event_head {
	uint8_t signature[16];
	uint32_t platform_class;
	uint8_t spec_version_minor;
	uint8_t spec_version_major;
	uint8_t spec_errata;
	uint8_t uintn_size;
	uint32_t number_of_algorithms;
} __attribute__((packed));

_Static_assert(offsetof(struct tcg_spec_id_event_head, signature) == 0, "");
_Static_assert(offsetof(struct tcg_spec_id_event_head, platform_class) == 16,
	       "");
_Static_assert(offsetof(struct tcg_spec_id_event_head, spec_version_minor) ==
	       20, "");
_Static_assert(offsetof(struct tcg_spec_id_event_head, spec_version_major) ==
	       21, "");
_Static_assert(offsetof(struct tcg_spec_id_event_head, spec_errata) == 22, "");
_Static_assert(offsetof(struct tcg_spec_id_event_head, uintn_size) == 23, "");
_Static_assert(offsetof(struct tcg_spec_id_event_head,
			number_of_algorithms) == 24, "");
_Static_assert(sizeof(struct tcg_spec_id_event_head) == 28, "");

/* One TCG_EfiSpecIdEventAlgorithmSize entry. */
struct tcg_alg_size {
	uint16_t algorithm_id;
	uint16_t digest_size;
} __attribute__((packed));

_Static_assert(offsetof(struct tcg_alg_size, algorithm_id) == 0, "");
_Static_assert(offsetof(struct tcg_alg_size, digest_size) == 2, "");
_Static_assert(sizeof(struct tcg_alg_size) == 4, "");

/* head + one algorithm + vendorInfoSize (u8) = 33 bytes, as written. */
#define TCG_SPEC_ID_EVENT_SIZE_1ALG \
	(sizeof(struct tcg_spec_id_event_head) + \
	 sizeof(struct tcg_alg_size) + 1)
_Static_assert(TCG_SPEC_ID_EVENT_SIZE_1ALG == 33, "");

/*
 * TCG_PCR_EVENT2 up to the digest count; then count x {u16 alg, digest},
 * then u32 eventSize and the event data.
 */
struct tcg_pcr_event2_head {
	uint32_t pcr_index;
	uint32_t event_type;
	uint32_t digest_count;
} __attribute__((packed));

_Static_assert(offsetof(struct tcg_pcr_event2_head, pcr_index) == 0, "");
_Static_assert(offsetof(struct tcg_pcr_event2_head, event_type) == 4, "");
_Static_assert(offsetof(struct tcg_pcr_event2_head, digest_count) == 8, "");
_Static_assert(sizeof(struct tcg_pcr_event2_head) == 12, "");

/* The realm "VM VERSION" EV_NO_ACTION record (QEMU RFC / kvmtool-cca). */
#define VM_VERSION_SIGNATURE	"VM VERSION"
#define VM_VERSION_NAME		"realmvm"

struct vm_version_event {
	char signature[16];
	char name[32];
	char version[40];
	uint64_t ram_size;
	uint32_t num_cpus;
	uint32_t pad;
	uint64_t flags;
} __attribute__((packed));

_Static_assert(offsetof(struct vm_version_event, signature) == 0, "");
_Static_assert(offsetof(struct vm_version_event, name) == 16, "");
_Static_assert(offsetof(struct vm_version_event, version) == 48, "");
_Static_assert(offsetof(struct vm_version_event, ram_size) == 88, "");
_Static_assert(offsetof(struct vm_version_event, num_cpus) == 96, "");
_Static_assert(offsetof(struct vm_version_event, pad) == 100, "");
_Static_assert(offsetof(struct vm_version_event, flags) == 104, "");
_Static_assert(sizeof(struct vm_version_event) == 112, "");

/*
 * realmvm's use of VM VERSION flags (QEMU and kvmtool write 0): bits 7:0
 * hold the host profile (enum host_abi) + 1, so that `log verify` can
 * default to the profile the log was made for.  0 means "not recorded".
 */
#define VM_VERSION_FLAG_HOST_MASK	0xffULL

/* EV_EVENT_TAG data: TCG_PCClientTaggedEvent header, then the payload. */
struct tcg_tagged_event_head {
	uint32_t tagged_event_id;
	uint32_t tagged_event_data_size;
} __attribute__((packed));

_Static_assert(offsetof(struct tcg_tagged_event_head, tagged_event_id) == 0,
	       "");
_Static_assert(offsetof(struct tcg_tagged_event_head,
			tagged_event_data_size) == 4, "");
_Static_assert(sizeof(struct tcg_tagged_event_head) == 8, "");

#define REALM_TAG_REALM_CREATE	1
#define REALM_TAG_INIT_RIPAS	2
#define REALM_TAG_REC_CREATE	3

/* RMI_REALM_CREATE measured parameters, RMM encodings. */
struct realm_create_tag {
	uint64_t flags;
	uint8_t s2sz;
	uint8_t sve_vl;
	uint8_t num_bps;
	uint8_t num_wps;
	uint8_t pmu_num_ctrs;
	uint8_t hash_algo;
	uint8_t pad[2];
} __attribute__((packed));

_Static_assert(offsetof(struct realm_create_tag, flags) == 0, "");
_Static_assert(offsetof(struct realm_create_tag, s2sz) == 8, "");
_Static_assert(offsetof(struct realm_create_tag, sve_vl) == 9, "");
_Static_assert(offsetof(struct realm_create_tag, num_bps) == 10, "");
_Static_assert(offsetof(struct realm_create_tag, num_wps) == 11, "");
_Static_assert(offsetof(struct realm_create_tag, pmu_num_ctrs) == 12, "");
_Static_assert(offsetof(struct realm_create_tag, hash_algo) == 13, "");
_Static_assert(offsetof(struct realm_create_tag, pad) == 14, "");
_Static_assert(sizeof(struct realm_create_tag) == 16, "");

/* One host INIT_RIPAS request: size, not top. */
struct init_ripas_tag {
	uint64_t base;
	uint64_t size;
} __attribute__((packed));

_Static_assert(offsetof(struct init_ripas_tag, base) == 0, "");
_Static_assert(offsetof(struct init_ripas_tag, size) == 8, "");
_Static_assert(sizeof(struct init_ripas_tag) == 16, "");

/* The measured part of RmiRecParams of the runnable REC. */
struct rec_create_tag {
	uint64_t flags;
	uint64_t pc;
	uint64_t gprs[8];
} __attribute__((packed));

_Static_assert(offsetof(struct rec_create_tag, flags) == 0, "");
_Static_assert(offsetof(struct rec_create_tag, pc) == 8, "");
_Static_assert(offsetof(struct rec_create_tag, gprs) == 16, "");
_Static_assert(sizeof(struct rec_create_tag) == 80, "");

/*
 * UEFI_PLATFORM_FIRMWARE_BLOB2: u8 BlobDescriptionSize, the description
 * (no NUL), then this tail.
 */
struct firmware_blob2_tail {
	uint64_t blob_base;
	uint64_t blob_length;
} __attribute__((packed));

_Static_assert(offsetof(struct firmware_blob2_tail, blob_base) == 0, "");
_Static_assert(offsetof(struct firmware_blob2_tail, blob_length) == 8, "");
_Static_assert(sizeof(struct firmware_blob2_tail) == 16, "");

#define FIRMWARE_BLOB2_DESC_MAX	255

#endif
