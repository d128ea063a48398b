#!/bin/sh
# Replay the opts fuzz target over its seed corpus (TAP).
exec ./tests/fuzz/replay-opts "$ROBBE_SRCDIR"/tests/fuzz/corpus/opts/*
