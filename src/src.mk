# The engine (src/).
librobbe_a_SOURCES += \
	src/util.c src/util.h
