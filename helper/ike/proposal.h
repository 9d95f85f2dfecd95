/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Proposals: strongSwan-syntax strings from the configuration
 * ("aes256-sha256-modp2048"), their encoding as IKEv1 SA payloads for phase
 * 1 (RFC 2409 Appendix A) and phase 2 (RFC 2407 4.5), and the choice of
 * the first offered transform our configuration allows.
 */
#ifndef ESPTUN_IKE_PROPOSAL_H
#define ESPTUN_IKE_PROPOSAL_H

#include <stddef.h>
#include <stdint.h>

#include "isakmp.h"

#define PROP_MAX 8

/* One phase-1 transform. */
/* Phase-1 authentication methods (RFC 2409 appendix A) that esptun speaks. */
enum ike_auth {
	IKE_AUTH_PSK = 1,
	IKE_AUTH_RSA_SIG = 3,
	IKE_AUTH_ECDSA_256 = 9, /* RFC 4754: P-256, P-384, P-521 */
	IKE_AUTH_ECDSA_384 = 10,
	IKE_AUTH_ECDSA_521 = 11,
};

struct ike_prop {
	int cipher;	       /* enum ike_cipher */
	unsigned int key_bits; /* 0 for 3DES */
	int hash;	       /* enum ike_hash */
	int group;
	int auth;		  /* enum ike_auth: how phase 1 authenticates */
	uint32_t life_s, life_kb; /* 0: not proposed */
	/* Chosen from a peer's offer: its numbers there, which the reply keeps (RFC 2408 4.2). */
	uint8_t prop_num, transform_num;
};

/* ESP transform IDs (RFC 2407 4.4.4, RFC 4106 and the IANA registry). */
enum { ESP_3DES = 3, ESP_AES_CBC = 12, ESP_AES_GCM_16 = 20 };
/* Phase-2 authentication algorithm attribute values. */
enum { AUTH_HMAC_SHA1 = 2, AUTH_HMAC_SHA256 = 5, AUTH_HMAC_SHA384 = 6, AUTH_HMAC_SHA512 = 7 };

/*
 * Encapsulation modes (RFC 2407 4.5, RFC 3947 5): tunnel, and tunnel in
 * UDP as RFC 3947 numbers it and as the NAT-T drafts did.
 */
enum { ESP_MODE_TUNNEL = 1, ESP_MODE_UDP_TUNNEL = 3, ESP_MODE_UDP_TUNNEL_DRAFT = 61443 };

/* One ESP transform. */
struct esp_prop {
	int transform;
	uint16_t mode;	       /* ESP_MODE_*; 0 means tunnel */
	unsigned int key_bits; /* 0 for 3DES */
	int auth;	       /* 0 with AES-GCM */
	int pfs_group;	       /* 0: no PFS */
	uint32_t life_s, life_kb;
	uint8_t prop_num, transform_num; /* as in struct ike_prop */
};

/* What the kernel needs for an ESP transform, and how much KEYMAT it takes. */
struct esp_kernel_alg {
	const char *aead, *enc, *auth; /* kernel crypto API names, NULL when unused */
	size_t enc_key_len;	       /* with the 4-byte salt for rfc4106 */
	size_t auth_key_len;
	unsigned int icv_bits;
};
int esp_prop_kernel(const struct esp_prop *p, struct esp_kernel_alg *k);

/*
 * Parse a comma-separated list of proposals. Returns the count (1..PROP_MAX)
 * or -1 with the reason in ERR.
 */
int prop_parse_ike(const char *s, struct ike_prop *out, char *err, size_t err_len);
int prop_parse_esp(const char *s, struct esp_prop *out, char *err, size_t err_len);

/* "aes256-sha256-modp2048" for log lines. */
void prop_ike_str(const struct ike_prop *p, char *buf, size_t len);
void prop_esp_str(const struct esp_prop *p, char *buf, size_t len);

/* Phase 1 SA payload: one ISAKMP proposal with the N transforms in preference order. */
void prop_build_ike(struct isakmp_builder *b, const struct ike_prop *p, size_t n);

/*
 * Choose from an offered phase-1 SA payload the first transform equal to
 * one of MINE (lifetimes aside). Returns 0 with *CHOSEN (carrying the
 * offered lifetimes), or a notify type with the reason in WHY.
 */
int prop_select_ike(const struct isakmp_payload *sa, const struct ike_prop *mine, size_t n,
		    struct ike_prop *chosen, char *why, size_t why_len);

/* Phase 2 SA payload: one ESP proposal with SPI and the N transforms, tunnel mode. */
void prop_build_esp(struct isakmp_builder *b, const struct esp_prop *p, size_t n, uint32_t spi);

/* As prop_select_ike for ESP; *SPI is the SPI of the chosen proposal. */
int prop_select_esp(const struct isakmp_payload *sa, const struct esp_prop *mine, size_t n,
		    struct esp_prop *chosen, uint32_t *spi, char *why, size_t why_len);

/*
 * Phase 2 lifetime attributes (RFC 2407 4.5) on their own, as the data of a
 * RESPONDER-LIFETIME notify (RFC 2407 4.6.3.1): S seconds and KB
 * kilobytes, each left out when 0.
 */
void prop_put_esp_life(struct isakmp_builder *b, uint32_t s, uint32_t kb);

/*
 * Read such data into *S and *KB (0 where absent). -1 when it is malformed
 * or carries an attribute other than the lifetimes.
 */
int prop_parse_esp_life(const uint8_t *data, size_t len, uint32_t *s, uint32_t *kb);

#endif
