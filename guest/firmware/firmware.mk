# The test firmware for --firmware (guest/firmware/fw.S): a raw aarch64
# binary, built with the cross toolchain like the demo guest.
FW_CROSS ?= aarch64-linux-gnu-
FW_IMAGE := build/guest/test-firmware.bin

$(FW_IMAGE): guest/firmware/fw.S guest/firmware/fw.ld
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(FW_CROSS)gcc -nostdlib -static -Wl,-T,guest/firmware/fw.ld \
		-Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		-o $(@:.bin=.elf) guest/firmware/fw.S
	$(Q)$(FW_CROSS)objcopy -O binary $(@:.bin=.elf) $@

.PHONY: test-firmware
test-firmware: $(FW_IMAGE)
