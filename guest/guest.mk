# realm-check, the in-realm launch checker (docs/realm-check.md).
#
#   guest/realm-check             static aarch64 binary to copy into a realm
#                                 (aarch64-linux-gnu-gcc, Debian's libcrypto.a)
#   $(BUILD)/guest/realm-check    build for the current ARCH/SAN, linked with
#                                 librealmvm.a; `make` builds it so that the
#                                 bats tests can run it offline on files
#
# realm-check shares the event log parser with realmvm instead of having
# its own.  Until realm/event_log_parse.c exists nothing here is built by
# default, so this fragment can never break a plain `make`.

RC_SRCS		:= guest/realm_check.c
# The token, CBOR and COSE code is shared with `realmvm token` (attest/).
RC_SHARED	:= attest/cca_token.c attest/cbor.c attest/cose_verify.c \
		   attest/appraise.c realm/hash_algos.c
RC_OBJS		:= $(RC_SRCS:%.c=$(BUILD)/%.o)
RC_BIN		:= $(BUILD)/guest/realm-check

ifneq ($(wildcard realm/event_log_parse.c),)
all: $(RC_BIN)
# The aarch64 bats run looks for it beside build/arm64/realmvm.
$(BIN): | $(RC_BIN)
endif

# (those of RC_SHARED that a PKEY=0 librealmvm.a leaves out, linked as is)
$(RC_BIN): $(RC_OBJS) $(filter-out $(LIB_OBJS),$(RC_SHARED:%.c=$(BUILD)/%.o)) \
	   $(BUILD)/librealmvm.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(RC_OBJS:.o=.d)

# Stand-alone static aarch64 build: only the sources realm-check needs, so
# it does not need the arm64 libfdt that the full cross build fetches.
RC_CROSS	?= aarch64-linux-gnu-
RC_X_DIR	:= build/guest-arm64
RC_X_SRCS	:= $(RC_SRCS) $(RC_SHARED) realm/event_log_parse.c vmm/util.c \
		   vmm/out_file.c
RC_X_OBJS	:= $(RC_X_SRCS:%.c=$(RC_X_DIR)/%.o)
RC_X_CFLAGS	:= $(CFLAGS_COMMON)

$(RC_X_DIR)/%.o: %.c
	@command -v $(RC_CROSS)gcc >/dev/null || { \
		echo "realm-check: $(RC_CROSS)gcc not found; install gcc-aarch64-linux-gnu (tests/install-deps.sh)" >&2; \
		exit 1; }
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(RC_CROSS)gcc $(RC_X_CFLAGS) -MMD -MP -c -o $@ $<

$(RC_X_DIR)/realm-check: $(RC_X_OBJS)
	@echo "  LD      $@"
	$(Q)$(RC_CROSS)gcc -static -o $@ $^ -lcrypto -lpthread -ldl

guest/realm-check: $(RC_X_DIR)/realm-check
	$(Q)cp $< $@

.PHONY: realm-check
realm-check: guest/realm-check

-include $(RC_X_OBJS:.o=.d)
