// SPDX-License-Identifier: GPL-2.0
/*
 * NAT traversal (RFC 3947): the NAT-D hash against an independent SHA
 * computation, vendor ID recognition, NAT-D and NAT-OA payloads of every
 * wrong shape, and two in-memory negotiators with one behind a NAT (Main
 * and Aggressive Mode): detection on both sides, the float to the NAT-T
 * ports, the UDP encapsulation mode, keepalives from the NAT'd side only,
 * a changed mapping followed (by IKE, and as the kernel reports it), encap =
 * always without NAT and encap = never.
 */
#include <openssl/evp.h>

#include "peers.h"

static const uint8_t rfc_vid[16] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
				     0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };

/* A bare IKE SA for the payload-level checks. */
static struct ike_sa fake;
static struct ike_ctx fake_ctx;
static struct tunnel_cfg fake_cfg;

static void fake_sa(int hash)
{
	memset(&fake, 0, sizeof(fake));
	memset(&fake_ctx, 0, sizeof(fake_ctx));
	memset(&fake_cfg, 0, sizeof(fake_cfg));
	strcpy(fake_cfg.name, "vpn0");
	fake_cfg.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.2", fake_cfg.local);
	fake.cfg = &fake_cfg;
	fake.ctx = &fake_ctx;
	fake.prop.hash = hash;
	memcpy(fake.icookie, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	memcpy(fake.rcookie, "\x11\x12\x13\x14\x15\x16\x17\x18", 8);
}

static void test_hash(void)
{
	uint8_t got[IKE_MAX_HASH], want[EVP_MAX_MD_SIZE], input[8 + 8 + 16 + 2];
	struct sockaddr_storage addr;
	unsigned int want_len;

	fake_sa(IKE_HASH_SHA256);
	ike_sockaddr(AF_INET, (const uint8_t *)"\xc0\x00\x02\x01", 4500, &addr);
	memcpy(input, fake.icookie, 8);
	memcpy(input + 8, fake.rcookie, 8);
	memcpy(input + 16, "\xc0\x00\x02\x01\x11\x94", 6); /* 192.0.2.1, port 4500 */
	EVP_Digest(input, 22, want, &want_len, EVP_sha256(), NULL);
	CHECK(nat_hash(&fake, &addr, got) == 32 && want_len == 32 && !memcmp(got, want, 32));

	fake.prop.hash = IKE_HASH_SHA1;
	ike_sockaddr(AF_INET6, (const uint8_t *)"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 500,
		     &addr);
	memcpy(input + 16, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01\x01\xf4", 18);
	EVP_Digest(input, 34, want, &want_len, EVP_sha1(), NULL);
	CHECK(nat_hash(&fake, &addr, got) == 20 && !memcmp(got, want, 20));

	addr.ss_family = AF_UNIX;
	CHECK(nat_hash(&fake, &addr, got) == 0);
}

static void test_vids(void)
{
	static const char *const drafts[] = { "draft-ietf-ipsec-nat-t-ike-02",
					      "draft-ietf-ipsec-nat-t-ike-02\n",
					      "draft-ietf-ipsec-nat-t-ike-03" };
	static const enum natt_version versions[] = { NATT_DRAFT_02, NATT_DRAFT_02_N,
						      NATT_DRAFT_03 };
	uint8_t md5[16], junk[17] = { 0 };
	struct isakmp_payload vid = { .type = ISAKMP_NP_VID, .body = md5, .len = 16 };

	fake_sa(IKE_HASH_SHA256);
	for (size_t i = 0; i < 3; i++) {
		EVP_Digest(drafts[i], strlen(drafts[i]), md5, NULL, EVP_md5(), NULL);
		CHECK(nat_take_vid(&fake, &vid) && fake.nat.version == versions[i]);
	}
	/* The best one wins, whatever the order. */
	vid.body = rfc_vid;
	CHECK(nat_take_vid(&fake, &vid) && fake.nat.version == NATT_RFC);
	EVP_Digest(drafts[0], strlen(drafts[0]), md5, NULL, EVP_md5(), NULL);
	vid.body = md5;
	CHECK(nat_take_vid(&fake, &vid) && fake.nat.version == NATT_RFC);
	/* Wrong lengths and unknown IDs are not NAT-T. */
	vid.body = junk;
	vid.len = 17;
	CHECK(!nat_take_vid(&fake, &vid));
	vid.len = 16;
	CHECK(!nat_take_vid(&fake, &vid));
	/* encap = never recognises the ID but does not use it. */
	fake_sa(IKE_HASH_SHA256);
	fake_cfg.encap = ENCAP_NEVER;
	vid.body = rfc_vid;
	CHECK(nat_take_vid(&fake, &vid) && fake.nat.version == NATT_NONE);
	/* Draft peers get the draft encapsulation mode. */
	fake_sa(IKE_HASH_SHA256);
	fake.nat.version = NATT_DRAFT_03;
	CHECK(nat_encap_mode(&fake) == ESP_MODE_TUNNEL);
	fake.nat.local_nat = true;
	CHECK(nat_encap_mode(&fake) == ESP_MODE_UDP_TUNNEL_DRAFT);
	fake.nat.version = NATT_RFC;
	CHECK(nat_encap_mode(&fake) == ESP_MODE_UDP_TUNNEL);
}

/* A message of PAYLOADS (type, length) whose bodies are HASHES[i] or filler. */
static void message(struct isakmp_msg *m, const uint8_t *types, const size_t *lens, size_t n,
		    const uint8_t (*bodies)[IKE_MAX_HASH])
{
	static uint8_t filler[IKE_MAX_HASH];

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < n; i++) {
		m->p[i].type = types[i];
		m->p[i].body = bodies ? bodies[i] : filler;
		m->p[i].len = lens[i];
	}
	m->n = n;
}

static void test_natd_payloads(void)
{
	uint8_t h[2][IKE_MAX_HASH];
	struct sockaddr_storage from, local;
	struct isakmp_msg m;
	const uint8_t two[] = { ISAKMP_NP_NATD, ISAKMP_NP_NATD };
	size_t lens[2] = { 32, 32 };

	fake_sa(IKE_HASH_SHA256);
	fake.nat.version = NATT_RFC;
	ike_sockaddr(AF_INET, (const uint8_t *)"\xc6\x33\x64\x01", 40000, &from);
	ike_sockaddr(AF_INET, fake_cfg.local, 500, &local);
	fake_ctx.rx_from = &from;
	nat_hash(&fake, &local, h[0]);
	nat_hash(&fake, &from, h[1]);

	/* Both match: no NAT. */
	message(&m, two, lens, 2, (const uint8_t(*)[IKE_MAX_HASH])h);
	CHECK(nat_take_natd(&fake, &m) == 0 && !fake.nat.local_nat && !fake.nat.remote_nat);
	/* Ours from another port: we are behind a NAT; theirs unknown: so are they. */
	ike_sockaddr(AF_INET, fake_cfg.local, 4500, &local);
	nat_hash(&fake, &local, h[1]);
	CHECK(nat_take_natd(&fake, &m) == 0 && fake.nat.remote_nat && !fake.nat.local_nat);
	message(&m, two, lens, 2, NULL);
	CHECK(nat_take_natd(&fake, &m) == 0 && fake.nat.local_nat && fake.nat.remote_nat);
	/* Wrong lengths, one payload only, the draft type from an RFC peer. */
	for (size_t bad = 0; bad < 4; bad++) {
		size_t l[2] = { 32, 32 };
		static const size_t wrong[] = { 0, 20, 31, 64 };

		l[bad % 2] = wrong[bad];
		message(&m, two, l, 2, NULL);
		CHECK(nat_take_natd(&fake, &m) == ISAKMP_N_PAYLOAD_MALFORMED);
	}
	message(&m, two, lens, 1, NULL);
	CHECK(nat_take_natd(&fake, &m) == ISAKMP_N_PAYLOAD_MALFORMED);
	/* None (the draft type does not count for an RFC peer): NAT-T is off. */
	const uint8_t draft[] = { ISAKMP_NP_NATD_DRAFT, ISAKMP_NP_NATD_DRAFT };
	message(&m, draft, lens, 2, NULL);
	CHECK(nat_take_natd(&fake, &m) == 0 && fake.nat.version == NATT_NONE);
}

static void test_natoa_payloads(void)
{
	static const struct {
		uint8_t type, id;
		size_t len;
		int want;
	} cases[] = {
		{ ISAKMP_NP_NATOA, ID_IPV4_ADDR, 8, 0 },
		{ ISAKMP_NP_NATOA_DRAFT, ID_IPV6_ADDR, 20, 0 },
		{ ISAKMP_NP_NATOA, ID_IPV4_ADDR, 7, ISAKMP_N_PAYLOAD_MALFORMED },
		{ ISAKMP_NP_NATOA, ID_IPV4_ADDR, 9, ISAKMP_N_PAYLOAD_MALFORMED },
		{ ISAKMP_NP_NATOA, ID_IPV4_ADDR, 20, ISAKMP_N_PAYLOAD_MALFORMED },
		{ ISAKMP_NP_NATOA, ID_IPV6_ADDR, 8, ISAKMP_N_PAYLOAD_MALFORMED },
		{ ISAKMP_NP_NATOA, ID_FQDN, 8, ISAKMP_N_PAYLOAD_MALFORMED },
		{ ISAKMP_NP_NATOA, 0, 0, ISAKMP_N_PAYLOAD_MALFORMED },
	};
	uint8_t body[IKE_MAX_HASH] = { 0 };
	struct isakmp_msg m = { .n = 1 };

	fake_sa(IKE_HASH_SHA256);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		body[0] = cases[i].id;
		m.p[0] = (struct isakmp_payload){ .type = cases[i].type,
						  .body = body,
						  .len = cases[i].len };
		CHECK(nat_check_oa(&fake, &m) == cases[i].want);
	}
	/* On the wire: a NAT-OA whose length runs past the datagram is refused by the parser. */
	const uint8_t wire[] = { 0, 0, 0, 200, ID_IPV4_ADDR, 0, 0, 0, 10, 0, 0, 1 };
	CHECK(isakmp_parse_payloads(&m, ISAKMP_NP_NATOA, wire, sizeof(wire)) != 0);
}

static void nat_setup(bool aggressive, enum encap_policy encap_a)
{
	aggressive_mode = aggressive;
	setup_side(&a, "10.1.0.2", "192.0.2.2", "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", true);
	aggressive_mode = aggressive;
	setup_side(&b, "192.0.2.2", NAT_PUBLIC, "k", "aes256-sha256-modp2048",
		   "aes128gcm16-modp2048", false);
	a.nat_port = 40000;
	a.t.encap = encap_a;
}

static uint16_t port_of(const struct sockaddr_storage *s)
{
	return ntohs(((const struct sockaddr_in *)s)->sin_port);
}

static void test_behind_nat(bool aggressive)
{
	struct ike_sa *sa_a, *sa_b;

	nat_setup(aggressive, ENCAP_AUTO);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(30);
	CHECK(keys_match());
	sa_a = a.ctx.sas;
	sa_b = b.ctx.sas;
	if (!sa_a || !sa_b) {
		CHECK(!"no IKE SA");
		cleanup();
		return;
	}
	CHECK(sa_a->nat.version == NATT_RFC && sa_b->nat.version == NATT_RFC);
	CHECK(sa_a->nat.local_nat && !sa_a->nat.remote_nat);
	CHECK(!sa_b->nat.local_nat && sa_b->nat.remote_nat);
	CHECK(sa_a->nat.floated && sa_b->nat.floated);
	/* A's device sends to B's 4500; B's to the port A's NAT-T port maps to. */
	CHECK(a.ep.udp && port_of(&a.ep.peer) == 4500 && a.ep.sport == 4500);
	CHECK(b.ep.udp && port_of(&b.ep.peer) == 40001);
	CHECK(a.child[0].prop.mode == ESP_MODE_UDP_TUNNEL);
	CHECK(b.child[0].prop.mode == ESP_MODE_UDP_TUNNEL);
	/* Keepalives every 20 s from the NAT'd side only. */
	run(61);
	CHECK(a.keepalives >= 2 && b.keepalives == 0);

	/* The mapping changes; A's next authenticated message moves B. */
	a.nat_port = 41000;
	CHECK(qm_start(sa_a, 0) == 0);
	run(5);
	CHECK(b.endpoints == 1 && port_of(&b.ep.peer) == 41001 && b.ep.udp);
	CHECK(port_of(&sa_b->peer) == 41001);
	CHECK(a.nchild == 2 && b.nchild == 2);

	/* The kernel saw B's ESP from yet another mapping: IKE follows, once. */
	struct sockaddr_storage moved;
	ike_sockaddr(AF_INET, (const uint8_t *)"\xc6\x33\x64\x02", 42001, &moved);
	CHECK(nat_peer_moved(&b.ctx, "vpn1", &moved) == NULL);
	CHECK(nat_peer_moved(&b.ctx, "vpn0", &moved) == sa_b && port_of(&sa_b->peer) == 42001);
	CHECK(nat_peer_moved(&b.ctx, "vpn0", &moved) == NULL);
	cleanup();
}

static void test_hostile_nat(void)
{
	/* Truncated and bit-flipped copies of every message, through the NAT. */
	nat_setup(false, ENCAP_AUTO);
	mangle = 1;
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(30);
	CHECK(keys_match() && a.ep.udp && b.ep.udp);
	cleanup();
}

/* A and B with no NAT between them, encap = auto: A initiates, both established. */
static void established_without_nat(void)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   false);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(30);
	CHECK(keys_match() && a.ctx.sas && b.ctx.sas);
}

static void test_policies(void)
{
	/* encap = always without a NAT: both sides use UDP, the forcing side keeps it alive. */
	setup_side(&a, "192.0.2.1", "192.0.2.2", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "k", "aes256-sha256-modp2048", "aes128gcm16",
		   false);
	a.t.encap = ENCAP_ALWAYS;
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(30);
	CHECK(keys_match());
	CHECK(a.ctx.sas && a.ctx.sas->nat.forced && !a.ctx.sas->nat.local_nat);
	CHECK(b.ctx.sas && b.ctx.sas->nat.remote_nat);
	CHECK(a.ep.udp && b.ep.udp && port_of(&b.ep.peer) == 4500);
	CHECK(a.child[0].prop.mode == ESP_MODE_UDP_TUNNEL);
	run(30);
	CHECK(a.keepalives >= 1 && b.keepalives == 0);
	cleanup();

	/* No NAT, encap = auto: NAT-T agreed but unused. */
	established_without_nat();
	CHECK(!a.ep.udp && !b.ep.udp);
	CHECK(a.ctx.sas && a.ctx.sas->nat.version == NATT_RFC && !a.ctx.sas->nat.floated);
	CHECK(a.child[0].prop.mode == ESP_MODE_TUNNEL);
	cleanup();

	/* encap = never behind a NAT: no NAT-T at all, plain ESP (which the NAT may break). */
	nat_setup(false, ENCAP_NEVER);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(30);
	CHECK(keys_match() && !a.ep.udp && !b.ep.udp);
	CHECK(a.ctx.sas && a.ctx.sas->nat.version == NATT_NONE);
	CHECK(b.ctx.sas && b.ctx.sas->nat.version == NATT_NONE);
	cleanup();
}

/*
 * No NAT on the path: an authenticated message arriving on the NAT-T port
 * from another address (a replay, or a spoofed copy) floats nothing and
 * does not re-point the device.
 */
static void test_no_follow_without_nat(void)
{
	struct sockaddr_storage elsewhere;
	struct packet p = { 0 };

	established_without_nat();
	if (!a.ctx.sas || !b.ctx.sas)
		return cleanup();
	info_notify(b.ctx.sas, ISAKMP_N_R_U_THERE_ACK);
	CHECK(qlen == 1);
	p = queue[0];
	qlen = 0;
	ike_sockaddr(AF_INET, (const uint8_t *)"\xcb\x00\x71\x09", 4500, &elsewhere);
	ike_input_natt(&a.ctx, &elsewhere, p.buf, p.len);
	CHECK(a.endpoints == 0 && port_of(&a.ctx.sas->peer) == 500);
	cleanup();
}

int main(void)
{
	test_hash();
	test_vids();
	test_natd_payloads();
	test_natoa_payloads();
	test_behind_nat(false);
	test_behind_nat(true);
	test_hostile_nat();
	test_policies();
	test_no_follow_without_nat();
	TEST_DONE("test_ike_nat");
}
