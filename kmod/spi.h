/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ESPTUN_SPI_H
#define _ESPTUN_SPI_H

#include <net/netlink.h>

#include "device.h"

struct esptun_sa;

int esptun_spi_check(struct esptun_dev *tun, u32 spi, struct netlink_ext_ack *extack);
int esptun_spi_check_endpoints(struct esptun_dev *tun, const struct esptun_endpoints *ep,
			       struct netlink_ext_ack *extack);
void esptun_spi_add(struct esptun_sa *sa);
void esptun_spi_del(struct esptun_sa *sa);
bool esptun_spi_rejoin(struct esptun_sa *sa);
struct esptun_sa *esptun_spi_lookup(struct net *net, u32 spi, sa_family_t family,
				    const void *daddr);
int esptun_spi_init(void);
void esptun_spi_uninit(void);

#endif /* _ESPTUN_SPI_H */
