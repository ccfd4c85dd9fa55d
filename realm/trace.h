/*
 * --trace output: one line per RMM-visible step of the RIM computation,
 * each ending with the running RIM, so a RIM mismatch can be diffed line
 * by line against another predictor or an RMM log.  Format: docs/rim.md.
 */
#ifndef REALMVM_TRACE_H
#define REALMVM_TRACE_H

#include "realm/rim.h"

/* A rim_step_fn; opaque is the FILE * to print to. */
int rim_trace_step(const struct rim_step *step, void *opaque);

#endif
