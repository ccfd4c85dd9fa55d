/*
 * Reader side of the realm measurement event log.  The input is untrusted
 * (it comes from a guest, a file or another VMM), so the parser bounds
 * every read by the bytes left and every loop by the input length, and
 * reports the first problem as one line naming its byte offset.
 *
 * It reads realmvm's own logs and those of kvmtool-cca and the QEMU RFC,
 * whose NO_ACTION and tag events carry digests differently.
 */
#ifndef REALMVM_EVENT_LOG_PARSE_H
#define REALMVM_EVENT_LOG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "realm/tcg_defs.h"

/* Which VMM wrote the log, from the VM VERSION name. */
enum log_origin {
	LOG_ORIGIN_UNKNOWN,	/* no VM VERSION record, or another name */
	LOG_ORIGIN_REALMVM,
	LOG_ORIGIN_KVMTOOL,
	LOG_ORIGIN_QEMU,
};

enum log_event_kind {
	LEV_SPEC_ID,		/* the legacy first event */
	LEV_VM_VERSION,		/* EV_NO_ACTION "VM VERSION" */
	LEV_NO_ACTION,		/* any other EV_NO_ACTION */
	LEV_REALM_CREATE,
	LEV_INIT_RIPAS,
	LEV_REC_CREATE,
	LEV_BLOB,		/* POST_CODE2 or EFI_PLATFORM_FIRMWARE_BLOB2 */
};

struct log_event {
	size_t index;		/* 0 = the Spec ID event */
	size_t offset;		/* of the event's first byte in the log */
	size_t size;		/* bytes of the whole event */
	uint32_t pcr;
	uint32_t type;
	enum log_event_kind kind;
	uint32_t digest_count;
	uint16_t digest_alg;	/* of the first digest (0 if count is 0) */
	uint8_t digest[TCG_MAX_DIGEST_SIZE];
	size_t digest_size;	/* bytes in digest[] (0 if count is 0) */
	const uint8_t *data;	/* event data, pointing into the input */
	uint32_t data_size;
	union {
		struct realm_create_tag create;
		struct init_ripas_tag ripas;
		struct rec_create_tag rec;
		struct {
			char desc[FIRMWARE_BLOB2_DESC_MAX + 1];
			uint64_t base;
			uint64_t size;
		} blob;
	};
};

struct event_log {
	/* From the Spec ID event */
	uint16_t alg_id;		/* TCG_ALG_SHA256 or TCG_ALG_SHA512 */
	size_t digest_size;
	/* From VM VERSION (zero/empty if absent) */
	bool has_vm_version;
	enum log_origin origin;
	char vm_name[33];
	char vm_version[41];
	uint64_t ram_size;
	uint32_t num_cpus;
	uint64_t vm_flags;
	/* Events in log order, index 0 being the Spec ID event */
	struct log_event *events;
	size_t nr_events;
	size_t events_cap;		/* allocated entries */
	size_t end;			/* offset just past the last event */
	/* First problem found, one line, when event_log_parse() fails */
	char error[192];
};

/*
 * Parse len bytes.  Trailing zero bytes (the unused part of the log
 * region) end the log.  Returns 0, or -1 with out->error set; out must be
 * released with event_log_free() either way.  Never reads outside buf.
 * This is the entry point for fuzzing.
 */
int event_log_parse(const uint8_t *buf, size_t len, struct event_log *out);
void event_log_free(struct event_log *log);

/* Names for display: "EV_NO_ACTION", "sha256", "REALM_CREATE" ... */
const char *event_type_name(uint32_t type);
const char *tcg_alg_name(uint16_t alg);
const char *log_event_kind_name(enum log_event_kind kind);
const char *log_origin_name(enum log_origin origin);

#endif
