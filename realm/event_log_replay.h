/*
 * Replaying a parsed event log: check each measured blob against the
 * file a verifier holds, rebuild the RMM-visible operations with the same
 * plan builders a launch uses, and compute the RIM they lead to.
 */
#ifndef REALMVM_EVENT_LOG_REPLAY_H
#define REALMVM_EVENT_LOG_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "realm/event_log_parse.h"
#include "realm/host_profile.h"
#include "realm/plan.h"
#include "realm/rim.h"

/*
 * The verifier's copy of a blob, indexed by enum blob_kind: bytes in
 * memory (data), or an open file (has_fd), mapped into the replay's guest
 * memory so that it is read once, by the same pass that takes both its
 * digest and the RIM's granule digests.
 */
struct replay_blob {
	const char *path;	/* for messages */
	const uint8_t *data;
	size_t len;
	bool has_fd;		/* data is NULL and fd holds the file */
	int fd;
};

/* How a kvmtool log's blobs were populated (docs/event-log.md). */
enum populate_step {
	POPULATE_AUTO,	/* 4 KiB if 64 KiB regions would overlap, else 64 KiB */
	POPULATE_4K,	/* kvmtool cca/v2 launch */
	POPULATE_64K,	/* kvmtool's log-writing branches */
};

struct replay_result {
	const struct host_profile *profile;	/* the one replayed under */
	uint64_t populate_step;			/* bytes: 4 KiB or 64 KiB */
	enum hash_algo algo;
	size_t rim_size;
	uint8_t rim[RIM_MAX_SIZE];
	size_t blobs_checked;	/* measured blobs whose digest matched */
	size_t ops_replayed;	/* CREATE, INIT_RIPAS, blob and REC events */
	/* Set when an event disagrees with the files (digest or size). */
	bool mismatch;
	size_t mismatch_index;
	size_t mismatch_offset;
	char mismatch_msg[512];
};

/*
 * Which host profile a log is replayed under when the user gives none:
 * the one realmvm recorded in VM VERSION flags; cca-v10 for kvmtool-cca
 * and QEMU RFC logs (both target RMM 1.0 hosts); else the default.
 */
const struct host_profile *replay_default_profile(const struct event_log *log);

/*
 * Replay log under prof with blobs[BLOB_*] as the verifier's files.
 * Returns 0 with res->rim set, or -1 after printing a one-line error; a
 * blob that disagrees with its file also sets res->mismatch*.  Granules
 * are hashed on default_hash_threads() threads, as in a dry run.
 */
int event_log_replay(const struct event_log *log,
		     const struct host_profile *prof,
		     const struct replay_blob blobs[BLOB_FIRMWARE + 1],
		     struct replay_result *res);
/* The same with the populate step of a kvmtool log chosen by the caller. */
int event_log_replay_step(const struct event_log *log,
			  const struct host_profile *prof,
			  enum populate_step step,
			  const struct replay_blob blobs[BLOB_FIRMWARE + 1],
			  struct replay_result *res);
/*
 * event_log_replay_step(); then, for a kvmtool log where auto chose
 * 64 KiB and the RIM is not want (if given), the 4 KiB cca/v2 launch is
 * tried and kept if it reaches want.
 */
int event_log_replay_expect(const struct event_log *log,
			    const struct host_profile *prof,
			    enum populate_step step,
			    const struct replay_blob blobs[BLOB_FIRMWARE + 1],
			    const uint8_t *want, size_t want_len,
			    struct replay_result *res);
/* The populate step that step means for this log's kvmtool blobs. */
uint64_t replay_kvmtool_align(const struct event_log *log,
			      enum populate_step step);

#endif
