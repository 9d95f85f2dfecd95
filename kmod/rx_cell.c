// SPDX-License-Identifier: GPL-2.0
/*
 * Receive bursts. The stack hands ESP packets to receive.c one at a time,
 * with no sign of where a run of them ends; spread one by one, each would
 * pay its own hops to a crypto worker and back (parallel.c). So receive
 * queues each prepared request on its device's cell for this CPU, whose
 * NAPI poll runs after the softirq round that brought the packets (the
 * lower device's or the backlog's), and submits what it finds there as
 * bursts of one SA's consecutive requests: a TCP sender's GSO packet,
 * which arrives as a run of ESP packets, is decrypted as a burst too.
 *
 * Receive adds to its CPU's cell with one cmpxchg (llist), and only the
 * cell's poll takes from it; NAPI runs one poll of a cell at a time. So
 * no lock is needed even when the poll does not run on the cell's CPU,
 * as with threaded NAPI (/sys/class/net/DEV/threaded), which would race
 * with a plain list such as GRO cells keep. Requests keep their order
 * within a cell, and so within what one CPU received.
 *
 * Without a crypto worker to hop to (no padata shell, or parallel_crypto
 * off), a burst saves nothing and the cell would only add a softirq round:
 * receive then submits each request itself.
 */

#include <linux/llist.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>

#include "esp.h"

struct esptun_rx_cell {
	struct napi_struct napi;
	struct llist_head queue;		/* added by receive, newest first */
	struct esptun_crypt *head, **tail;	/* taken by the poll, oldest first */
};

/* Moves what receive added since the last time behind what the poll holds. */
static void take_queue(struct esptun_rx_cell *cell)
{
	struct llist_node *added = llist_reverse_order(llist_del_all(&cell->queue));
	struct esptun_crypt *c;

	llist_for_each_entry(c, added, cell_node) {
		*cell->tail = c;
		cell->tail = &c->next;
	}
}

/* Takes the first burst off @cell: its length, at most ESPTUN_BURST. */
static unsigned int take_burst(struct esptun_rx_cell *cell)
{
	struct esptun_crypt *first = cell->head, *last = first;
	unsigned int n = 1;

	while (last->next && last->next->sa == first->sa && n < ESPTUN_BURST) {
		last = last->next;
		n++;
	}
	cell->head = last->next;
	/* Before the burst is submitted: its completion may queue anew. */
	if (!cell->head)
		cell->tail = &cell->head;
	last->next = NULL;
	return n;
}

static int poll(struct napi_struct *napi, int budget)
{
	struct esptun_rx_cell *cell = container_of(napi, struct esptun_rx_cell, napi);
	struct esptun_crypt *first;
	unsigned int n;
	int work = 0;

	rcu_read_lock();
	while (work < budget) {
		if (!cell->head)
			take_queue(cell);
		if (!cell->head)
			break;
		first = cell->head;
		n = take_burst(cell);
		esptun_crypt_submit(first, n);
		work += n;
	}
	rcu_read_unlock();
	/* A burst may take the count past the budget, which NAPI forbids. */
	if (work >= budget)
		return budget;
	napi_complete_done(napi, work);
	return work;
}

/* From receive, in BH: @c is submitted by the poll of this CPU's cell of @tun. */
void esptun_rx_cell_queue(struct esptun_dev *tun, struct esptun_crypt *c)
{
	struct esptun_rx_cell *cell;

	/*
	 * A closed device's cells may be stopping for good. The close waits
	 * for every receiver that saw it running (synchronize_net()).
	 */
	if (!netif_running(tun->dev) || !esptun_parallel_wanted(tun)) {
		esptun_crypt_submit(c, 1);
		return;
	}
	cell = this_cpu_ptr(tun->rx_cells);
	/* A cell that held something has its poll scheduled already. */
	if (llist_add(&c->cell_node, &cell->queue))
		napi_schedule(&cell->napi);
}

int esptun_rx_cells_open(struct esptun_dev *tun)
{
	struct esptun_rx_cell *cell;
	int cpu;

	tun->rx_cells = alloc_percpu(struct esptun_rx_cell);
	if (!tun->rx_cells)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		cell = per_cpu_ptr(tun->rx_cells, cpu);
		init_llist_head(&cell->queue);
		cell->tail = &cell->head;
		netif_napi_add(tun->dev, &cell->napi, poll);
		napi_enable(&cell->napi);
	}
	return 0;
}

/* The requests a disabled cell still holds: dropped, as the closed device would. */
static void drop_left(struct esptun_rx_cell *cell)
{
	struct esptun_crypt *c, *next;

	take_queue(cell);
	local_bh_disable();
	rcu_read_lock();
	for (c = cell->head; c; c = next) {
		next = c->next;
		c->done(c, -ENETDOWN);
	}
	rcu_read_unlock();
	local_bh_enable();
	cell->head = NULL;
	cell->tail = &cell->head;
}

/*
 * At ndo_uninit, the device closed: a scheduled poll runs before the
 * disable returns, but one that used its whole budget is completed by the
 * core with requests left behind; those are dropped. The core waits for a
 * grace period (netpoll walks the NAPI list under RCU) before the
 * destructor frees the cells.
 */
void esptun_rx_cells_stop(struct esptun_dev *tun)
{
	struct esptun_rx_cell *cell;
	int cpu;

	for_each_possible_cpu(cpu) {
		cell = per_cpu_ptr(tun->rx_cells, cpu);
		napi_disable(&cell->napi);
		drop_left(cell);
		__netif_napi_del(&cell->napi);
	}
}

void esptun_rx_cells_free(struct esptun_dev *tun)
{
	free_percpu(tun->rx_cells);
}
