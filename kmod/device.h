/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ESPTUN_DEVICE_H
#define _ESPTUN_DEVICE_H

int esptun_device_init(void);
void esptun_device_uninit(void);

#endif /* _ESPTUN_DEVICE_H */
