/*
 * lkvm-style comma sub-options of the device options: -d/--disk
 * FILE[,ro], -n/--network mode=...,tapif=...,guest_mac=..., --9p DIR,TAG.
 * Split out of cli.c because each has its own small grammar, and each is
 * unit tested on its own.  A sub-option not understood is an error, never
 * part of a file name.
 */
#ifndef REALMVM_CLI_DEVICES_H
#define REALMVM_CLI_DEVICES_H

#include <stdint.h>

#include "vmm/config.h"

/*
 * Each parser takes the option's argument, which it may cut in place (the
 * config keeps pointers into it), and appends to cfg.  On error a
 * one-line message has been printed and cfg is unchanged.
 */
int cli_parse_disk(struct config *cfg, char *arg);
int cli_parse_network(struct config *cfg, char *arg);
int cli_parse_9p(struct config *cfg, char *arg);

/* "52:54:00:12:34:56" -> 6 bytes; -1 unless exactly that form. */
int cli_parse_mac(const char *s, uint8_t mac[MAC_LEN]);

#endif
