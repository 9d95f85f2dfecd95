// SPDX-License-Identifier: GPL-2.0
/*
 * Phase 1 with RSA signatures, two negotiators back to back: a CA, host
 * certificates and a CRL made here with OpenSSL (no key is committed),
 * loaded through the configuration parser as the daemon loads them. Main
 * and Aggressive Mode come up with subject and subjectAltName identities;
 * an expired certificate, one from an unknown CA, a revoked one, one whose
 * key usage forbids signing and one that does not hold remote-id are each
 * refused by the responder with their notify and reason, and no SA is
 * established on either side. Then what the parser refuses.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../creds.h"
#include "peers.h"
#include "pki.h"

static char dir[] = "/tmp/test_ike_cert.XXXXXX";
static EVP_PKEY *ca_key, *other_ca_key, *key_a, *key_b, *ec_a, *ec_b;
static X509 *ca, *other_ca;
static void make_pki(void)
{
	X509 *x;

	CHECK(mkdtemp(dir) != NULL);
	ca_key = EVP_RSA_gen(2048);
	other_ca_key = EVP_RSA_gen(2048);
	key_a = EVP_RSA_gen(2048);
	key_b = EVP_RSA_gen(2048);
	ca = make_cert("Test CA", ca_key, NULL, ca_key, -1, 365, NULL, NULL);
	other_ca = make_cert("Other CA", other_ca_key, NULL, other_ca_key, -1, 365, NULL, NULL);
	write_pem(dir, "ca.pem", ca, NULL, NULL);
	write_pem(dir, "a.key", NULL, key_a, NULL);
	write_pem(dir, "b.key", NULL, key_b, NULL);
	x = make_cert("a", key_a, ca, ca_key, -1, 365, "DNS:a.example,IP:192.0.2.1", NULL);
	write_pem(dir, "a.pem", x, NULL, NULL);
	X509_free(x);
	x = make_cert("b", key_b, ca, ca_key, -1, 365, "DNS:b.example,email:b@example.org",
		      "critical,digitalSignature");
	write_pem(dir, "b.pem", x, NULL, NULL);
	X509_free(x);
	x = make_cert("b", key_b, ca, ca_key, -30, -1, "DNS:b.example", NULL);
	write_pem(dir, "b-expired.pem", x, NULL, NULL);
	X509_free(x);
	x = make_cert("b", key_b, other_ca, other_ca_key, -1, 365, "DNS:b.example", NULL);
	write_pem(dir, "b-unknown-ca.pem", x, NULL, NULL);
	X509_free(x);
	x = make_cert("b", key_b, ca, ca_key, -1, 365, "DNS:b.example", "keyEncipherment");
	write_pem(dir, "b-no-sign.pem", x, NULL, NULL);
	X509_free(x);
	x = make_cert("b", key_b, ca, ca_key, -1, 365, "DNS:b.example", NULL);
	write_pem(dir, "b-revoked.pem", x, NULL, NULL);
	{
		X509_CRL *crl = make_crl(ca, ca_key, ASN1_INTEGER_get(X509_get0_serialNumber(x)));

		write_pem(dir, "crl.pem", NULL, NULL, crl);
		X509_CRL_free(crl);
	}
	X509_free(x);
	/* ECDSA (RFC 4754): a on P-256, b on P-384, both by the RSA CA. */
	ec_a = EVP_EC_gen("P-256");
	ec_b = EVP_EC_gen("P-384");
	write_pem(dir, "ec-a.key", NULL, ec_a, NULL);
	write_pem(dir, "ec-b.key", NULL, ec_b, NULL);
	x = make_cert("a", ec_a, ca, ca_key, -1, 365, "DNS:a.example", NULL);
	write_pem(dir, "ec-a.pem", x, NULL, NULL);
	X509_free(x);
	x = make_cert("b", ec_b, ca, ca_key, -1, 365, "DNS:b.example", NULL);
	write_pem(dir, "ec-b.pem", x, NULL, NULL);
	X509_free(x);
}

/*
 * Parse "[vpn0]" with LINES (cert, key, ca, ids...) from a file in DIR, as
 * the daemon does; 0 and *CFG, or -1 with the error in ERR.
 */
static int load(const char *lines, struct config *cfg, char *err, size_t err_len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/esptun.conf", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "[vpn0]\nlocal = 192.0.2.9\nremote = 192.0.2.8\n%s%s",
		strstr(lines, "auth =") ? "" : "auth = rsa\n", lines);
	fclose(f);
	memset(cfg, 0, sizeof(*cfg));
	return config_load(path, cfg, err, err_len);
}

/* Give side S the credentials and identities of LINES, a section's auth keys. */
static void use_certs(struct side *s, const char *lines)
{
	struct config c;
	char err[300];

	if (load(lines, &c, err, sizeof(err))) {
		fprintf(stderr, "config: %s\n", err);
		CHECK(0);
		return;
	}
	s->t.auth = c.tunnels->auth;
	s->t.creds = c.tunnels->creds;
	s->t.local_id = c.tunnels->local_id;
	s->t.remote_id = c.tunnels->remote_id;
	for (size_t i = 0; i < s->t.n_ike; i++)
		s->t.ike[i].auth = c.tunnels->auth;
	c.tunnels->creds = NULL;
	config_free(&c);
}

/* stderr into a file while a case runs, so the reason logged can be checked. */
static FILE *captured;
static int saved_stderr = -1;

static void capture_start(void)
{
	fflush(stderr);
	captured = tmpfile();
	saved_stderr = dup(2);
	dup2(fileno(captured), 2);
}

/* Stop capturing; whether every one of WORDS (NULL-terminated) was logged. */
static bool capture_has(const char *const *words)
{
	char buf[65536];
	size_t n;
	bool all = true;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	rewind(captured);
	n = fread(buf, 1, sizeof(buf) - 1, captured);
	buf[n] = 0;
	fclose(captured);
	fputs(buf, stderr); /* kept in the test's log */
	for (; *words; words++)
		if (!strstr(buf, *words)) {
			fprintf(stderr, "  not logged: %s\n", *words);
			all = false;
		}
	return all;
}

static void negotiate(const char *auth_a, const char *auth_b)
{
	setup_side(&a, "192.0.2.1", "192.0.2.2", "unused", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "unused", "aes256-sha256-modp2048", "aes128gcm16",
		   false);
	use_certs(&a, auth_a);
	use_certs(&b, auth_b);
	CHECK(ike_initiate(&a.ctx, &a.t) != NULL);
	run(60);
}

static bool established(const struct side *s)
{
	return s->ctx.sas && s->ctx.sas->state == MM_ESTABLISHED;
}

static void done(void)
{
	cleanup();
	creds_free(a.t.creds);
	creds_free(b.t.creds);
}

#define A_CREDS "cert = a.pem\nkey = a.key\nca = ca.pem\n"

static void test_up(void)
{
	static const char *const remote_ids[] = {
		"",
		"remote-id = C=CH, O=esptun, CN=a\n",
		"remote-id = asn1dn:C = CH, O = esptun, CN = a\n", /* spaces, as often written */
		"remote-id = a.example\n",			   /* its subjectAltName */
		"remote-id = 192.0.2.1\n",
	};

	for (int am = 0; am < 2; am++) {
		for (size_t i = 0; i < sizeof(remote_ids) / sizeof(remote_ids[0]); i++) {
			char b_auth[300];

			snprintf(b_auth, sizeof(b_auth),
				 "cert = b.pem\nkey = b.key\nca = ca.pem\ncrl = crl.pem\n%s",
				 remote_ids[i]);
			aggressive_mode = am;
			negotiate(A_CREDS
				  "local-id = fqdn:a.example\nremote-id = C=CH, O=esptun, CN=b\n",
				  b_auth);
			CHECK(established(&a) && established(&b));
			CHECK(keys_match());
			if (!keys_match())
				fprintf(stderr, "  case %s %s\n", am ? "AM" : "MM", remote_ids[i]);
			done();
		}
	}
}

/*
 * ECDSA both ways, on two curves (each side's method is its own key's:
 * P-256 is 9, P-384 is 10); and a peer whose method we do not sign with
 * gets NO-PROPOSAL-CHOSEN.
 */
static void test_ecdsa(void)
{
	for (int am = 0; am < 2; am++) {
		aggressive_mode = am;
		negotiate("auth = ecdsa\ncert = ec-a.pem\nkey = ec-a.key\nca = ca.pem\n",
			  "auth = ecdsa\ncert = ec-b.pem\nkey = ec-b.key\nca = ca.pem\n");
		CHECK(a.t.auth == IKE_AUTH_ECDSA_256 && b.t.auth == IKE_AUTH_ECDSA_384);
		/* Each proposes its own method: the two differ, so nothing is chosen. */
		CHECK(!established(&a) && !established(&b));
		done();
	}
	negotiate("auth = ecdsa\ncert = ec-a.pem\nkey = ec-a.key\nca = ca.pem\n",
		  "auth = ecdsa\ncert = ec-a.pem\nkey = ec-a.key\nca = ca.pem\n");
	CHECK(established(&a) && established(&b) && keys_match());
	done();
	aggressive_mode = true;
	negotiate("auth = ecdsa\ncert = ec-a.pem\nkey = ec-a.key\nca = ca.pem\n",
		  "auth = ecdsa\ncert = ec-a.pem\nkey = ec-a.key\nca = ca.pem\n");
	CHECK(established(&a) && established(&b) && keys_match());
	done();
	negotiate(A_CREDS, "auth = ecdsa\ncert = ec-b.pem\nkey = ec-b.key\nca = ca.pem\n");
	CHECK(!established(&a) && !established(&b));
	done();
}

/* B presents CERT_B as initiator; A, the responder, must refuse it with NOTIFY and WHY. */
static void refused(const char *b_lines, const char *a_extra, const char *notify, const char *why)
{
	char a_auth[300], b_auth[300];
	const char *words[] = { notify, why, NULL };

	snprintf(a_auth, sizeof(a_auth), A_CREDS "%s", a_extra);
	snprintf(b_auth, sizeof(b_auth), "%skey = b.key\nca = ca.pem\n", b_lines);
	setup_side(&a, "192.0.2.1", "192.0.2.2", "unused", "aes256-sha256-modp2048", "aes128gcm16",
		   false);
	setup_side(&b, "192.0.2.2", "192.0.2.1", "unused", "aes256-sha256-modp2048", "aes128gcm16",
		   true);
	use_certs(&a, a_auth);
	use_certs(&b, b_auth);
	capture_start();
	CHECK(ike_initiate(&b.ctx, &b.t) != NULL);
	run(60);
	CHECK(capture_has(words));
	CHECK(!established(&a) && !established(&b));
	CHECK(a.nchild == 0 && b.nchild == 0);
	done();
}

static void test_refused(void)
{
	refused("cert = b-expired.pem\n", "", "INVALID-CERTIFICATE", "has expired");
	refused("cert = b-unknown-ca.pem\n", "", "INVALID-CERTIFICATE", "unknown CA");
	refused("cert = b-revoked.pem\n", "crl = crl.pem\n", "INVALID-CERTIFICATE", "revoked");
	refused("cert = b-no-sign.pem\n", "", "INVALID-CERTIFICATE", "key usage");
	refused("cert = b.pem\n", "remote-id = fqdn:c.example\n", "INVALID-ID-INFORMATION",
		"remote-id");
	refused("cert = b.pem\n", "remote-id = C=CH, O=esptun, CN=c\n", "INVALID-ID-INFORMATION",
		"remote-id");
	/* The revoked certificate passes where no CRL is configured: the CRL is what refuses it. */
	aggressive_mode = false;
	negotiate(A_CREDS, "cert = b-revoked.pem\nkey = b.key\nca = ca.pem\n");
	CHECK(established(&a) && established(&b));
	done();
}

static void config_refused(const char *lines, const char *why)
{
	struct config c;
	char err[300] = "";

	CHECK(load(lines, &c, err, sizeof(err)) != 0);
	if (!strstr(err, why))
		fprintf(stderr, "  expected \"%s\" in: %s\n", why, err);
	CHECK(strstr(err, why) != NULL);
}

static void test_config(void)
{
	char path[256];
	struct config c;
	char err[300];

	config_refused("cert = a.pem\nkey = a.key\n", "needs cert, key and ca");
	config_refused("cert = a.pem\nkey = b.key\nca = ca.pem\n", "not the private key of cert");
	config_refused("cert = a.pem\nkey = a.key\nca = a.pem\n", "not a CA");
	config_refused("cert = a.key\n", "no PEM certificate");
	config_refused("auth = ecdsa\n" A_CREDS, "auth = ecdsa needs an EC key");
	config_refused("cert = ec-a.pem\nkey = ec-a.key\nca = ca.pem\n",
		       "auth = rsa needs an RSA key");
	config_refused("cert = a.pem\nkey = a.key\nca = ca.pem\ncrl = ca.pem\n", "no PEM CRL");
	config_refused(A_CREDS "psk = x\n", "do not belong");
	config_refused(A_CREDS "local-id = fqdn:b.example\n", "local-id is neither");
	config_refused(A_CREDS "remote-id = asn1dn:CN\n", "not a distinguished name");
	config_refused(A_CREDS "remote-id = asn1dn:XX=y\n", "not a distinguished name");
	config_refused("cert = missing.pem\n", "No such file");
	snprintf(path, sizeof(path), "%s/a.key", dir);
	chmod(path, 0640);
	config_refused("cert = a.pem\nkey = a.key\nca = ca.pem\n", "lets others read it");
	chmod(path, 0600);
	/* Certificates need auth = rsa. */
	snprintf(path, sizeof(path), "%s/psk.conf", dir);
	{
		FILE *f = fopen(path, "w");

		fprintf(f, "[vpn0]\nlocal = 192.0.2.9\nremote = 192.0.2.8\npsk = x\n"
			   "cert = a.pem\n");
		fclose(f);
	}
	memset(&c, 0, sizeof(c));
	CHECK(config_load(path, &c, err, sizeof(err)) != 0);
	CHECK(strstr(err, "need auth = rsa") != NULL);
	if (!strstr(err, "need auth = rsa"))
		fprintf(stderr, "  got: %s\n", err);
	/* Our ID by default: our subject, as DER. */
	CHECK(load(A_CREDS, &c, err, sizeof(err)) == 0);
	CHECK(c.tunnels->local_id.type == ID_DER_ASN1_DN &&
	      creds_cert_has_id(c.tunnels->creds->cert, ID_DER_ASN1_DN, c.tunnels->local_id.data,
				c.tunnels->local_id.len));
	CHECK(c.tunnels->ike[0].auth == IKE_AUTH_RSA_SIG);
	config_free(&c);
}

int main(void)
{
	umask(077); /* the parser refuses an inline psk in a file others may read */
	make_pki();
	test_up();
	test_refused();
	test_ecdsa();
	test_config();
	X509_free(ca);
	X509_free(other_ca);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(other_ca_key);
	EVP_PKEY_free(key_a);
	EVP_PKEY_free(key_b);
	EVP_PKEY_free(ec_a);
	EVP_PKEY_free(ec_b);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		CHECK(system(cmd) == 0);
	}
	TEST_DONE("test_ike_cert");
}
