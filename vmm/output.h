/*
 * What `realmvm run` prints about a prepared boot: the predicted RIM and
 * realm parameters (realms) and where everything was placed, as text
 * lines or as one JSON object, plus the per-step RIM trace.
 */
#ifndef REALMVM_OUTPUT_H
#define REALMVM_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "realm/rim.h"

struct boot;
struct prediction;

/*
 * pr is NULL for a normal VM.  Text: for a realm the first line is
 * "RIM: <hex>" (with --host all one "RIM <host>: <hex>" line per host
 * series), then "key: value" lines; JSON: one object and a newline.
 */
void output_text(FILE *out, const struct boot *b,
		 const struct prediction *pr);
void output_json(FILE *out, const struct boot *b,
		 const struct prediction *pr);

/* The step callback that prints a trace line per step; opaque is a FILE *. */
rim_step_fn output_trace_fn(void);

#endif
