# store/layers.mk
