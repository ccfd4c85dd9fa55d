/*
 * Parser for realm measurement event logs (TCG crypto-agile format).
 * Every field is read through rd() which checks the bytes left first, and
 * each event consumes at least 16 bytes, so a hostile log can neither make
 * us read past its end nor loop for longer than its length allows.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "realm/event_log_parse.h"
#include "realm/hash_algos.h"

struct cursor {
	const uint8_t *buf;
	size_t len;
	size_t off;
	struct event_log *log;
	size_t index;		/* event being parsed */
	size_t ev_off;		/* its first byte */
};

static int fail(struct cursor *c, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct cursor *c, size_t off, const char *fmt, ...)
{
	char msg[150];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->log->error, sizeof(c->log->error),
		 "event log: offset %zu (event %zu): %s", off, c->index, msg);
	return -1;
}

/* Copy n bytes at the cursor into out and advance, or fail naming what. */
static int rd(struct cursor *c, void *out, size_t n, const char *what)
{
	if (n > c->len - c->off) {
		fail(c, c->off, "truncated: %s needs %zu bytes, %zu left",
		     what, n, c->len - c->off);
		return -1;
	}
	memcpy(out, c->buf + c->off, n);
	c->off += n;
	return 0;
}

static size_t alg_digest_size(uint16_t alg)
{
	const struct hash_algo_info *h = hash_algo_by_tcg(alg);

	return h ? h->size : 0;
}

const char *tcg_alg_name(uint16_t alg)
{
	const struct hash_algo_info *h = hash_algo_by_tcg(alg);

	if (alg == TCG_ALG_NULL_ID)
		return "none";
	return h ? h->name : "unknown";
}

const char *event_type_name(uint32_t type)
{
	switch (type) {
	case TCG_EV_NO_ACTION:
		return "EV_NO_ACTION";
	case TCG_EV_EVENT_TAG:
		return "EV_EVENT_TAG";
	case TCG_EV_POST_CODE2:
		return "EV_POST_CODE2";
	case TCG_EV_EFI_PLATFORM_FIRMWARE_BLOB2:
		return "EV_EFI_PLATFORM_FIRMWARE_BLOB2";
	}
	return "unknown";
}

const char *log_event_kind_name(enum log_event_kind kind)
{
	switch (kind) {
	case LEV_SPEC_ID:
		return "SPEC_ID";
	case LEV_VM_VERSION:
		return "VM_VERSION";
	case LEV_NO_ACTION:
		return "NO_ACTION";
	case LEV_REALM_CREATE:
		return "REALM_CREATE";
	case LEV_INIT_RIPAS:
		return "INIT_RIPAS";
	case LEV_REC_CREATE:
		return "REC_CREATE";
	case LEV_BLOB:
		return "BLOB";
	}
	return "?";
}

const char *log_origin_name(enum log_origin origin)
{
	switch (origin) {
	case LOG_ORIGIN_REALMVM:
		return "realmvm";
	case LOG_ORIGIN_KVMTOOL:
		return "kvmtool";
	case LOG_ORIGIN_QEMU:
		return "QEMU";
	case LOG_ORIGIN_UNKNOWN:
		break;
	}
	return "unknown";
}

static struct log_event *new_event(struct cursor *c)
{
	struct event_log *log = c->log;
	struct log_event *ev;

	/* nr_events is bounded by len / 16, so this cannot overflow. */
	if (log->nr_events == log->events_cap) {
		size_t n = log->events_cap ? log->events_cap * 2 : 16;
		struct log_event *p = realloc(log->events, n * sizeof(*p));

		if (!p) {
			fail(c, c->ev_off, "out of memory");
			return NULL;
		}
		log->events = p;
		log->events_cap = n;
	}
	ev = &log->events[log->nr_events++];
	memset(ev, 0, sizeof(*ev));
	ev->index = c->index;
	ev->offset = c->ev_off;
	return ev;
}

static int parse_spec_id(struct cursor *c)
{
	struct tcg_pcr_event_legacy legacy;
	struct tcg_spec_id_event_head spec;
	struct tcg_alg_size alg;
	struct log_event *ev;
	uint8_t vendor_size;
	size_t i, data_start;

	c->ev_off = 0;
	if (rd(c, &legacy, sizeof(legacy), "the first (Spec ID) event"))
		return -1;
	if (legacy.pcr_index != 0 || legacy.event_type != TCG_EV_NO_ACTION)
		return fail(c, 0, "first event is PCR %u type 0x%x, not the PCR 0 EV_NO_ACTION Spec ID event",
			    legacy.pcr_index, legacy.event_type);
	for (i = 0; i < sizeof(legacy.digest); i++)
		if (legacy.digest[i])
			return fail(c, 8, "Spec ID event digest is not zero");
	if (legacy.event_data_size > c->len - c->off)
		return fail(c, 28, "Spec ID event size %u runs past the end of the log (%zu bytes left)",
			    legacy.event_data_size, c->len - c->off);
	data_start = c->off;
	if (legacy.event_data_size < TCG_SPEC_ID_EVENT_SIZE_1ALG)
		return fail(c, 28, "Spec ID event size %u is too small (at least %zu)",
			    legacy.event_data_size,
			    (size_t)TCG_SPEC_ID_EVENT_SIZE_1ALG);
	if (rd(c, &spec, sizeof(spec), "Spec ID event"))
		return -1;
	if (memcmp(spec.signature, TCG_SPEC_ID_SIGNATURE,
		   sizeof(spec.signature)))
		return fail(c, data_start, "no \"Spec ID Event03\" signature: not a crypto-agile log");
	/*
	 * A realm log has exactly one bank: the realm's hash algorithm.
	 * More would need a digest per bank in every event.
	 */
	if (spec.number_of_algorithms != 1)
		return fail(c, data_start + 24, "Spec ID event lists %u algorithms, a realm log has exactly 1",
			    spec.number_of_algorithms);
	if (rd(c, &alg, sizeof(alg), "Spec ID algorithm"))
		return -1;
	if (alg.algorithm_id != TCG_ALG_SHA256 &&
	    alg.algorithm_id != TCG_ALG_SHA512)
		return fail(c, c->off - 4, "unknown algorithm 0x%04x (realm logs use sha256 0x000b or sha512 0x000d)",
			    alg.algorithm_id);
	if (alg.digest_size != alg_digest_size(alg.algorithm_id))
		return fail(c, c->off - 2, "digest size %u is wrong for %s",
			    alg.digest_size, tcg_alg_name(alg.algorithm_id));
	if (rd(c, &vendor_size, 1, "vendorInfoSize"))
		return -1;
	if (c->off - data_start + vendor_size != legacy.event_data_size)
		return fail(c, c->off - 1, "vendorInfoSize %u does not match the Spec ID event size %u",
			    vendor_size, legacy.event_data_size);
	c->off += vendor_size;

	c->log->alg_id = alg.algorithm_id;
	c->log->digest_size = alg.digest_size;
	ev = new_event(c);
	if (!ev)
		return -1;
	ev->kind = LEV_SPEC_ID;
	ev->type = TCG_EV_NO_ACTION;
	ev->data = c->buf + data_start;
	ev->data_size = legacy.event_data_size;
	ev->size = c->off;
	return 0;
}

static void copy_cstr(char *dst, size_t dst_size, const char *src,
		      size_t src_size)
{
	size_t n = strnlen(src, src_size);

	if (n >= dst_size)
		n = dst_size - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

static int parse_vm_version(struct cursor *c, struct log_event *ev)
{
	struct event_log *log = c->log;
	struct vm_version_event v;
	size_t i;

	/*
	 * 112 bytes as QEMU and realmvm write it; 108 if a writer packed
	 * the structure (flags right after num_cpus).
	 */
	if (ev->data_size != sizeof(v) && ev->data_size != sizeof(v) - 4)
		return fail(c, c->off - ev->data_size, "VM VERSION record is %u bytes, expected 112",
			    ev->data_size);
	if (log->has_vm_version)
		return fail(c, ev->offset, "second VM VERSION record");
	memset(&v, 0, sizeof(v));
	memcpy(&v, ev->data, offsetof(struct vm_version_event, pad));
	if (ev->data_size == sizeof(v))
		memcpy(&v.flags, ev->data + offsetof(struct vm_version_event,
						     flags), 8);
	else
		memcpy(&v.flags, ev->data + offsetof(struct vm_version_event,
						     pad), 8);
	log->has_vm_version = true;
	copy_cstr(log->vm_name, sizeof(log->vm_name), v.name, sizeof(v.name));
	copy_cstr(log->vm_version, sizeof(log->vm_version), v.version,
		  sizeof(v.version));
	for (i = 0; log->vm_name[i]; i++)
		if (log->vm_name[i] < 0x20 || log->vm_name[i] > 0x7e)
			log->vm_name[i] = '?';
	for (i = 0; log->vm_version[i]; i++)
		if (log->vm_version[i] < 0x20 || log->vm_version[i] > 0x7e)
			log->vm_version[i] = '?';
	log->ram_size = v.ram_size;
	log->num_cpus = v.num_cpus;
	log->vm_flags = v.flags;
	if (!strcmp(log->vm_name, VM_VERSION_NAME))
		log->origin = LOG_ORIGIN_REALMVM;
	else if (!strcmp(log->vm_name, "kvmtool"))
		log->origin = LOG_ORIGIN_KVMTOOL;
	else if (!strcmp(log->vm_name, "QEMU"))
		log->origin = LOG_ORIGIN_QEMU;
	ev->kind = LEV_VM_VERSION;
	return 0;
}

static int parse_tag(struct cursor *c, struct log_event *ev)
{
	struct tcg_tagged_event_head tag;
	size_t data_off = c->off - ev->data_size;
	const uint8_t *payload = ev->data + sizeof(tag);
	uint32_t want;

	if (ev->data_size < sizeof(tag))
		return fail(c, data_off, "EV_EVENT_TAG data is %u bytes, less than its 8-byte header",
			    ev->data_size);
	memcpy(&tag, ev->data, sizeof(tag));
	if (tag.tagged_event_data_size != ev->data_size - sizeof(tag))
		return fail(c, data_off + 4, "tag data size %u does not match the event size %u",
			    tag.tagged_event_data_size, ev->data_size);
	switch (tag.tagged_event_id) {
	case REALM_TAG_REALM_CREATE:
		/* kvmtool packs it without the 2 pad bytes */
		if (tag.tagged_event_data_size != sizeof(ev->create) &&
		    tag.tagged_event_data_size != sizeof(ev->create) - 2)
			return fail(c, data_off + 4, "REALM_CREATE tag is %u bytes, expected 16",
				    tag.tagged_event_data_size);
		memcpy(&ev->create, payload, tag.tagged_event_data_size);
		ev->kind = LEV_REALM_CREATE;
		return 0;
	case REALM_TAG_INIT_RIPAS:
		want = sizeof(ev->ripas);
		if (tag.tagged_event_data_size != want)
			break;
		memcpy(&ev->ripas, payload, want);
		ev->kind = LEV_INIT_RIPAS;
		return 0;
	case REALM_TAG_REC_CREATE:
		want = sizeof(ev->rec);
		if (tag.tagged_event_data_size != want)
			break;
		memcpy(&ev->rec, payload, want);
		ev->kind = LEV_REC_CREATE;
		return 0;
	default:
		return fail(c, data_off, "unknown tag id %u", tag.tagged_event_id);
	}
	return fail(c, data_off + 4, "tag %u is %u bytes, expected %u",
		    tag.tagged_event_id, tag.tagged_event_data_size, want);
}

static int parse_blob(struct cursor *c, struct log_event *ev)
{
	size_t data_off = c->off - ev->data_size;
	struct firmware_blob2_tail tail;
	uint8_t n;
	size_t i;

	if (ev->data_size < 1)
		return fail(c, data_off, "blob event has no description size");
	n = ev->data[0];
	if (ev->data_size != 1 + (size_t)n + sizeof(tail))
		return fail(c, data_off, "blob event is %u bytes, but a %u-byte description needs %zu",
			    ev->data_size, n, 1 + (size_t)n + sizeof(tail));
	for (i = 0; i < n; i++) {
		uint8_t ch = ev->data[1 + i];

		if (ch < 0x20 || ch > 0x7e)
			return fail(c, data_off + 1 + i, "blob description has a non-printable byte 0x%02x",
				    ch);
		ev->blob.desc[i] = ch;
	}
	ev->blob.desc[n] = 0;
	memcpy(&tail, ev->data + 1 + n, sizeof(tail));
	ev->blob.base = tail.blob_base;
	ev->blob.size = tail.blob_length;
	ev->kind = LEV_BLOB;
	return 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int parse_event2(struct cursor *c)
{
	struct event_log *log = c->log;
	struct tcg_pcr_event2_head head;
	struct log_event *ev;
	uint32_t size, i;

	if (rd(c, &head, sizeof(head), "event header"))
		return -1;
	/*
	 * TCG wants one digest per bank; QEMU and kvmtool write none for
	 * tags and unmeasured blobs, so 0 is accepted too.
	 */
	if (head.digest_count > 1)
		return fail(c, c->off - 4, "digest count %u, but the log has 1 algorithm",
			    head.digest_count);
	ev = new_event(c);
	if (!ev)
		return -1;
	ev->pcr = head.pcr_index;
	ev->type = head.event_type;
	ev->digest_count = head.digest_count;
	for (i = 0; i < head.digest_count; i++) {
		uint16_t alg;

		if (rd(c, &alg, sizeof(alg), "digest algorithm"))
			return -1;
		/*
		 * QEMU and kvmtool write algorithm 0 followed by a zero
		 * digest of the log's size in EV_NO_ACTION events.
		 */
		if (alg != log->alg_id &&
		    !(alg == TCG_ALG_NULL_ID &&
		      head.event_type == TCG_EV_NO_ACTION))
			return fail(c, c->off - 2, "unknown digest algorithm 0x%04x (the log uses %s)",
				    alg, tcg_alg_name(log->alg_id));
		if (rd(c, ev->digest, log->digest_size, "digest"))
			return -1;
		ev->digest_alg = alg;
		ev->digest_size = log->digest_size;
	}
	if (rd(c, &size, sizeof(size), "event size"))
		return -1;
	if (size > c->len - c->off)
		return fail(c, c->off - 4, "event size %u runs past the end of the log (%zu bytes left)",
			    size, c->len - c->off);
	ev->data = c->buf + c->off;
	ev->data_size = size;
	c->off += size;
	ev->size = c->off - ev->offset;

	switch (head.event_type) {
	case TCG_EV_NO_ACTION:
		if (size >= 16 && !memcmp(ev->data, VM_VERSION_SIGNATURE,
					  sizeof(VM_VERSION_SIGNATURE)))
			return parse_vm_version(c, ev);
		ev->kind = LEV_NO_ACTION;
		return 0;
	case TCG_EV_EVENT_TAG:
		return parse_tag(c, ev);
	case TCG_EV_POST_CODE2:
	case TCG_EV_EFI_PLATFORM_FIRMWARE_BLOB2:
		return parse_blob(c, ev);
	}
	return fail(c, ev->offset + 4, "unknown event type 0x%x",
		    head.event_type);
}

int event_log_parse(const uint8_t *buf, size_t len, struct event_log *out)
{
	struct cursor c = { .buf = buf, .len = len, .log = out };

	memset(out, 0, sizeof(*out));
	if (!buf || !len)
		return fail(&c, 0, "empty log");
	if (parse_spec_id(&c))
		return -1;
	/* Each round consumes at least 16 bytes or stops. */
	while (c.off < len) {
		if (all_zero(buf + c.off, len - c.off))
			break;
		c.index++;
		c.ev_off = c.off;
		if (parse_event2(&c))
			return -1;
	}
	out->end = c.off;
	return 0;
}

void event_log_free(struct event_log *log)
{
	free(log->events);
	log->events = NULL;
	log->nr_events = 0;
	log->events_cap = 0;
}
