# libFuzzer targets (Debian's clang + libclang-rt).  The library is built
# again with clang and coverage instrumentation in build/fuzz, so the
# normal build is untouched.  `make fuzz` builds every fuzz/fuzz_*.c;
# fuzz/run.sh replays the corpus and fuzzes each target for a bounded time.
FUZZ_CC     := clang
FUZZ_BUILD  := build/fuzz
FUZZ_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -g -O1 -I. -D_GNU_SOURCE \
	       -pthread -fno-strict-aliasing -DREALMVM_VERSION=\"$(VERSION)\" \
	       -fsanitize=fuzzer-no-link,address,undefined \
	       -fno-sanitize-recover=undefined -DREALMVM_FUZZING
FUZZ_SRCS   := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BINS   := $(FUZZ_SRCS:fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_BUILD)/%.o)

.PHONY: fuzz
fuzz: $(FUZZ_BINS)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/librealmvm.a: $(FUZZ_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

# Harnesses may #include guest/*.c (not in the library): -MMD tracks them.
$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_BUILD)/librealmvm.a
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_BUILD)/librealmvm.a -lfdt -lcrypto -lz -lseccomp -lpthread -lcbor

-include $(FUZZ_LIB_OBJS:.o=.d) $(FUZZ_BINS:=.d)
