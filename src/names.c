/* names.c: random container names in Docker's "adjective_surname" form.
 *
 * The word lists are robbe's own: moods and qualities on the left, people
 * who shaped computing, mathematics and the sciences on the right. */
#include "config.h"

#include <sys/random.h>

#include "container.h"

static const char *const adjectives[] = {
	"agile",    "amiable",   "ardent",   "bold",	"brave",     "bright",	 "brisk",    "calm",
	"candid",   "cheerful",  "clever",   "cosmic",	"crisp",     "curious",	 "daring",   "dazzling",
	"devoted",  "diligent",  "dreamy",   "eager",	"earnest",   "elated",	 "eloquent", "epic",
	"fearless", "fervent",	 "festive",  "fluent",	"frosty",    "gallant",	 "gentle",   "gifted",
	"glowing",  "graceful",	 "hardy",    "hearty",	"humble",    "jolly",	 "jovial",   "keen",
	"kind",	    "lively",	 "loyal",    "lucid",	"merry",     "mellow",	 "mighty",   "modest",
	"nimble",   "noble",	 "patient",  "peaceful", "placid",   "plucky",	 "polite",   "proud",
	"quick",    "quiet",	 "radiant",  "rapid",	"serene",    "sharp",	 "shiny",    "sincere",
	"smooth",   "snug",	 "spirited", "steady",	"stoic",     "sunny",	 "swift",    "tender",
	"thrifty",  "tidy",	 "tranquil", "trusty",	"upbeat",    "valiant",	 "vibrant",  "vigilant",
	"vivid",    "warm",	 "wise",     "witty",	"zealous",   "zesty",
};

static const char *const surnames[] = {
	"agnesi",     "alhazen",    "allen",	 "archimedes", "babbage",	"backus",     "bardeen",
	"bartik",     "bell",	    "bernoulli", "bohr",       "boole",		"brahmagupta", "cantor",
	"cauchy",     "cerf",	    "chandrasekhar", "clarke", "conway",	"curie",      "darwin",
	"dijkstra",   "dirac",	    "easley",	 "einstein",   "engelbart",	"erdos",      "euclid",
	"euler",      "faraday",    "fermat",	 "fermi",      "feynman",	"fibonacci",  "franklin",
	"galileo",    "gauss",	    "germain",	 "goldberg",   "goodall",	"hamilton",   "hawking",
	"heisenberg", "hertz",	    "hilbert",	 "hodgkin",    "hollerith",	"hopper",     "hypatia",
	"jackson",    "jemison",    "johnson",	 "joliot",     "kepler",	"khayyam",    "knuth",
	"kowalevski", "lamarr",	    "lamport",	 "laplace",    "leavitt",	"leibniz",    "liskov",
	"lovelace",   "maxwell",    "mccarthy",	 "meitner",    "mendel",	"minsky",     "mirzakhani",
	"moore",      "morse",	    "napier",	 "newton",     "nightingale",	"noether",    "noyce",
	"pascal",     "pasteur",    "perlman",	 "planck",     "poincare",	"ramanujan",  "ritchie",
	"rubin",      "sagan",	    "shannon",	 "shaw",       "sinoussi",	"somerville", "stallman",
	"tesla",      "thompson",   "torvalds",	 "turing",     "vaughan",	"volta",      "wiles",
	"williams",   "wozniak",    "wright",	 "yalow",      "yonath",	"zuse",
};

static uint32_t random_below(uint32_t n)
{
	uint32_t v = 0;

	if (getrandom(&v, sizeof(v), 0) != (ssize_t) sizeof(v))
		v = (uint32_t) rand();
	return v % n;
}

char *container_random_name(void)
{
	const char *a = adjectives[random_below(ARRAY_SIZE(adjectives))];
	const char *s = surnames[random_below(ARRAY_SIZE(surnames))];

	return xasprintf("%s_%s", a, s);
}
