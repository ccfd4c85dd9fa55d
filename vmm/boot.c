/*
 * boot_prepare(): every step of a launch that needs no KVM, in the order
 * a realm measures it.  Images go into guest memory first, then the
 * devices and the DTB that describes them, then (realms) the plan.
 * boot_measure() then reads the images back from guest memory once, for
 * the RIM and the event log together.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arm64/fdt.h"
#include "arm64/layout.h"
#include "devices/device.h"
#include "devices/virtio_mmio.h"
#include "realm/event_log.h"
#include "realm/rim.h"
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

static int prepare_realm(struct boot *b)
{
	const struct realm_config *rc = &b->realm;

	b->profile = host_profile_get(rc->host);
	if (!b->profile)
		return pr_err("unknown host profile");
	if (realm_params_from_config(rc, &b->caps, b->profile,
				     b->lay.ipa_bits, &b->params) ||
	    plan_build(rc, &b->lay, b->profile, &b->params, &b->plan))
		return -1;
	return 0;
}

/*
 * The log is populated unmeasured, so its content cannot change the RIM:
 * a dry run builds it only to write it out or to hand it to
 * run_predict()'s caller.  A launch always needs it.
 */
static bool want_log(const struct boot *b)
{
	return b->lay.log.size &&
	       (!b->cfg->dry_run || b->cfg->log_out || b->log_wanted);
}

int boot_measure_plans(struct boot *b, const struct plan *const *plans,
		       size_t n, rim_step_fn step, void *opaque,
		       uint8_t (*rims)[RIM_MAX_SIZE])
{
	const struct config *cfg = b->cfg;
	uint8_t *digests = NULL;
	uint8_t *log;
	int ret;

	if (!cfg->realm)
		return pr_err("boot: only a realm is measured");
	/* The log describes this boot's own plan, so it must come first. */
	if (!n || plans[0] != &b->plan)
		return pr_err("boot: the boot's own plan is not measured first");
	if (!want_log(b))
		return rim_measure_plans(plans, n, &b->gm, cfg->nr_threads,
					 step, opaque, rims, NULL);
	log = gm_ptr(&b->gm, b->lay.log.ipa, b->lay.log.size);
	if (!log)
		return pr_err("event log region is outside RAM");
	digests = calloc(b->plan.nr_ops, RIM_MAX_SIZE);
	if (!digests)
		return pr_err("out of memory for the blob digests");
	ret = rim_measure_plans(plans, n, &b->gm, cfg->nr_threads, step,
				opaque, rims, digests);
	if (!ret)
		ret = event_log_build_blobs(&b->realm, &b->plan, &b->gm, digests, log,
					    b->lay.log.size, &b->log_len);
	free(digests);
	if (!ret)
		b->log = log;
	return ret;
}

int boot_measure(struct boot *b, rim_step_fn step, void *opaque, uint8_t *rim)
{
	const struct plan *plan = &b->plan;
	uint8_t rims[1][RIM_MAX_SIZE];

	if (boot_measure_plans(b, &plan, 1, step, opaque, rims))
		return -1;
	memcpy(rim, rims[0], hash_size(b->params.hash_algo));
	return 0;
}

/*
 * A dry run may map the kernel and initrd from their files instead of
 * reading them into guest RAM (a launch never does: the guest must not see
 * later changes to a file).  bench/load.sh compares the two;
 * REALMVM_DRYRUN_LOAD=map|read picks one for it.
 */
static bool map_files(const struct config *cfg)
{
	const char *how = getenv("REALMVM_DRYRUN_LOAD");

	if (!cfg->dry_run)
		return false;
	if (how && !strcmp(how, "read"))
		return false;
	return true;
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
		ret = (map_files(cfg) ? file_map_to_guest : file_read_to_guest)(
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
	    (map_files(cfg) ? image_map_to_guest :
			    image_copy_to_guest)(&img, &b->gm, b->lay.kernel.ipa))
		goto out;
	if (cfg->initrd_path &&
	    (map_files(cfg) ? initrd_map : initrd_load)(&rd, &b->gm,
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
	if (b->cfg && b->cfg->realm)
		plan_free(&b->plan);
	guest_mem_free(&b->gm);
	/*
	 * Close what the devices hold (disk fds with their OFD locks, taps,
	 * receive threads) before a reboot opens them again: found on the
	 * real RMM, where a realm reset with a disk was refused as "in use
	 * by another VM" by its own earlier open.
	 */
	virtio_mmio_destroy_all();
	device_reset_registry();
	b->fdt = NULL;
	b->log = NULL;
}
