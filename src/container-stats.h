/* container-stats.h: resource usage of a running container, read from its
 * cgroup (v1 or v2) and its network namespace, the numbers behind
 * `docker stats`.
 *
 * The container is named by the pid of its first process: its cgroup is
 * whatever /proc/<pid>/cgroup says, found under the cgroup mounts of
 * /proc/self/mountinfo, so the layout the runtime chose (cgroupfs path,
 * systemd slice) does not matter.
 */
#ifndef ROBBE_CONTAINER_STATS_H
#define ROBBE_CONTAINER_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

struct container_stats {
	uint64_t cpu_total;	/* ns of CPU time the container used */
	uint64_t system_cpu;	/* ns of CPU time the whole machine used (/proc/stat) */
	unsigned online_cpus;
	uint64_t mem_usage;	/* bytes, without inactive page cache, as Docker counts */
	uint64_t mem_limit;	/* bytes; the machine's memory when unlimited */
	uint64_t blk_read, blk_write;	/* bytes */
	uint64_t pids;
	uint64_t net_rx, net_tx;	/* bytes, every interface but lo */
};

/* One sample.  Counters a kernel lacks read as 0; a pid that is gone is
 * an error (errnum ESRCH). */
int container_stats_read(pid_t pid, struct container_stats *out, robbe_error **err);

/* Docker's CPU %: the container's share of the machine's CPU time between
 * two samples, times the number of CPUs (100% = one CPU busy). */
double container_stats_cpu_percent(const struct container_stats *prev, const struct container_stats *cur);
double container_stats_mem_percent(const struct container_stats *s);

/* The directory of pid's cgroup for a v1 controller ("memory", "pids",
 * ...), or in the v2 hierarchy when the controller is not mounted as v1
 * (controller NULL: the v2 directory itself).  ENOENT if none. */
int cgroup_dir_of(pid_t pid, const char *controller, char **out, robbe_error **err);

/* The machine's memory in bytes (MemTotal). */
uint64_t host_memory_total(void);


/* ---- docker top ------------------------------------------------------- */

/* What `ps` printed for the container's processes: the title row and one
 * row per process, each with as many fields as there are titles (the last
 * field takes the rest of the line, spaces included). */
struct container_top {
	char **titles;
	char ***rows;
	size_t n_rows;
};
void container_top_release(struct container_top *t);

/* As Docker's daemon does it: the container's pids from the runtime
 * (`runtime ps --format json`), then the host's ps with ps_args (split at
 * spaces; "" means "-ef") and "-q <pids>" (retried without, for options
 * that do not mix with -q), keeping the rows whose PID column is one of
 * them (and the thread rows that follow one).  Errors in Docker's words:
 * "ps: <first line ps printed on stderr>", "Couldn't find PID field in ps
 * output", `specifying "k=v" is not allowed`. */
int container_top(const char *runtime, const char *id, const char *ps_args, struct container_top *out,
		  robbe_error **err);
/* The parsing step alone, for the unit tests. */
int container_top_parse(const char *ps_output, const pid_t *pids, size_t n_pids, struct container_top *out,
			robbe_error **err);

/* ---- docker update ----------------------------------------------------- */

/* The limits `docker update` changes; 0 (and NULL, and !pids_limit_set)
 * leaves a value as it is, as Docker's daemon reads its request. */
struct container_update_request {
	int64_t memory, memory_swap, memory_reservation, kernel_memory;
	int64_t cpu_shares, cpu_period, cpu_quota, cpu_rt_period, cpu_rt_runtime, nano_cpus;
	uint64_t blkio_weight;
	const char *cpuset_cpus, *cpuset_mems;
	bool pids_limit_set;
	int64_t pids_limit;
	const char *restart_name;	/* NULL: keep the restart policy */
	int64_t restart_max;
};

struct container_env;
struct store_container;
/* Check the request as Docker does, merge it into the container's
 * HostConfig, store it, and apply it to a running (or paused) container
 * with `runtime update --resources`.  Docker's errors: the request's own
 * ("Minimum memory limit allowed is 6MB"), conflicts with the stored
 * values ("Cannot update container <id>: Conflicting options: ..."). */
int container_update(struct container_env *env, struct store_container *c, const struct container_update_request *req,
		     robbe_error **err);

#endif
