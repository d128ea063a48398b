# store/layers.mk: the blob and layer store (blobs/, overlay/).
librobbe_a_SOURCES += \
	store/layers.c store/layers.h
