# src/image.mk
