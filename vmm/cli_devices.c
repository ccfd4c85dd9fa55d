/*
 * Sub-option parsing for -d/--disk, -n/--network and --9p, spelled as
 * lkvm spells them.  The argument is cut at commas in place; the config
 * keeps pointers into argv, which lives as long as the process.
 */
#include <string.h>

#include "vmm/cli_devices.h"
#include "vmm/util.h"

#define IFNAME_MAX	15	/* IFNAMSIZ - 1 */

/* Cut s at the next ','; returns the rest, or NULL at the end. */
static char *next_field(char *s)
{
	char *comma = strchr(s, ',');

	if (!comma)
		return NULL;
	*comma = '\0';
	return comma + 1;
}

int cli_parse_disk(struct config *cfg, char *arg)
{
	struct disk_config d = { .path = arg };
	char *opt, *rest;

	if (cfg->nr_disks >= MAX_DISKS)
		return pr_err("too many --disk options (at most %u)",
			      MAX_DISKS);
	rest = next_field(arg);
	if (!*arg)
		return pr_err("--disk needs a file name (--disk FILE[,ro])");
	for (opt = rest; opt; opt = rest) {
		rest = next_field(opt);
		if (!strcmp(opt, "ro"))
			d.readonly = true;
		else
			return pr_err("unknown --disk sub-option '%s' for %s (only ro is known; a file name cannot contain ',')",
				      opt, arg);
	}
	cfg->disks[cfg->nr_disks++] = d;
	return 0;
}

int cli_parse_mac(const char *s, uint8_t mac[MAC_LEN])
{
	unsigned int i;
	size_t n;

	for (i = 0; i < MAC_LEN; i++, s += 3) {
		/* Never read past the NUL: a short pair fails hex_decode(). */
		char pair[3] = { s[0], s[0] ? s[1] : '\0', '\0' };

		if (hex_decode(pair, &mac[i], 1, &n) || n != 1)
			return -1;
		if (s[2] != (i == MAC_LEN - 1 ? '\0' : ':'))
			return -1;
	}
	return 0;
}

static int check_ifname(const char *name)
{
	if (!*name || strlen(name) > IFNAME_MAX || strchr(name, '/') ||
	    !strcmp(name, ".") || !strcmp(name, ".."))
		return pr_err("invalid tap interface name '%s' (1 to %u characters, no '/')",
			      name, IFNAME_MAX);
	return 0;
}

/* One key=value of -n into n; mode_set records that mode= was given. */
static int net_field(struct net_config *n, bool *mode_set, char *field)
{
	char *val = strchr(field, '=');

	if (!val)
		return pr_err("invalid --network sub-option '%s' (expected key=value: mode=, tapif= or guest_mac=)",
			      field);
	*val++ = '\0';
	if (!strcmp(field, "mode")) {
		if (!strcmp(val, "tap"))
			n->mode = NET_MODE_TAP;
		else if (!strcmp(val, "user"))
			n->mode = NET_MODE_USER;
		else if (!strcmp(val, "none"))
			n->mode = NET_MODE_NONE;
		else
			return pr_err("invalid --network mode '%s' (tap, user or none)",
				      val);
		*mode_set = true;
		return 0;
	}
	/* tap=NAME: realmvm's earlier spelling of mode=tap,tapif=NAME */
	if (!strcmp(field, "tapif") || !strcmp(field, "tap")) {
		if (n->tapif)
			return pr_err("--network gives the tap interface twice");
		if (check_ifname(val))
			return -1;
		n->tapif = val;
		return 0;
	}
	if (!strcmp(field, "guest_mac")) {
		if (cli_parse_mac(val, n->mac))
			return pr_err("invalid --network guest_mac '%s' (six hex bytes: 52:54:00:12:34:56)",
				      val);
		if (n->mac[0] & 1)
			return pr_err("invalid --network guest_mac '%s': a multicast address (clear bit 0 of the first byte)",
				      val);
		n->mac_set = true;
		return 0;
	}
	return pr_err("unknown --network sub-option '%s' (mode, tapif or guest_mac)",
		      field);
}

int cli_parse_network(struct config *cfg, char *arg)
{
	struct net_config n = { .mode = NET_MODE_USER };
	bool mode_set = false;
	char *field, *rest;

	if (!strcmp(arg, "none")) {	/* lkvm: -n none */
		n.mode = NET_MODE_NONE;
		mode_set = true;
	} else {
		for (field = arg; field; field = rest) {
			rest = next_field(field);
			if (net_field(&n, &mode_set, field))
				return -1;
		}
	}
	/* lkvm's default mode is user; a tap interface implies mode=tap. */
	if (!mode_set && n.tapif)
		n.mode = NET_MODE_TAP;
	switch (n.mode) {
	case NET_MODE_TAP:
		if (!n.tapif)
			return pr_err("--network mode=tap needs tapif=NAME");
		break;
	case NET_MODE_USER:
		if (n.tapif)
			return pr_err("--network mode=user takes no tapif (that is mode=tap)");
		break;
	case NET_MODE_NONE:
		if (n.tapif || n.mac_set)
			return pr_err("--network mode=none takes no other sub-option");
		if (cfg->nr_nets)
			return pr_err("--network mode=none contradicts the other --network options");
		cfg->net_none = true;
		return 0;
	}
	if (cfg->net_none)
		return pr_err("--network mode=none contradicts the other --network options");
	if (cfg->nr_nets >= MAX_NETS)
		return pr_err("too many --network options (at most %u)",
			      MAX_NETS);
	cfg->nets[cfg->nr_nets++] = n;
	return 0;
}

int cli_parse_9p(struct config *cfg, char *arg)
{
	char *tag = next_field(arg);
	unsigned int i;

	if (!*arg || !tag || !*tag)
		return pr_err("--9p needs DIR,TAG (a directory and a mount tag)");
	if (strchr(tag, ','))
		return pr_err("invalid --9p tag '%s': it cannot contain ','",
			      tag);
	if (strlen(tag) > P9_TAG_MAX)
		return pr_err("--9p tag '%s' is too long (at most %u bytes)",
			      tag, P9_TAG_MAX);
	/* The guest names the share by its tag on mount's command line. */
	for (i = 0; tag[i]; i++)
		if (tag[i] <= ' ' || tag[i] > '~')
			return pr_err("--9p tag '%s' has a space or control character (use letters, digits, punctuation)",
				      tag);
	for (i = 0; i < cfg->nr_p9; i++)
		if (!strcmp(cfg->p9[i].tag, tag))
			return pr_err("--9p tag '%s' is given twice", tag);
	if (cfg->nr_p9 >= MAX_9P)
		return pr_err("too many --9p options (at most %u)", MAX_9P);
	cfg->p9[cfg->nr_p9].dir = arg;
	cfg->p9[cfg->nr_p9].tag = tag;
	cfg->nr_p9++;
	return 0;
}
