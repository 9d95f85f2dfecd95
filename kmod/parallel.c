// SPDX-License-Identifier: GPL-2.0
/*
 * Spreading one tunnel's crypto over every CPU, in order.
 *
 * A single flow otherwise encrypts on the CPU that sends it and decrypts
 * on the CPU whose softirq received it: one core does all of a tunnel's
 * crypto while the others idle. padata runs each burst of one SA's
 * requests (up to ESPTUN_BURST: a GSO packet's segments, send.c, or what
 * one softirq round received, rx_cell.c) on the next CPU and hands the
 * results back in submission order, so ESP sequence numbers leave, and
 * inner packets arrive, in the order they came. A burst pays the hops to
 * a worker and back once for all its packets, and they were most of what
 * spreading cost per packet.
 *
 * padata keeps that order across everything submitted to one shell: a
 * slow request holds back every later one. Each device has a shell of its
 * own, so one tunnel's slow cipher (3DES, say) or burst delays only its
 * own packets, not every tunnel's. Each SA's results are handed back on
 * one CPU (its cb_cpu): the one that submitted its first request after it
 * was last idle, see in_place().
 *
 * This is padata directly rather than the pcrypt template: instantiating
 * pcrypt(rfc4106(gcm(aes))) registers it above the plain algorithm for
 * every user of the crypto API, xfrm included.
 *
 * parallel_crypto=0 (writable at run time) sends requests straight to the
 * crypto API on the submitting CPU; requests already spread still complete
 * in order, so only packets around the switch may be reordered.
 */

#include <linux/module.h>
#include <linux/padata.h>

#include "esp.h"
#include "sa.h"

static bool parallel_crypto = true;
module_param(parallel_crypto, bool, 0644);
MODULE_PARM_DESC(parallel_crypto, "Spread each tunnel's crypto over all CPUs (default: on)");

static struct padata_instance *pinst;

/* Back on the SA's completion CPU, in order: each request of the burst is done. */
static void serial(struct padata_priv *padata)
{
	struct esptun_crypt *c = container_of(padata, struct esptun_crypt, padata), *next;

	/* padata's serial worker runs with BH off. */
	rcu_read_lock();
	for (; c; c = next) {
		next = c->next;
		c->done(c, c->err);
	}
	rcu_read_unlock();
}

static void burst_step(struct esptun_crypt *first)
{
	if (atomic_dec_and_test(&first->pending))
		padata_do_serial(&first->padata);
}

static void parallel_done(compat_async_arg_t arg, int err)
{
	struct esptun_crypt *c = compat_async_data(arg);

	c->err = err;
	burst_step(c->burst);
}

/*
 * On a crypto worker: starts each request of the burst, and hands the
 * burst back once all are done. The worker's own count keeps the burst
 * from completing before the last request is started.
 */
static void parallel(struct padata_priv *padata)
{
	struct esptun_crypt *first = container_of(padata, struct esptun_crypt, padata);
	struct esptun_crypt *c, *next;
	int err;

	atomic_set(&first->pending, 1);
	for (c = first; c; c = next) {
		next = c->next;
		c->burst = first;
		atomic_inc(&first->pending);
		err = esptun_crypt_start(c, parallel_done);
		if (err == -EINPROGRESS)
			continue;
		c->err = err;
		burst_step(first);
	}
	burst_step(first);
}

/*
 * Whether the burst @first of @n requests runs in place, on the submitting
 * CPU. Spreading costs two worker hops (parallel, then serial) per burst:
 * a gain for a stream, pure latency for a ping. So a burst runs in place
 * when its SA is idle, with nothing in flight and none submitted for a
 * whole jiffy tick, and it is spread when its SA is busy.
 *
 * An idle SA's completion CPU moves to the CPU submitting: a request is
 * done when it is handed on to the completion CPU's queues (the GRO cell
 * inbound, the lower device's outbound), and two CPUs' queues keep no
 * order between them. Spread requests are handed on there by padata's
 * serial worker, in place ones by the submitter; both land in the same
 * queues. A stream then completes where it starts, and a ping's four SAs
 * run in place wherever the ping goes, with no worker hop at all.
 *
 * Why this keeps each SA's order. What a CPU submits one after the other
 * must complete in that order (requests submitted at once on two CPUs have
 * no order to keep, here as anywhere in the stack):
 * - An idle request has nothing of its SA in flight, so nothing earlier
 *   can complete after it. Its SA's earlier packets were handed to the old
 *   completion CPU's queues at least a tick before; a packet still waiting
 *   there a tick later means that CPU's softirq is starved. Only then can
 *   moving overtake it, as RPS moving a flow would without its queue tail
 *   check, which has no counterpart for GRO cells or qdiscs.
 * - A request run in place that completes in the call (the usual case)
 *   is done before its CPU submits the next.
 * - One the crypto API defers instead (AES-NI's SIMD wrapper queues on
 *   cryptd when the FPU cannot be used here) is counted in in_place until
 *   freed. Meanwhile every later request of its SA from this CPU follows
 *   it in place, into the same queue, which keeps order as it keeps
 *   xfrm's; none is spread past it. cryptd completes it on this CPU.
 * - Spread bursts complete in submission order (padata), each burst's
 *   requests in theirs (serial()), and a request goes in place only once
 *   every spread one of its SA is freed.
 * padata may move an SA's completion off a CPU that went offline; packets
 * around that may be reordered, as around a change of parallel_crypto.
 */
static bool in_place(struct esptun_crypt *first, unsigned int n)
{
	struct esptun_sa *sa = first->sa;
	unsigned long last = READ_ONCE(sa->last_submit), now = jiffies;
	int cpu = smp_processor_id();
	enum esptun_crypt_path path = ESPTUN_CRYPT_IN_PLACE;
	struct esptun_crypt *c;

	if (last != now)
		WRITE_ONCE(sa->last_submit, now);
	if (atomic_add_return(n, &sa->inflight) == n && time_after(now, last + 1)) {
		if (READ_ONCE(sa->cb_cpu) != cpu)
			WRITE_ONCE(sa->cb_cpu, cpu);
	} else if (READ_ONCE(sa->cb_cpu) != cpu || !atomic_read(&sa->in_place)) {
		path = ESPTUN_CRYPT_SPREAD;
	}
	if (path == ESPTUN_CRYPT_IN_PLACE)
		atomic_add(n, &sa->in_place);
	for (c = first; c; c = c->next)
		c->path = path;
	return path == ESPTUN_CRYPT_IN_PLACE;
}

/* Whether @tun's requests may be spread at all: what bursts are for. */
bool esptun_parallel_wanted(const struct esptun_dev *tun)
{
	return tun->shell && READ_ONCE(parallel_crypto);
}

/* Spreads the prepared burst @first of @n requests; false if it must run here instead. */
bool esptun_parallel_submit(struct esptun_crypt *first, unsigned int n)
{
	struct esptun_dev *tun = netdev_priv(first->sa->dev);
	int cpu;

	if (!esptun_parallel_wanted(tun) || in_place(first, n))
		return false;
	cpu = READ_ONCE(first->sa->cb_cpu);
	first->padata.parallel = parallel;
	first->padata.serial = serial;
	/* Fails only while CPUs come or go: then the burst runs here. */
	return !padata_do_parallel(tun->shell, &first->padata, &cpu);
}

/* @c is done and delivered: its SA no longer waits on it. */
void esptun_parallel_done(struct esptun_crypt *c)
{
	if (c->path == ESPTUN_CRYPT_UNCOUNTED)
		return;
	if (c->path == ESPTUN_CRYPT_IN_PLACE)
		atomic_dec(&c->sa->in_place);
	atomic_dec(&c->sa->inflight);
}

/* A new device's own order of requests; none when there is no one to share with. */
int esptun_parallel_open(struct esptun_dev *tun)
{
	if (!pinst)
		return 0;
	tun->shell = padata_alloc_shell(pinst);
	return tun->shell ? 0 : -ENOMEM;
}

void esptun_parallel_close(struct esptun_dev *tun)
{
	if (tun->shell)
		padata_free_shell(tun->shell);
}

int __init esptun_parallel_init(void)
{
	/* One CPU has no one to share with: padata would only add latency. */
	if (num_possible_cpus() < 2)
		return 0;
	pinst = padata_alloc("esptun");
	return pinst ? 0 : -ENOMEM;
}

/* After every device, and so every shell and request, is gone: drains padata's workers. */
void esptun_parallel_uninit(void)
{
	if (pinst)
		padata_free(pinst);
}
