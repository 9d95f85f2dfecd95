/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ESPTUN_PROTO_H
#define _ESPTUN_PROTO_H

int esptun_proto_init(void);
void esptun_proto_uninit(void);

#endif /* _ESPTUN_PROTO_H */
