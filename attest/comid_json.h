/*
 * The reference values as the JSON CoMID template of Veraison's Go CoRIM
 * library (the format `cocli comid create` reads), docs/corim.md.
 */
#ifndef REALMVM_ATTEST_COMID_JSON_H
#define REALMVM_ATTEST_COMID_JSON_H

#include <stddef.h>

#include "attest/corim.h"

/* Write the template to path atomically; 0, or -1 after an error. */
int comid_json_write(const char *path, const struct corim_params *p,
		     const struct corim_refval *rv, size_t n);

#endif
