#!/bin/bash
# Harness self-test case: skips and says why.
echo "SKIP: skipping on purpose to test the harness"
exit 4
