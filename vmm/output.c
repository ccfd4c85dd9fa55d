/*
 * Printing a prepared boot.  The JSON carries no user-supplied strings
 * (paths and the command line stay out), so nothing here needs escaping
 * and the output is always valid JSON.
 */
#include <stdio.h>

#include "realm/rim.h"
#include "realm/trace.h"
#include "vmm/boot.h"
#include "vmm/output.h"
#include "vmm/predict.h"
#include "vmm/util.h"


struct region {
	const char *name;
	uint64_t ipa;
	uint64_t size;
};

/* The placed blobs, in a fixed order; absent ones have size 0. */
static unsigned int regions(const struct boot *b, struct region *r)
{
	const struct layout *lay = &b->lay;
	unsigned int n = 0;

	if (lay->firmware.size)
		r[n++] = (struct region){ "firmware", lay->firmware.ipa,
					  lay->firmware.size };
	else
		r[n++] = (struct region){ "kernel", lay->kernel.ipa,
					  lay->kernel.size };
	if (lay->initrd.size)
		r[n++] = (struct region){ "initrd", lay->initrd.ipa,
					  lay->initrd.size };
	r[n++] = (struct region){ "dtb", lay->dtb.ipa, lay->dtb.size };
	if (lay->log.size)
		r[n++] = (struct region){ "log", lay->log.ipa, lay->log.size };
	return n;
}

void output_text(FILE *out, const struct boot *b,
		 const struct prediction *pr)
{
	char hex[2 * RPV_SIZE + 1];
	struct region r[4];
	unsigned int i, n;

	if (pr) {
		enum hash_algo algo = b->params.hash_algo;

		/* --host all: one "RIM NAME:" line per host series */
		for (i = 0; i < pr->n; i++) {
			hex_encode(pr->rim[i], hash_size(algo), hex);
			if (b->cfg->host_all)
				fprintf(out, "RIM %s: %s\n",
					pr->prof[i]->name, hex);
			else
				fprintf(out, "RIM: %s\n", hex);
		}
		fprintf(out, "hash: %s\n", hash_name(algo));
		hex_encode(b->params.rpv, RPV_SIZE, hex);
		fprintf(out, "rpv: %s\n", hex);
		fprintf(out, "host: %s\n",
			b->cfg->host_all ? "all" : b->profile->name);
	}
	fprintf(out, "ram: 0x%llx 0x%llx\n",
		(unsigned long long)b->lay.ram_base,
		(unsigned long long)b->lay.ram_size);
	fprintf(out, "cpus: %u\n", b->cfg->nr_cpus);
	fprintf(out, "entry: 0x%llx\n", (unsigned long long)b->lay.entry);
	n = regions(b, r);
	for (i = 0; i < n; i++)
		fprintf(out, "%s: 0x%llx 0x%llx\n", r[i].name,
			(unsigned long long)r[i].ipa,
			(unsigned long long)r[i].size);
}

void output_json(FILE *out, const struct boot *b,
		 const struct prediction *pr)
{
	char hex[2 * RPV_SIZE + 1];
	struct region r[4];
	unsigned int i, n;

	fprintf(out, "{\"realm\": %s", pr ? "true" : "false");
	if (pr) {
		enum hash_algo algo = b->params.hash_algo;

		hex_encode(pr->rim[0], hash_size(algo), hex);
		fprintf(out, ", \"rim\": \"%s\"", hex);
		/* --host all: every series' RIM; "rim"/"host" are the first */
		if (b->cfg->host_all) {
			fputs(", \"rims\": {", out);
			for (i = 0; i < pr->n; i++) {
				hex_encode(pr->rim[i], hash_size(algo), hex);
				fprintf(out, "%s\"%s\": \"%s\"", i ? ", " : "",
					pr->prof[i]->name, hex);
			}
			fputs("}", out);
		}
		fprintf(out, ", \"hash_algo\": \"%s\"", hash_name(algo));
		hex_encode(b->params.rpv, RPV_SIZE, hex);
		fprintf(out, ", \"rpv\": \"%s\"", hex);
		fprintf(out, ", \"host\": \"%s\"", b->profile->name);
		fprintf(out, ", \"ipa_bits\": %u", b->lay.ipa_bits);
	}
	fprintf(out, ", \"ram_base\": \"0x%llx\", \"ram_size\": %llu",
		(unsigned long long)b->lay.ram_base,
		(unsigned long long)b->lay.ram_size);
	fprintf(out, ", \"cpus\": %u", b->cfg->nr_cpus);
	fprintf(out, ", \"entry\": \"0x%llx\"",
		(unsigned long long)b->lay.entry);
	n = regions(b, r);
	for (i = 0; i < n; i++)
		fprintf(out, ", \"%s_addr\": \"0x%llx\", \"%s_size\": %llu",
			r[i].name, (unsigned long long)r[i].ipa, r[i].name,
			(unsigned long long)r[i].size);
	fputs("}\n", out);
}

rim_step_fn output_trace_fn(void)
{
	return rim_trace_step;
}
