#!/bin/bash
# Harness self-test case: skips without a reason, which counts as a failure.
exit 4
