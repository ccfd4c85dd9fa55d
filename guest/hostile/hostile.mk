# Misbehaving test guests for the nested KVM suite (guest/hostile):
# build/guest/hostile.Image (unmapped MMIO) and hostile-nisv.Image (plus
# an undecodable MMIO access).  The demo guest's linker script is reused.
HOSTILE_IMAGES := build/guest/hostile.Image build/guest/hostile-nisv.Image

build/guest/hostile.Image: guest/hostile/hostile.S guest/demo/demo.ld
build/guest/hostile-nisv.Image: guest/hostile/hostile.S guest/demo/demo.ld
build/guest/hostile.Image: HOSTILE_DEFS :=
build/guest/hostile-nisv.Image: HOSTILE_DEFS := -DHOSTILE_NISV

$(HOSTILE_IMAGES):
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(DEMO_CROSS)gcc -nostdlib -static $(HOSTILE_DEFS) \
		-Wl,-T,guest/demo/demo.ld -Wl,--build-id=none \
		-Wl,--no-warn-rwx-segments -o $(@:.Image=.elf) guest/hostile/hostile.S
	$(Q)$(DEMO_CROSS)objcopy -O binary $(@:.Image=.elf) $@

.PHONY: hostile-guests
hostile-guests: $(HOSTILE_IMAGES)
