# The bundled demo guest (guest/demo), an Image-format payload built with
# the aarch64 cross toolchain, and `make demo`, which installs, builds and
# computes the demo realm's RIM.
DEMO_CROSS ?= aarch64-linux-gnu-
DEMO_IMAGE := build/guest/demo.Image

$(DEMO_IMAGE): guest/demo/demo.S guest/demo/demo.ld
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(DEMO_CROSS)gcc -nostdlib -static -Wl,-T,guest/demo/demo.ld \
		-Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $(@:.Image=.elf) guest/demo/demo.S
	$(Q)$(DEMO_CROSS)objcopy -O binary $(@:.Image=.elf) $@

.PHONY: demo demo-guest
demo-guest: $(DEMO_IMAGE)

demo:
	$(Q)tests/install-deps.sh
	$(Q)$(MAKE) --no-print-directory all $(DEMO_IMAGE)
	./realmvm run --realm --dry-run -k $(DEMO_IMAGE) -m 256M -c 2 \
		-p "console=ttyS0" --log-out build/guest/demo-eventlog.bin
