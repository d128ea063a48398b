#!/bin/sh
# Replay the template fuzz target over its seed corpus (TAP).
exec ./tests/fuzz/replay-template "$ROBBE_SRCDIR"/tests/fuzz/corpus/template/*
