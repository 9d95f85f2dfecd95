// SPDX-License-Identifier: GPL-2.0
/*
 * Security associations: creation with the crypto API, the per-device
 * outbound table (ordered by selector) and inbound slots, the lock-free
 * SPI table that receive uses, lifetimes, and freeing.
 *
 * Configuration (install, remove, flush, reap) runs under RTNL. The data
 * path only reads RCU pointers and takes a reference for the time an
 * asynchronous crypto request is in flight. An SA is freed from a work
 * item after an RCU grace period, because crypto_free_aead() wants process
 * context and readers may still hold the pointer.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <crypto/authenc.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>

#include "esp.h"
#include "netlink.h"
#include "replay.h"
#include "sa.h"
#include "spi.h"

static const struct esptun_alg algs[] = {
	/* The key carries the 4-byte salt of RFC 4106 section 8.1. */
	{ "rfc4106(gcm(aes))", ESPTUN_ALG_AEAD, 4, 8, { 20, 28, 36 }, 128 },
	{ "cbc(aes)", ESPTUN_ALG_ENC, 16, 16, { 16, 24, 32 }, 0 },
	{ "cbc(des3_ede)", ESPTUN_ALG_ENC, 8, 8, { 24 }, 0 },
	{ "hmac(sha1)", ESPTUN_ALG_AUTH, 0, 0, { 0 }, 160 },
	{ "hmac(sha256)", ESPTUN_ALG_AUTH, 0, 0, { 0 }, 256 },
	{ "hmac(sha384)", ESPTUN_ALG_AUTH, 0, 0, { 0 }, 384 },
	{ "hmac(sha512)", ESPTUN_ALG_AUTH, 0, 0, { 0 }, 512 },
};

static struct workqueue_struct *esptun_wq;
static void reap(struct work_struct *work);
static DECLARE_WORK(reap_work, reap);

const struct esptun_alg *esptun_alg_find(const char *name, enum esptun_alg_kind kind)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(algs); i++)
		if (algs[i].kind == kind && !strcmp(algs[i].name, name))
			return &algs[i];
	return NULL;
}

static int set_authenc_key(struct crypto_aead *aead, const struct esptun_sa_config *cfg)
{
	unsigned int len = RTA_SPACE(sizeof(struct crypto_authenc_key_param)) +
			   cfg->auth_keylen + cfg->enc_keylen;
	struct crypto_authenc_key_param *param;
	struct rtattr *rta;
	u8 *blob, *p;
	int err;

	blob = kmalloc(len, GFP_KERNEL);
	if (!blob)
		return -ENOMEM;
	rta = (struct rtattr *)blob;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(cfg->enc_keylen);
	p = blob + RTA_SPACE(sizeof(*param));
	memcpy(p, cfg->auth_key, cfg->auth_keylen);
	memcpy(p + cfg->auth_keylen, cfg->enc_key, cfg->enc_keylen);
	err = crypto_aead_setkey(aead, blob, len);
	kfree_sensitive(blob);
	return err;
}

static int init_crypto(struct esptun_sa *sa, const struct esptun_sa_config *cfg)
{
	char name[CRYPTO_MAX_ALG_NAME];
	int err;

	if (cfg->auth)
		snprintf(name, sizeof(name), "%s(%s,%s)",
			 cfg->flags & ESPTUN_SA_F_ESN ? "authencesn" : "authenc",
			 cfg->auth->name, cfg->cipher->name);
	else
		strscpy(name, cfg->cipher->name, sizeof(name));

	sa->aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(sa->aead)) {
		err = PTR_ERR(sa->aead);
		sa->aead = NULL;
		return err;
	}
	if (cfg->auth)
		err = set_authenc_key(sa->aead, cfg);
	else
		err = crypto_aead_setkey(sa->aead, cfg->enc_key, cfg->enc_keylen);
	if (!err)
		err = crypto_aead_setauthsize(sa->aead, sa->icvlen);
	return err;
}

static void free_work(struct work_struct *work)
{
	struct esptun_sa *sa = container_of(to_rcu_work(work), struct esptun_sa, free_work);

	if (sa->aead)
		crypto_free_aead(sa->aead);
	esptun_replay_free(sa->replay);
	dev_put(sa->dev);
	kfree_sensitive(sa);
}

void esptun_sa_put(struct esptun_sa *sa)
{
	if (sa && refcount_dec_and_test(&sa->refcnt))
		queue_rcu_work(esptun_wq, &sa->free_work);
}

static void expire_hard(struct esptun_sa *sa)
{
	if (test_and_set_bit(ESPTUN_SA_HARD_EXPIRED, &sa->state))
		return;
	if (sa->dir == ESPTUN_DIR_OUT)
		esptun_dev_update_carrier(netdev_priv(sa->dev));
	esptun_nl_sa_event(ESPTUN_CMD_EVENT_HARD_EXPIRE, sa);
	queue_work(esptun_wq, &reap_work);
}

static void expire_soft(struct esptun_sa *sa)
{
	if (!test_and_set_bit(ESPTUN_SA_SOFT_EXPIRED, &sa->state))
		esptun_nl_sa_event(ESPTUN_CMD_EVENT_SOFT_EXPIRE, sa);
}

static u64 now_seconds(void)
{
	return ktime_get_boottime_seconds();
}

/*
 * Arms the timer for the earliest time limit still pending, if any. The
 * soft limit only counts while its event is unsent, and never hides an
 * earlier hard one: a hard limit is what stops the SA, so it must not wait
 * for a later soft limit. One already passed fires at the next tick.
 */
static void arm_timer(struct esptun_sa *sa)
{
	u64 soft = READ_ONCE(sa->lft.soft_seconds), hard = READ_ONCE(sa->lft.hard_seconds);
	u64 age = now_seconds() - sa->add_time;
	u64 next = hard;

	if (test_bit(ESPTUN_SA_HARD_EXPIRED, &sa->state))
		return;
	if (soft && !test_bit(ESPTUN_SA_SOFT_EXPIRED, &sa->state) && (!hard || soft < hard))
		next = soft;
	if (!next)
		return;
	next = next > age ? next - age : 0;
	/* Far limits are re-armed in steps: jiffies are not 64-bit on all. */
	mod_timer(&sa->timer, jiffies + min_t(u64, next, 86400) * HZ);
}

static void lifetime_timer(struct timer_list *t)
{
	struct esptun_sa *sa = from_timer(sa, t, timer);
	u64 soft = READ_ONCE(sa->lft.soft_seconds), hard = READ_ONCE(sa->lft.hard_seconds);
	u64 age = now_seconds() - sa->add_time;

	if (soft && age >= soft)
		expire_soft(sa);
	if (hard && age >= hard) {
		expire_hard(sa);
		return;
	}
	arm_timer(sa);
}

struct esptun_sa *esptun_sa_create(const struct esptun_sa_config *cfg)
{
	struct esptun_sa *sa;
	int err;

	sa = kzalloc(sizeof(*sa), GFP_KERNEL_ACCOUNT);
	if (!sa)
		return ERR_PTR(-ENOMEM);
	refcount_set(&sa->refcnt, 1);
	INIT_RCU_WORK(&sa->free_work, free_work);
	timer_setup(&sa->timer, lifetime_timer, 0);
	sa->spi = cfg->spi;
	sa->dir = cfg->dir;
	sa->flags = cfg->flags;
	sa->cipher = cfg->cipher;
	sa->auth = cfg->auth;
	sa->ivlen = cfg->cipher->ivlen;
	sa->blocksize = cfg->cipher->blocksize;
	sa->icvlen = cfg->icv_bits / 8;
	/* Idle from the start: its first request runs in place and sets cb_cpu. */
	sa->last_submit = jiffies - HZ;
	sa->lft = cfg->lft;
	sa->sel = cfg->sel;
	atomic64_set(&sa->seq, cfg->seq);

	if (cfg->dir == ESPTUN_DIR_IN) {
		sa->replay = esptun_replay_alloc(cfg->replay_window, cfg->seq);
		if (!sa->replay) {
			err = -ENOMEM;
			goto err;
		}
	}
	err = init_crypto(sa, cfg);
	if (err)
		goto err;
	return sa;
err:
	esptun_replay_free(sa->replay);
	if (sa->aead)
		crypto_free_aead(sa->aead);
	kfree_sensitive(sa);
	return ERR_PTR(err);
}

/*
 * Publishes a copy of @tun's outbound table without @drop and with @add in
 * its place by specificity, after the SAs as specific as it. Neither
 * reference changes hands here.
 */
static int publish_out(struct esptun_dev *tun, struct esptun_sa *add, struct esptun_sa *drop)
{
	struct esptun_out_table *old = rtnl_dereference(tun->out), *t = NULL;
	unsigned int n = (old ? old->n : 0) + !!add - !!drop, i, j = 0;

	if (n) {
		t = kmalloc(struct_size(t, sa, n), GFP_KERNEL_ACCOUNT);
		if (!t)
			return -ENOMEM;
		for (i = 0; old && i < old->n; i++) {
			if (old->sa[i] == drop)
				continue;
			if (add && esptun_sel_cmp(&add->sel, &old->sa[i]->sel) < 0) {
				t->sa[j++] = add;
				add = NULL;
			}
			t->sa[j++] = old->sa[i];
		}
		if (add)
			t->sa[j++] = add;
		t->n = j;
	}
	rcu_assign_pointer(tun->out, t);
	if (old)
		kfree_rcu(old, rcu);
	esptun_dev_update_carrier(tun);
	return 0;
}

static void put_out(struct esptun_sa *sa)
{
	timer_shutdown_sync(&sa->timer);
	esptun_sa_put(sa);
}

/*
 * The outbound SA with @sa's selector is replaced: make-before-break for
 * one selector pair. Another with @sa's SPI would make DEL_SA ambiguous.
 */
static int install_out(struct esptun_dev *tun, struct esptun_sa *sa,
		       struct netlink_ext_ack *extack)
{
	struct esptun_out_table *t = rtnl_dereference(tun->out);
	struct esptun_sa *old = NULL;
	unsigned int i;
	int err;

	for (i = 0; t && i < t->n; i++)
		if (esptun_sel_equal(&t->sa[i]->sel, &sa->sel))
			old = t->sa[i];
	for (i = 0; t && i < t->n; i++) {
		if (t->sa[i] != old && t->sa[i]->spi == sa->spi) {
			NL_SET_ERR_MSG(extack, "SPI already used by another outbound SA");
			return -EEXIST;
		}
	}
	if (!old && t && t->n == ESPTUN_MAX_OUTBOUND_SAS) {
		NL_SET_ERR_MSG(extack, "Device already has the maximum of outbound SAs");
		return -ENOSPC;
	}
	/* Before the data path can see it; the caller's put undoes it. */
	sa->dev = tun->dev;
	dev_hold(sa->dev);
	sa->add_time = now_seconds();
	err = publish_out(tun, sa, old);
	if (err)
		return err;
	arm_timer(sa);
	if (old)
		put_out(old);
	return 0;
}

/* Takes over the caller's reference. Nothing changes on failure. */
int esptun_sa_install(struct esptun_dev *tun, struct esptun_sa *sa,
		      struct netlink_ext_ack *extack)
{
	int i, err, slot = -1;

	ASSERT_RTNL();
	if (sa->dir == ESPTUN_DIR_OUT)
		return install_out(tun, sa, extack);

	err = esptun_spi_check(tun, sa->spi, extack);
	if (err)
		return err;
	for (i = 0; i < ESPTUN_MAX_INBOUND_SAS; i++) {
		if (!rcu_access_pointer(tun->in[i])) {
			slot = i;
			break;
		}
	}
	if (slot < 0) {
		NL_SET_ERR_MSG(extack, "Device already has the maximum of inbound SAs");
		return -ENOSPC;
	}
	sa->dev = tun->dev;
	dev_hold(sa->dev);
	sa->add_time = now_seconds();
	sa->order = ++tun->in_order;
	rcu_assign_pointer(tun->in[slot], sa);
	esptun_spi_add(sa);
	arm_timer(sa);
	return 0;
}

static void unlink_in(struct esptun_dev *tun, int slot)
{
	struct esptun_sa *sa = rtnl_dereference(tun->in[slot]);

	esptun_spi_del(sa);
	RCU_INIT_POINTER(tun->in[slot], NULL);
	esptun_dev_forget_in(tun, sa);
	timer_shutdown_sync(&sa->timer);
	esptun_sa_put(sa);
}

static struct esptun_sa *find_out(struct esptun_dev *tun, u32 spi)
{
	struct esptun_out_table *t = rtnl_dereference(tun->out);
	unsigned int i;

	for (i = 0; t && i < t->n; i++)
		if (t->sa[i]->spi == spi)
			return t->sa[i];
	return NULL;
}

int esptun_sa_remove(struct esptun_dev *tun, u8 dir, u32 spi)
{
	struct esptun_sa *sa;
	int i, err;

	ASSERT_RTNL();
	if (dir == ESPTUN_DIR_OUT) {
		sa = find_out(tun, spi);
		if (!sa)
			return -ENOENT;
		err = publish_out(tun, NULL, sa);
		if (!err)
			put_out(sa);
		return err;
	}
	for (i = 0; i < ESPTUN_MAX_INBOUND_SAS; i++) {
		sa = rtnl_dereference(tun->in[i]);
		if (sa && sa->spi == spi) {
			unlink_in(tun, i);
			return 0;
		}
	}
	return -ENOENT;
}

void esptun_sa_flush(struct esptun_dev *tun)
{
	struct esptun_out_table *t = rtnl_dereference(tun->out);
	unsigned int i;

	ASSERT_RTNL();
	if (t) {
		RCU_INIT_POINTER(tun->out, NULL);
		esptun_dev_update_carrier(tun);
		for (i = 0; i < t->n; i++)
			put_out(t->sa[i]);
		kfree_rcu(t, rcu);
	}
	for (i = 0; i < ESPTUN_MAX_INBOUND_SAS; i++)
		if (rtnl_dereference(tun->in[i]))
			unlink_in(tun, i);
}

static void reap_out(struct esptun_dev *tun)
{
	struct esptun_out_table *t;
	unsigned int i;

again:
	t = rtnl_dereference(tun->out);
	for (i = 0; t && i < t->n; i++) {
		struct esptun_sa *sa = t->sa[i];

		if (test_bit(ESPTUN_SA_HARD_EXPIRED, &sa->state) && !publish_out(tun, NULL, sa)) {
			put_out(sa);
			goto again;
		}
	}
}

/*
 * Unlinks hard-expired SAs; the data path already refuses them. One that
 * cannot be unlinked for want of memory is tried again at the next expiry.
 */
static void reap(struct work_struct *work)
{
	struct esptun_dev *tun;
	struct esptun_sa *sa;
	int i;

	rtnl_lock();
	list_for_each_entry(tun, &esptun_devices, list) {
		reap_out(tun);
		for (i = 0; i < ESPTUN_MAX_INBOUND_SAS; i++) {
			sa = rtnl_dereference(tun->in[i]);
			if (sa && test_bit(ESPTUN_SA_HARD_EXPIRED, &sa->state))
				unlink_in(tun, i);
		}
	}
	rtnl_unlock();
}

u64 esptun_sa_seq(const struct esptun_sa *sa)
{
	u64 seq;

	if (sa->replay)
		return esptun_replay_top(sa->replay);
	/* A stopped non-ESN SA keeps counting attempts; it used no more. */
	seq = atomic64_read(&sa->seq);
	return esptun_sa_esn(sa) ? seq : min_t(u64, seq, U32_MAX);
}

/*
 * A device leaving its namespace (NETDEV_UNREGISTER: a move, or the start
 * of its deletion) takes its inbound SAs out of that namespace's table.
 */
void esptun_sa_leave_netns(struct esptun_dev *tun)
{
	struct esptun_sa *sa;
	int i;

	ASSERT_RTNL();
	for (i = 0; i < ESPTUN_MAX_INBOUND_SAS; i++) {
		sa = rtnl_dereference(tun->in[i]);
		if (sa)
			esptun_spi_del(sa);
	}
}

/*
 * A device that moved (NETDEV_REGISTER in its new namespace) brings its
 * inbound SAs into the new table. One whose SPI is taken there, by a
 * device that receives on the same local address, is deleted: two SAs
 * could not tell their packets apart. So is one past the namespace's limit.
 */
void esptun_sa_join_netns(struct esptun_dev *tun)
{
	struct esptun_sa *sa;
	int i;

	ASSERT_RTNL();
	for (i = 0; i < ESPTUN_MAX_INBOUND_SAS; i++) {
		sa = rtnl_dereference(tun->in[i]);
		if (sa && !esptun_spi_rejoin(sa)) {
			netdev_warn(tun->dev, "inbound SPI 0x%08x taken in the new namespace, or it is full: SA deleted\n",
				    sa->spi);
			esptun_nl_sa_event(ESPTUN_CMD_EVENT_HARD_EXPIRE, sa);
			unlink_in(tun, i);
		}
	}
}

/*
 * Under rcu_read_lock(), for an ICMP error about a bare ESP packet we may
 * have sent: whether a device of @net sends with outbound SPI @spi from
 * @saddr to @daddr. Errors name the SPI the peer chose, so the outbound
 * SAs are searched; they are few per device and errors are rare.
 */
bool esptun_sa_sent(struct net *net, u32 spi, sa_family_t family, const void *saddr,
		    const void *daddr)
{
	struct esptun_out_table *t;
	struct esptun_endpoints *ep;
	struct net_device *dev;
	struct esptun_dev *tun;
	unsigned int i;

	for_each_netdev_rcu(net, dev) {
		if (!esptun_is_dev(dev))
			continue;
		tun = netdev_priv(dev);
		t = rcu_dereference(tun->out);
		ep = rcu_dereference(tun->ep);
		if (!t || !ep || ep->family != family || ep->encap != ESPTUN_ENCAP_NONE)
			continue;
		if (family == AF_INET ?
		    ep->local.v4 != *(const __be32 *)saddr ||
		    ep->remote.v4 != *(const __be32 *)daddr :
		    !ipv6_addr_equal(&ep->local.v6, saddr) ||
		    !ipv6_addr_equal(&ep->remote.v6, daddr))
			continue;
		for (i = 0; i < t->n; i++)
			if (t->sa[i]->spi == spi)
				return true;
	}
	return false;
}

/*
 * Under rcu_read_lock(): the outbound SA of @tun for the packet in @skb,
 * with a reference, or NULL. @flow is filled if a selector needed it
 * (flow->family stays AF_UNSPEC otherwise). A rekey replaces the table
 * and then drops the old SA's reference, which may be the last one
 * between our load and our increment: by then the new table is there.
 */
struct esptun_sa *esptun_sa_hold_out(struct esptun_dev *tun, struct sk_buff *skb,
				     struct esptun_flow *flow)
{
	struct esptun_out_table *t;
	struct esptun_sa *sa;
	unsigned int i;

	flow->family = AF_UNSPEC;
	do {
		t = rcu_dereference(tun->out);
		sa = NULL;
		for (i = 0; t && i < t->n; i++) {
			if (!esptun_sel_any(&t->sa[i]->sel) && flow->family == AF_UNSPEC &&
			    !esptun_flow_from_skb(skb, flow))
				return NULL;
			if (esptun_sel_match(&t->sa[i]->sel, flow)) {
				sa = t->sa[i];
				break;
			}
		}
	} while (sa && !refcount_inc_not_zero(&sa->refcnt));
	return sa;
}

/*
 * Counts one packet of @bytes inner bytes against the SA's lifetime, and
 * stamps the SA with the time it last carried one.
 * Returns false once the SA is past a hard limit: the packet must go.
 */
bool esptun_sa_account(struct esptun_sa *sa, unsigned int bytes)
{
	u64 packets = atomic64_inc_return(&sa->stats.packets);
	u64 total = atomic64_add_return(bytes, &sa->stats.bytes);
	u64 hard_packets = READ_ONCE(sa->lft.hard_packets);
	u64 hard_bytes = READ_ONCE(sa->lft.hard_bytes);
	u64 soft_packets = READ_ONCE(sa->lft.soft_packets);
	u64 soft_bytes = READ_ONCE(sa->lft.soft_bytes);

	if (test_bit(ESPTUN_SA_HARD_EXPIRED, &sa->state))
		return false;
	if ((hard_packets && packets > hard_packets) ||
	    (hard_bytes && total > hard_bytes)) {
		expire_hard(sa);
		return false;
	}
	if ((hard_packets && packets == hard_packets) ||
	    (hard_bytes && total == hard_bytes))
		expire_hard(sa);
	else if ((soft_packets && packets >= soft_packets) ||
		 (soft_bytes && total >= soft_bytes))
		expire_soft(sa);
	/*
	 * The helper asks when a peer's DPD probe arrives: did we send just
	 * before it? A tick's precision does; the coarse clock reads no
	 * clocksource per packet (HPET under QEMU, an exit each).
	 */
	atomic64_set(&sa->stats.last_used, ktime_get_coarse_boottime_ns());
	return true;
}

/*
 * Under RTNL. The data path reads each limit on its own, so a packet sees
 * every limit old or new, never a torn one; what is already past a new
 * limit expires the SA with the next packet or timer tick.
 */
void esptun_sa_set_lifetime(struct esptun_sa *sa, const struct esptun_lifetime *lft)
{
	WRITE_ONCE(sa->lft.soft_bytes, lft->soft_bytes);
	WRITE_ONCE(sa->lft.hard_bytes, lft->hard_bytes);
	WRITE_ONCE(sa->lft.soft_packets, lft->soft_packets);
	WRITE_ONCE(sa->lft.hard_packets, lft->hard_packets);
	WRITE_ONCE(sa->lft.soft_seconds, lft->soft_seconds);
	WRITE_ONCE(sa->lft.hard_seconds, lft->hard_seconds);
	/*
	 * A timer callback running now may have read the old limits and
	 * would re-arm for them after us: stop it first, so the last word
	 * is ours. Only configuration (under RTNL) arms it otherwise, and
	 * the callback takes no lock we hold.
	 */
	timer_delete_sync(&sa->timer);
	arm_timer(sa);
}

void esptun_sa_seq_warn(struct esptun_sa *sa)
{
	if (!test_and_set_bit(ESPTUN_SA_SEQ_WARNED, &sa->state))
		esptun_nl_sa_event(ESPTUN_CMD_EVENT_SEQ_EXHAUSTED, sa);
}

int __init esptun_sa_init(void)
{
	esptun_wq = alloc_workqueue("esptun", WQ_UNBOUND, 0);
	return esptun_wq ? 0 : -ENOMEM;
}

/* After every device is gone: waits for pending frees and the reaper. */
void esptun_sa_uninit(void)
{
	rcu_barrier();
	destroy_workqueue(esptun_wq);
}
