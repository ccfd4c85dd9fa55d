# realmvm build.  `make` builds ./realmvm for the host; `make ARCH=arm64`
# builds the same program as a static aarch64 binary.  Sources are found by
# wildcard so that adding a file to vmm/, arm64/, realm/ or devices/ needs no
# edit here; sub-projects (guest/, fuzz/, bench/, tests/nested/) bring their
# own *.mk fragment.

ARCH	?= $(shell uname -m | sed -e s/aarch64/arm64/ -e s/x86_64/host/)
SAN	?= 0
V	?= 0

ifeq ($(V),0)
Q := @
else
Q :=
endif

CFLAGS_COMMON := -std=gnu11 -Wall -Wextra -Werror -O2 -g -I. -D_GNU_SOURCE \
		 -pthread -fno-strict-aliasing
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CFLAGS_COMMON += -DREALMVM_VERSION=\"$(VERSION)\"

ifeq ($(ARCH),arm64)
ifneq ($(shell uname -m),aarch64)
CROSS	?= aarch64-linux-gnu-
endif
BUILD	:= build/arm64
ARM64_DEPS := .deps/arm64
CC	:= $(CROSS)gcc
CFLAGS	:= $(CFLAGS_COMMON) -I$(ARM64_DEPS)/usr/include
LDFLAGS	:= -static -L$(ARM64_DEPS)/usr/lib/aarch64-linux-gnu
LDLIBS	:= -lfdt -lcrypto -lz -lseccomp -lpthread -ldl
# Debian ships libcbor only as a shared library, so the static build has
# no CoRIM writer (docs/corim.md); a libcbor.a dropped into the deps
# directory brings it back.
ifneq ($(wildcard $(ARM64_DEPS)/usr/lib/aarch64-linux-gnu/libcbor.a),)
LDLIBS	+= -lcbor
else
CFLAGS	+= -DREALMVM_NO_LIBCBOR
endif
DEPS_STAMP := $(ARM64_DEPS)/.stamp
else
BUILD	:= build/host
CC	?= cc
CFLAGS	:= $(CFLAGS_COMMON)
LDFLAGS	:=
LDLIBS	:= -lfdt -lcrypto -lz -lseccomp -lpthread -lcbor
DEPS_STAMP :=
endif

# --network mode=user needs libslirp (and so glib): linked when found, else
# that option is refused at launch.  Host: libslirp-dev's header and
# libslirp.so (its slirp.pc also wants glib's headers, which we never use).
# aarch64: Debian ships no libslirp.a, and static glib would double the
# binary, so the static build leaves mode=user out; `make ARCH=arm64
# SLIRP=1` builds build/arm64-slirp/realmvm with it, compiling Debian's
# libslirp source first (tests/fetch-arm64-slirp.sh).
SLIRP	?= 0
ifeq ($(ARCH),arm64)
ifeq ($(SLIRP),1)
BUILD	:= build/arm64-slirp
SLIRP_LIB := $(ARM64_DEPS)/usr/lib/aarch64-linux-gnu/libslirp.a
DEPS_STAMP += $(SLIRP_LIB)
CFLAGS	+= -DREALMVM_SLIRP -I$(ARM64_DEPS)/usr/include/slirp
LDLIBS	+= -lslirp -lglib-2.0 -lpcre2-8
else
# its refusal of mode=user names the SLIRP=1 build as the way out
CFLAGS	+= -DREALMVM_SLIRP_VARIANT
endif
else ifneq ($(wildcard /usr/include/slirp/libslirp.h),)
CFLAGS	+= -DREALMVM_SLIRP -I/usr/include/slirp
LDLIBS	+= -lslirp
endif

ifeq ($(SAN),1)
BUILD	:= $(BUILD)-san
CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined -O1
LDFLAGS	+= -fsanitize=address,undefined
endif

LIB_SRCS := $(sort $(wildcard vmm/*.c arm64/*.c realm/*.c devices/*.c attest/*.c))
LIB_SRCS := $(filter-out vmm/main.c,$(LIB_SRCS))
# Public-key crypto (`token`, --corim-key: ECDSA and PEM through EVP) links
# 3 MB of libcrypto's providers, so the static aarch64 build leaves it out
# by default; attest/no_pkey.c then says how to get it (docs/building.md).
ifeq ($(ARCH),arm64)
PKEY	?= 0
else
PKEY	?= 1
endif
PKEY_SRCS := attest/cmd_token.c attest/appraise.c attest/cose_verify.c \
	     attest/cose_sign.c
ifeq ($(PKEY),0)
LIB_SRCS := $(filter-out $(PKEY_SRCS),$(LIB_SRCS))
else
LIB_SRCS := $(filter-out attest/no_pkey.c,$(LIB_SRCS))
endif
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/vmm/main.o
BIN	 := $(BUILD)/realmvm

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_HELPERS := $(filter-out $(UNIT_SRCS),$(wildcard tests/unit/*.c))

.PHONY: all clean unit-tests check check-all check-asan bats-tests deps \
	install uninstall
ifeq ($(SAN),1)
all: $(BIN)
else
all: realmvm
endif

realmvm: $(BIN)
	$(Q)cp $(BIN) $@

$(BIN): $(MAIN_OBJ) $(BUILD)/librealmvm.a
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The archive's members depend on PKEY: switching it rebuilds the archive.
$(BUILD)/librealmvm.a: $(LIB_OBJS) $(BUILD)/pkey-$(PKEY).stamp
	$(Q)rm -f $@ && ar rcs $@ $(LIB_OBJS)

$(BUILD)/pkey-$(PKEY).stamp:
	@mkdir -p $(dir $@)
	$(Q)rm -f $(BUILD)/pkey-*.stamp && touch $@

$(BUILD)/%.o: %.c $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(UNIT_HELPERS) $(BUILD)/librealmvm.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(UNIT_HELPERS) \
		$(BUILD)/librealmvm.a -lcmocka $(LDLIBS)

unit-tests: $(UNIT_BINS)

# The arm64 cross build needs Debian's libfdt-dev:arm64, which conflicts
# with the amd64 package, and libseccomp-dev:arm64, so both are unpacked
# here rather than installed.
# Depends on the script: a tree unpacked before libseccomp was added to
# it is unpacked again.
$(ARM64_DEPS)/.stamp: tests/fetch-arm64-deps.sh
	$(Q)tests/fetch-arm64-deps.sh $(ARM64_DEPS)

# Static libslirp (+ glib) for the aarch64 SLIRP=1 build's mode=user.
.PHONY: arm64-slirp
arm64-slirp:
	$(Q)tests/fetch-arm64-slirp.sh .deps/arm64
ifdef SLIRP_LIB
$(SLIRP_LIB): tests/fetch-arm64-slirp.sh $(ARM64_DEPS)/.stamp
	$(Q)tests/fetch-arm64-slirp.sh $(ARM64_DEPS)
endif

check: all unit-tests
	$(Q)tests/run-all.sh --quick

check-all:
	$(Q)tests/run-all.sh

check-asan:
	$(Q)tests/run-all.sh --asan

clean:
	rm -rf build realmvm

# Install as a Debian program would be laid out: the binary, the manual
# page and the bash completion, under $(DESTDIR)$(PREFIX).
PREFIX	?= /usr/local
BINDIR	:= $(PREFIX)/bin
MANDIR	:= $(PREFIX)/share/man/man1
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) \
		$(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/realmvm
	install -m 0644 realmvm.1 $(DESTDIR)$(MANDIR)/realmvm.1
	install -m 0644 completion/realmvm.bash $(DESTDIR)$(BASHCOMPDIR)/realmvm

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/realmvm $(DESTDIR)$(MANDIR)/realmvm.1 \
		$(DESTDIR)$(BASHCOMPDIR)/realmvm

-include $(wildcard */*.mk tests/*/*.mk guest/*/*.mk)
-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d)
