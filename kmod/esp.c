// SPDX-License-Identifier: GPL-2.0
/*
 * What send and receive share: the AEAD request over an ESP packet.
 *
 * The associated data is built in a small buffer in front of the packet's
 * scatterlist rather than in the packet, because with ESN the high half of
 * the sequence number is authenticated but never sent:
 *   rfc4106:     AAD = SPI | [seq hi |] seq lo   (RFC 4106 section 5)
 *   authencesn:  SPI | seq hi | seq lo, the template moves seq hi behind
 *                the ciphertext, as RFC 4303 2.2.1 wants it hashed
 * The explicit IV follows in the packet and is counted as associated data:
 * rfc4106 skips it by its convention, HMAC must cover it.
 */

#include <linux/slab.h>
#include <crypto/aead.h>

#include "esp.h"
#include "sa.h"

struct esptun_crypt *esptun_crypt_alloc(struct esptun_sa *sa, struct sk_buff *skb,
					int nfrags, u64 seq)
{
	unsigned int reqoff, sgoff, len;
	struct esptun_crypt *c;

	reqoff = ALIGN(sizeof(*c), crypto_tfm_ctx_alignment());
	sgoff = ALIGN(reqoff + sizeof(struct aead_request) + crypto_aead_reqsize(sa->aead),
		      __alignof__(struct scatterlist));
	len = sgoff + sizeof(struct scatterlist) * (nfrags + 1);
	/*
	 * Found under RCU, @sa may have lost its last reference to a DELETE
	 * or a rekey since: it carries nothing more.
	 */
	if (!refcount_inc_not_zero(&sa->refcnt))
		return NULL;
	c = kmalloc(len, GFP_ATOMIC);
	if (!c) {
		esptun_sa_put(sa);
		return NULL;
	}
	c->sa = sa;
	c->path = ESPTUN_CRYPT_UNCOUNTED;
	c->skb = skb;
	c->seq = seq;
	c->next = NULL;
	c->req = (void *)c + reqoff;
	c->sg = (void *)c + sgoff;
	sg_init_table(c->sg, nfrags + 1);
	return c;
}

void esptun_crypt_free(struct esptun_crypt *c)
{
	esptun_parallel_done(c);
	esptun_sa_put(c->sa);
	kfree_sensitive(c);
}

static void crypt_done(compat_async_arg_t arg, int err)
{
	struct esptun_crypt *c = compat_async_data(arg);

	local_bh_disable();
	rcu_read_lock();
	c->done(c, err);
	rcu_read_unlock();
	local_bh_enable();
}

/* Starts the prepared request; -EINPROGRESS means @complete follows. */
int esptun_crypt_start(struct esptun_crypt *c, crypto_completion_t complete)
{
	aead_request_set_callback(c->req, 0, complete, c);
	return c->encrypt ? crypto_aead_encrypt(c->req) : crypto_aead_decrypt(c->req);
}

/*
 * skb->data is the ESP header, the IV follows and the packet ends with
 * the ICV (or room for it). @cryptlen is what the AEAD API calls it:
 * the payload, plus the ICV when decrypting. @done is called once the
 * request submitted is done; on an error here the caller finishes.
 */
int esptun_crypt_prepare(struct esptun_crypt *c, bool encrypt, unsigned int cryptlen,
			 void (*done)(struct esptun_crypt *c, int err))
{
	const struct ip_esp_hdr *esph = (const void *)c->skb->data;
	struct esptun_sa *sa = c->sa;
	unsigned int adlen;
	int n;

	c->ad[0] = esph->spi;
	if (esptun_sa_esn(sa)) {
		c->ad[1] = htonl(upper_32_bits(c->seq));
		c->ad[2] = esph->seq_no;
		adlen = 12;
	} else {
		c->ad[1] = esph->seq_no;
		adlen = 8;
	}
	sg_set_buf(c->sg, c->ad, adlen);
	n = skb_to_sgvec(c->skb, c->sg + 1, sizeof(*esph), c->skb->len - sizeof(*esph));
	if (n < 0)
		return n;

	aead_request_set_tfm(c->req, sa->aead);
	aead_request_set_crypt(c->req, c->sg, c->sg, cryptlen, c->iv);
	aead_request_set_ad(c->req, adlen + sa->ivlen);
	c->encrypt = encrypt;
	c->done = done;
	return 0;
}

/*
 * Runs a burst of @n prepared requests of one SA, @first and those
 * chained behind it, in that order: spread as one, or here. Each one's
 * done is called once, in order (an asynchronous one's from crypt_done).
 */
void esptun_crypt_submit(struct esptun_crypt *first, unsigned int n)
{
	struct esptun_crypt *c, *next;
	int err;

	if (esptun_parallel_submit(first, n))
		return;
	for (c = first; c; c = next) {
		/* Once started, @c may be done and freed on another CPU. */
		next = c->next;
		err = esptun_crypt_start(c, crypt_done);
		if (err != -EINPROGRESS)
			c->done(c, err);
	}
}
