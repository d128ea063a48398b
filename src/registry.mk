# src/registry.mk
