# The sandbox probe (tests/sandbox/probe.c): a test-only program that
# enters realmvm's sandbox exactly as a launch does and then makes one
# chosen call, so that tests/bats/sandbox.bats can check that a forbidden
# call kills the process.  Built with the unit tests.
SANDBOX_PROBE := $(BUILD)/tests/sandbox-probe

$(SANDBOX_PROBE): tests/sandbox/probe.c $(BUILD)/librealmvm.a
	@mkdir -p $(dir $@)
	@echo "  PROBE   $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/librealmvm.a $(LDLIBS)

unit-tests: $(SANDBOX_PROBE)
