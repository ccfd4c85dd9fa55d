/*
 * The --trace printer for rim_measure_plan().  Values are printed in RMM
 * encoding, hex lowercase with a 0x prefix, so lines compare exactly.
 */
#include <inttypes.h>
#include <stdio.h>

#include "realm/trace.h"
#include "vmm/util.h"

int rim_trace_step(const struct rim_step *s, void *opaque)
{
	FILE *out = opaque;
	const struct realm_params *p = s->params;
	const struct plan_op *op = s->op;
	size_t hsz = hash_size(p->hash_algo);
	char hex[2 * RIM_MAX_SIZE + 1];
	unsigned int i;

	switch (op->kind) {
	case PLAN_CREATE:
		fprintf(out, "CREATE flags=0x%" PRIx64 " s2sz=%u sve_vl=%u num_bps=%u num_wps=%u pmu_num_ctrs=%u hash=%s",
			p->flags, p->s2sz, p->sve_vl, p->num_bps, p->num_wps,
			p->pmu_num_ctrs, hash_name(p->hash_algo));
		break;
	case PLAN_RIPAS:
		fprintf(out, "RIPAS base=0x%" PRIx64 " top=0x%" PRIx64,
			op->ripas.base, op->ripas.top);
		break;
	case PLAN_DATA:
		fprintf(out, "DATA ipa=0x%" PRIx64 " measure=%d", s->ipa,
			s->measured_content ? 1 : 0);
		if (s->measured_content) {
			hex_encode(s->content, hsz, hex);
			fprintf(out, " content=%s", hex);
		}
		break;
	case PLAN_REC:
		fprintf(out, "REC flags=0x%" PRIx64 " pc=0x%" PRIx64,
			op->rec.flags, op->rec.pc);
		for (i = 0; i < 8; i++)
			fprintf(out, " gpr%u=0x%" PRIx64, i, op->rec.gprs[i]);
		break;
	default:
		return 0;
	}
	hex_encode(s->rim, hsz, hex);
	fprintf(out, " rim=%s\n", hex);
	return ferror(out) ? pr_err("cannot write the trace") : 0;
}
