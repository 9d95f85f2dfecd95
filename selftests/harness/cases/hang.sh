#!/bin/bash
# Harness self-test case: hangs, with a child that would outlive a naive
# kill; the runner must time it out and report "not ok".
sleep 100000 &
sleep 100000
