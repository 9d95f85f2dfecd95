# SPDX-License-Identifier: GPL-2.0
"""Numbers from uapi/linux/esptun.h, and an SA nest builder, for the tests
that speak the esptun genl family directly."""
from genl import attr, nest, u8, u32, string

SET_DEVICE, GET_DEVICE, NEW_SA, DEL_SA, GET_SA, FLUSH_SA = range(1, 7)
SET_SA = 11
REQUESTS = (SET_DEVICE, GET_DEVICE, NEW_SA, DEL_SA, GET_SA, FLUSH_SA, SET_SA)
(IFINDEX, IFNAME, LOCAL, REMOTE, ENCAP, SPORT, DPORT, SA, SAS, DEV_NO_SA_DROPS,
 SELECTOR, PAD, CARRIER) = range(1, 14)
(DIR, SPI, AEAD, ENC, AUTH, ENC_KEY, AUTH_KEY, ICV_BITS, FLAGS, WINDOW, SEQ,
 LIFETIME, STATS) = range(1, 14)
SA_SELECTOR = 16
SEL_SRC, SEL_SRC_LEN, SEL_DST, SEL_DST_LEN, SEL_PROTO, SEL_SPORT, SEL_DPORT = range(1, 8)
MAX_INBOUND_SAS, MAX_OUTBOUND_SAS = 32, 16
(SOFT_BYTES, HARD_BYTES, SOFT_PACKETS, HARD_PACKETS, SOFT_SECONDS,
 HARD_SECONDS) = range(1, 7)
IN, OUT = 1, 2
STATS_PACKETS, STATS_SELECTOR_DROPS = 1, 8


def gcm(d, spi, key, *extra):
    """An ESPTUN_A_SA nest for rfc4106(gcm(aes)) with a 16-byte ICV."""
    return nest(SA, attr(DIR, u8(d)), attr(SPI, u32(spi)),
                attr(AEAD, string("rfc4106(gcm(aes))")), attr(ENC_KEY, key),
                attr(ICV_BITS, u32(128)), *extra)
