// SPDX-License-Identifier: GPL-2.0
/*
 * What a reload changes: a tunnel added, removed, changed or not. The
 * daemon (daemon_control.c) leaves an unchanged tunnel up through it.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "config.h"

static bool ike_prop_equal(const struct ike_prop *a, const struct ike_prop *b)
{
	return a->cipher == b->cipher && a->key_bits == b->key_bits && a->hash == b->hash &&
	       a->group == b->group && a->auth == b->auth && a->life_s == b->life_s &&
	       a->life_kb == b->life_kb;
}

static bool esp_prop_equal(const struct esp_prop *a, const struct esp_prop *b)
{
	return a->transform == b->transform && a->mode == b->mode && a->key_bits == b->key_bits &&
	       a->auth == b->auth && a->pfs_group == b->pfs_group && a->life_s == b->life_s &&
	       a->life_kb == b->life_kb;
}

/*
 * Field by field: the structs have padding, and memcmp would see it. remote_line is no setting.
 * Nor are the files behind cert, key, ca and crl: a renewed certificate or a new CRL applies
 * from the next negotiation, and the tunnel stays up through the reload.
 */
static bool tunnel_equal(const struct tunnel_cfg *a, const struct tunnel_cfg *b)
{
	size_t i;

	if (strcmp(a->name, b->name) || a->family != b->family ||
	    memcmp(a->local, b->local, sizeof(a->local)) ||
	    memcmp(a->remote, b->remote, sizeof(a->remote)) || a->aggressive != b->aggressive ||
	    a->auth != b->auth || a->psk_len != b->psk_len ||
	    CRYPTO_memcmp(a->psk, b->psk, a->psk_len) ||
	    !config_id_equal(&a->local_id, &b->local_id) ||
	    !config_id_equal(&a->remote_id, &b->remote_id) ||
	    !config_ts_equal(a->local_ts, a->n_local_ts, b->local_ts, b->n_local_ts) ||
	    !config_ts_equal(a->remote_ts, a->n_remote_ts, b->remote_ts, b->n_remote_ts) ||
	    !config_ts_equal(&a->address, 1, &b->address, 1) || a->routes != b->routes ||
	    a->n_ike != b->n_ike || a->n_esp != b->n_esp || a->ike_lifetime != b->ike_lifetime ||
	    a->lifetime != b->lifetime || a->lifetime_kb != b->lifetime_kb ||
	    a->ike_lifetime_kb != b->ike_lifetime_kb || a->dpd_delay != b->dpd_delay ||
	    a->dpd_timeout != b->dpd_timeout || a->dpd_action != b->dpd_action ||
	    a->encap != b->encap || a->nat_keepalive != b->nat_keepalive ||
	    a->fragmentation != b->fragmentation || a->fragment_size != b->fragment_size ||
	    a->esp_timeout != b->esp_timeout || a->initiate != b->initiate)
		return false;
	for (i = 0; i < a->n_ike; i++)
		if (!ike_prop_equal(&a->ike[i], &b->ike[i]))
			return false;
	for (i = 0; i < a->n_esp; i++)
		if (!esp_prop_equal(&a->esp[i], &b->esp[i]))
			return false;
	return true;
}

enum tunnel_change config_change(const struct config *old, const struct config *new,
				 const char *name)
{
	const struct tunnel_cfg *a = config_find(old, name), *b = config_find(new, name);

	if (!a)
		return TUNNEL_ADDED;
	if (!b)
		return TUNNEL_REMOVED;
	return tunnel_equal(a, b) ? TUNNEL_UNCHANGED : TUNNEL_CHANGED;
}
