#!/bin/bash
# Harness self-test case: makes the kernel WARN and then claims success;
# the runner must fail the run from the kernel log regardless.
insmod "$ESPTUN_TOP/build/harness-$(uname -r)/warn_on_load.ko"
sleep 2
exit 0
