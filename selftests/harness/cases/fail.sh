#!/bin/bash
# Harness self-test case: fails; the runner must report "not ok".
echo "failing on purpose"
exit 1
