/*
 * boot_prepare(): every step of a launch that needs no KVM, in the order
 * a realm measures it.  Images go into guest memory first, then the
 * devices and the DTB that describes them, then (realms) the plan and the
 * event log, which both read the images back from guest memory.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arm64/fdt.h"
#include "arm64/layout.h"
#include "devices/device.h"
#include "realm/event_log.h"
#include "vmm/boot.h"
#include "vmm/file_to_guest.h"
#include "vmm/image_loader.h"
#include "vmm/initrd_loader.h"
#include "vmm/util.h"

static int build_dtb(struct boot *b, const uint8_t *user_dtb)
{
	uint8_t *buf;
	int ret;

	if (user_dtb)
		return dtb_place(user_dtb, &b->lay, &b->gm);
	buf = malloc(FDT_GEN_SIZE);
	if (!buf)
		return pr_err("building the DTB: out of memory");
	ret = dtb_generate(b->cfg, &b->lay, b->gic_version, buf,
			   FDT_GEN_SIZE);
	if (!ret)
		ret = dtb_place(buf, &b->lay, &b->gm);
	if (!ret)
		b->lay.dtb.size = fdt_totalsize(buf);
	free(buf);
	return ret;
}

static void *log_thread_fn(void *arg)
{
	struct boot *b = arg;

	b->log_ret = event_log_build(&b->realm, &b->plan, &b->gm, b->log,
				     b->lay.log.size, &b->log_len);
	return NULL;
}

static int prepare_realm(struct boot *b)
{
	const struct config *cfg = b->cfg;
	const struct realm_config *rc = &b->realm;

	b->profile = host_profile_get(rc->host);
	if (!b->profile)
		return pr_err("unknown host profile");
	if (realm_params_from_config(rc, &b->caps, b->profile,
				     b->lay.ipa_bits, &b->params) ||
	    plan_build(rc, &b->lay, b->profile, &b->params, &b->plan))
		return -1;
	if (!b->lay.log.size)
		return 0;
	b->log = gm_ptr(&b->gm, b->lay.log.ipa, b->lay.log.size);
	if (!b->log)
		return pr_err("event log region is outside RAM");
	if (cfg->dry_run && cfg->nr_threads > 1 &&
	    !pthread_create(&b->log_thread, NULL, log_thread_fn, b)) {
		b->log_pending = true;
		return 0;
	}
	return event_log_build(rc, &b->plan, &b->gm, b->log,
			       b->lay.log.size, &b->log_len);
}

int boot_finish_log(struct boot *b)
{
	if (b->log_pending) {
		pthread_join(b->log_thread, NULL);
		b->log_pending = false;
		return b->log_ret;
	}
	return 0;
}

/*
 * -f/--firmware: the firmware replaces the kernel (kvmtool's placement).
 * Plain bytes, no header to parse: the firmware finds everything else
 * through the DTB address in x0.
 */
static int load_firmware(const struct config *cfg, const uint8_t *user_dtb,
			 size_t user_dtb_len, struct boot *b)
{
	uint64_t size;
	int fd, ret;

	fd = open_input_file(cfg->firmware_path, "firmware", FIRMWARE_MAX_SIZE,
			     &size);
	if (fd < 0)
		return -1;
	ret = layout_compute_firmware(cfg, size, user_dtb_len, &b->lay);
	if (!ret)
		ret = guest_mem_alloc(&b->gm, b->lay.ram_base,
				      b->lay.ram_size);
	if (!ret)
		ret = (cfg->dry_run ? file_map_to_guest : file_read_to_guest)(
			fd, "firmware", cfg->firmware_path, size, &b->gm,
			b->lay.firmware.ipa);
	close(fd);
	if (!ret && (devices_setup(cfg, &b->gm) || build_dtb(b, user_dtb)))
		ret = -1;
	return ret;
}

int boot_prepare(const struct config *cfg, const struct realm_config *rc,
		 const struct host_caps *caps, unsigned int gic_version,
		 struct boot *b)
{
	struct kernel_image img;
	struct initrd rd = { .fd = -1 };
	uint8_t *user_dtb = NULL;
	size_t user_dtb_len = 0;
	int ret = -1;

	memset(b, 0, sizeof(*b));
	b->cfg = cfg;
	b->realm = *rc;
	b->caps = *caps;
	b->gic_version = gic_version;
	device_reset_registry();

	memset(&img, 0, sizeof(img));
	img.fd = -1;
	if (!cfg->kernel_path && !cfg->firmware_path)
		return pr_err("no kernel given (use -k IMAGE or -f FIRMWARE)");
	if (cfg->dtb_path &&
	    dtb_user_load(cfg->dtb_path, &user_dtb, &user_dtb_len))
		goto out;
	if (cfg->firmware_path) {
		if (load_firmware(cfg, user_dtb, user_dtb_len, b))
			goto out;
		goto placed;
	}
	if (image_load_file(cfg->kernel_path, &img))
		goto out;
	if (cfg->initrd_path && initrd_open(cfg->initrd_path, &rd))
		goto out;

	if (layout_compute(cfg, img.text_offset, img.size, img.image_size,
			   rd.size, user_dtb_len, &b->lay) ||
	    guest_mem_alloc(&b->gm, b->lay.ram_base, b->lay.ram_size) ||
	    (cfg->dry_run ? image_map_to_guest :
			    image_copy_to_guest)(&img, &b->gm, b->lay.kernel.ipa))
		goto out;
	if (cfg->initrd_path &&
	    (cfg->dry_run ? initrd_map : initrd_load)(&rd, &b->gm,
						      b->lay.initrd.ipa))
		goto out;
	if (devices_setup(cfg, &b->gm) || build_dtb(b, user_dtb))
		goto out;
placed:
	b->fdt = gm_ptr(&b->gm, b->lay.dtb.ipa, b->lay.dtb.size);
	if (cfg->realm && prepare_realm(b))
		goto out;
	ret = 0;
out:
	image_free(&img);
	initrd_close(&rd);
	free(user_dtb);
	if (ret)
		boot_release(b);
	return ret;
}

void boot_release(struct boot *b)
{
	/* The log thread reads the plan and guest memory freed below. */
	boot_finish_log(b);
	if (b->cfg && b->cfg->realm)
		plan_free(&b->plan);
	guest_mem_free(&b->gm);
	device_reset_registry();
	b->fdt = NULL;
	b->log = NULL;
}
