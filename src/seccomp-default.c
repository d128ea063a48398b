/* seccomp-default.c: Docker 28's default seccomp policy, as data.
 *
 * The facts (which syscalls are allowed, under which capability, kernel or
 * architecture condition, and which argument filters apply) are those of
 * moby v28.2.2 profiles/seccomp/default.json; the layout is robbe's own
 * (struct scmp_profile in spec-internal.h), shared with profiles parsed
 * from --security-opt seccomp=FILE.  Everything not listed fails with
 * EPERM. */
#include "config.h"

#include "spec-internal.h"

/* Architectures: the native one and the ABIs it can also run. */
static const char *const sub0[] = {
	"SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL
};
static const char *const sub1[] = {
	"SCMP_ARCH_ARM", NULL
};
static const char *const sub2[] = {
	"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32", NULL
};
static const char *const sub3[] = {
	"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", NULL
};
static const char *const sub4[] = {
	"SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64N32", NULL
};
static const char *const sub5[] = {
	"SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", NULL
};
static const char *const sub6[] = {
	"SCMP_ARCH_S390", NULL
};
static const struct scmp_archmap arch_map[] = {
	{ "SCMP_ARCH_X86_64", sub0 },
	{ "SCMP_ARCH_AARCH64", sub1 },
	{ "SCMP_ARCH_MIPS64", sub2 },
	{ "SCMP_ARCH_MIPS64N32", sub3 },
	{ "SCMP_ARCH_MIPSEL64", sub4 },
	{ "SCMP_ARCH_MIPSEL64N32", sub5 },
	{ "SCMP_ARCH_S390X", sub6 },
	{ "SCMP_ARCH_RISCV64", NULL },
};

static const char *const names0[] = {
	"accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "cachestat",
	"capget", "capset", "chdir", "chmod", "chown", "chown32", "clock_adjtime",
	"clock_adjtime64", "clock_getres", "clock_getres_time64", "clock_gettime",
	"clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "close", "close_range",
	"connect", "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create",
	"epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait", "epoll_pwait2",
	"epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "execve", "execveat", "exit",
	"exit_group", "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate",
	"fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32",
	"fchownat", "fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork",
	"fremovexattr", "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64",
	"fsync", "ftruncate", "ftruncate64", "futex", "futex_requeue", "futex_time64",
	"futex_wait", "futex_waitv", "futex_wake", "futimesat", "getcpu", "getcwd", "getdents",
	"getdents64", "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32",
	"getgroups", "getgroups32", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid",
	"getppid", "getpriority", "getrandom", "getresgid", "getresgid32", "getresuid",
	"getresuid32", "getrlimit", "get_robust_list", "getrusage", "getsid", "getsockname",
	"getsockopt", "get_thread_area", "gettid", "gettimeofday", "getuid", "getuid32",
	"getxattr", "getxattrat", "inotify_add_watch", "inotify_init", "inotify_init1",
	"inotify_rm_watch", "io_cancel", "ioctl", "io_destroy", "io_getevents", "io_pgetevents",
	"io_pgetevents_time64", "ioprio_get", "ioprio_set", "io_setup", "io_submit", "ipc",
	"kill", "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self",
	"lchown", "lchown32", "lgetxattr", "link", "linkat", "listen", "listmount", "listxattr",
	"listxattrat", "llistxattr", "_llseek", "lremovexattr", "lseek", "lsetxattr", "lstat",
	"lstat64", "madvise", "map_shadow_stack", "membarrier", "memfd_create", "memfd_secret",
	"mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock", "mlock2", "mlockall",
	"mmap", "mmap2", "mprotect", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
	"mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "mremap",
	"mseal", "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall",
	"munmap", "name_to_handle_at", "nanosleep", "newfstatat", "_newselect", "open",
	"openat", "openat2", "pause", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2",
	"pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll", "ppoll_time64", "prctl",
	"pread64", "preadv", "preadv2", "prlimit64", "process_mrelease", "pselect6",
	"pselect6_time64", "pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink",
	"readlinkat", "readv", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg",
	"remap_file_pages", "removexattr", "removexattrat", "rename", "renameat", "renameat2",
	"restart_syscall", "riscv_hwprobe", "rmdir", "rseq", "rt_sigaction", "rt_sigpending",
	"rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
	"rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_getaffinity", "sched_getattr",
	"sched_getparam", "sched_get_priority_max", "sched_get_priority_min",
	"sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64",
	"sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler",
	"sched_yield", "seccomp", "select", "semctl", "semget", "semop", "semtimedop",
	"semtimedop_time64", "send", "sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto",
	"setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups",
	"setgroups32", "setitimer", "setpgid", "setpriority", "setregid", "setregid32",
	"setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32",
	"setrlimit", "set_robust_list", "setsid", "setsockopt", "set_thread_area",
	"set_tid_address", "setuid", "setuid32", "setxattr", "setxattrat", "shmat", "shmctl",
	"shmdt", "shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4", "sigprocmask",
	"sigreturn", "socketcall", "socketpair", "splice", "stat", "stat64", "statfs",
	"statfs64", "statmount", "statx", "symlink", "symlinkat", "sync", "sync_file_range",
	"syncfs", "sysinfo", "tee", "tgkill", "time", "timer_create", "timer_delete",
	"timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
	"timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
	"timerfd_settime", "timerfd_settime64", "times", "tkill", "truncate", "truncate64",
	"ugetrlimit", "umask", "uname", "unlink", "unlinkat", "uretprobe", "utime", "utimensat",
	"utimensat_time64", "utimes", "vfork", "vmsplice", "wait4", "waitid", "waitpid",
	"write", "writev", NULL
};

static const char *const names1[] = {
	"process_vm_readv", "process_vm_writev", "ptrace", NULL
};

static const char *const names2[] = {
	"socket", NULL
};
static const struct scmp_arg args2[] = {
	{ 0, 40u, 0u, "SCMP_CMP_NE" },
};

static const char *const names3[] = {
	"personality", NULL
};
static const struct scmp_arg args3[] = {
	{ 0, 0u, 0u, "SCMP_CMP_EQ" },
};

static const char *const names4[] = {
	"personality", NULL
};
static const struct scmp_arg args4[] = {
	{ 0, 8u, 0u, "SCMP_CMP_EQ" },
};

static const char *const names5[] = {
	"personality", NULL
};
static const struct scmp_arg args5[] = {
	{ 0, 131072u, 0u, "SCMP_CMP_EQ" },
};

static const char *const names6[] = {
	"personality", NULL
};
static const struct scmp_arg args6[] = {
	{ 0, 131080u, 0u, "SCMP_CMP_EQ" },
};

static const char *const names7[] = {
	"personality", NULL
};
static const struct scmp_arg args7[] = {
	{ 0, 4294967295u, 0u, "SCMP_CMP_EQ" },
};

static const char *const names8[] = {
	"sync_file_range2", "swapcontext", NULL
};
static const char *const inc_arches8[] = {
	"ppc64le", NULL
};

static const char *const names9[] = {
	"arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint",
	"cacheflush", "set_tls", NULL
};
static const char *const inc_arches9[] = {
	"arm", "arm64", NULL
};

static const char *const names10[] = {
	"arch_prctl", NULL
};
static const char *const inc_arches10[] = {
	"amd64", "x32", NULL
};

static const char *const names11[] = {
	"modify_ldt", NULL
};
static const char *const inc_arches11[] = {
	"amd64", "x32", "x86", NULL
};

static const char *const names12[] = {
	"s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr", NULL
};
static const char *const inc_arches12[] = {
	"s390", "s390x", NULL
};

static const char *const names13[] = {
	"riscv_flush_icache", NULL
};
static const char *const inc_arches13[] = {
	"riscv64", NULL
};

static const char *const names14[] = {
	"open_by_handle_at", NULL
};
static const char *const inc_caps14[] = {
	"CAP_DAC_READ_SEARCH", NULL
};

static const char *const names15[] = {
	"bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick",
	"lookup_dcookie", "lsm_get_self_attr", "lsm_list_modules", "lsm_set_self_attr", "mount",
	"mount_setattr", "move_mount", "open_tree", "perf_event_open", "quotactl",
	"quotactl_fd", "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2",
	"unshare", NULL
};
static const char *const inc_caps15[] = {
	"CAP_SYS_ADMIN", NULL
};

static const char *const names16[] = {
	"clone", NULL
};
static const struct scmp_arg args16[] = {
	{ 0, 2114060288u, 0u, "SCMP_CMP_MASKED_EQ" },
};
static const char *const exc_caps16[] = {
	"CAP_SYS_ADMIN", NULL
};
static const char *const exc_arches16[] = {
	"s390", "s390x", NULL
};

static const char *const names17[] = {
	"clone", NULL
};
static const struct scmp_arg args17[] = {
	{ 1, 2114060288u, 0u, "SCMP_CMP_MASKED_EQ" },
};
static const char *const inc_arches17[] = {
	"s390", "s390x", NULL
};
static const char *const exc_caps17[] = {
	"CAP_SYS_ADMIN", NULL
};

static const char *const names18[] = {
	"clone3", NULL
};
static const char *const exc_caps18[] = {
	"CAP_SYS_ADMIN", NULL
};

static const char *const names19[] = {
	"reboot", NULL
};
static const char *const inc_caps19[] = {
	"CAP_SYS_BOOT", NULL
};

static const char *const names20[] = {
	"chroot", NULL
};
static const char *const inc_caps20[] = {
	"CAP_SYS_CHROOT", NULL
};

static const char *const names21[] = {
	"delete_module", "init_module", "finit_module", NULL
};
static const char *const inc_caps21[] = {
	"CAP_SYS_MODULE", NULL
};

static const char *const names22[] = {
	"acct", NULL
};
static const char *const inc_caps22[] = {
	"CAP_SYS_PACCT", NULL
};

static const char *const names23[] = {
	"kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev",
	"ptrace", NULL
};
static const char *const inc_caps23[] = {
	"CAP_SYS_PTRACE", NULL
};

static const char *const names24[] = {
	"iopl", "ioperm", NULL
};
static const char *const inc_caps24[] = {
	"CAP_SYS_RAWIO", NULL
};

static const char *const names25[] = {
	"settimeofday", "stime", "clock_settime", "clock_settime64", NULL
};
static const char *const inc_caps25[] = {
	"CAP_SYS_TIME", NULL
};

static const char *const names26[] = {
	"vhangup", NULL
};
static const char *const inc_caps26[] = {
	"CAP_SYS_TTY_CONFIG", NULL
};

static const char *const names27[] = {
	"get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node", NULL
};
static const char *const inc_caps27[] = {
	"CAP_SYS_NICE", NULL
};

static const char *const names28[] = {
	"syslog", NULL
};
static const char *const inc_caps28[] = {
	"CAP_SYSLOG", NULL
};

static const char *const names29[] = {
	"bpf", NULL
};
static const char *const inc_caps29[] = {
	"CAP_BPF", NULL
};

static const char *const names30[] = {
	"perf_event_open", NULL
};
static const char *const inc_caps30[] = {
	"CAP_PERFMON", NULL
};

static const struct scmp_rule rules[] = {
	/* 361 syscalls (accept, accept4, access, ...) */
	{ names0, "SCMP_ACT_ALLOW", -1, NULL, 0, { NULL, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* process_vm_readv, process_vm_writev, ptrace; only with minKernel >= 4.8 */
	{ names1, "SCMP_ACT_ALLOW", -1, NULL, 0, { NULL, NULL, 4, 8 }, { NULL, NULL, 0, 0 } },
	/* socket; any domain but AF_VSOCK (40) */
	{ names2, "SCMP_ACT_ALLOW", -1, args2, 1, { NULL, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* personality; PER_LINUX */
	{ names3, "SCMP_ACT_ALLOW", -1, args3, 1, { NULL, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* personality; PER_LINUX32 */
	{ names4, "SCMP_ACT_ALLOW", -1, args4, 1, { NULL, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* personality; UNAME26 */
	{ names5, "SCMP_ACT_ALLOW", -1, args5, 1, { NULL, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* personality; UNAME26|PER_LINUX32 */
	{ names6, "SCMP_ACT_ALLOW", -1, args6, 1, { NULL, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* personality; query only (0xffffffff) */
	{ names7, "SCMP_ACT_ALLOW", -1, args7, 1, { NULL, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* sync_file_range2, swapcontext; only with arches ppc64le */
	{ names8, "SCMP_ACT_ALLOW", -1, NULL, 0, { NULL, inc_arches8, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* 6 syscalls (arm_fadvise64_64, arm_sync_file_range, sync_file_range2, ...); only with
	   arches arm/arm64 */
	{ names9, "SCMP_ACT_ALLOW", -1, NULL, 0, { NULL, inc_arches9, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* arch_prctl; only with arches amd64/x32 */
	{ names10, "SCMP_ACT_ALLOW", -1, NULL, 0, { NULL, inc_arches10, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* modify_ldt; only with arches amd64/x32/x86 */
	{ names11, "SCMP_ACT_ALLOW", -1, NULL, 0, { NULL, inc_arches11, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* s390_pci_mmio_read, s390_pci_mmio_write, s390_runtime_instr; only with arches
	   s390/s390x */
	{ names12, "SCMP_ACT_ALLOW", -1, NULL, 0, { NULL, inc_arches12, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* riscv_flush_icache; only with arches riscv64 */
	{ names13, "SCMP_ACT_ALLOW", -1, NULL, 0, { NULL, inc_arches13, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* open_by_handle_at; only with caps CAP_DAC_READ_SEARCH */
	{ names14, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps14, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* 26 syscalls (bpf, clone, clone3, ...); only with caps CAP_SYS_ADMIN */
	{ names15, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps15, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* clone; not with caps CAP_SYS_ADMIN, arches s390/s390x; no CLONE_NEW* namespace flag
	   (mask 0x7e020000) */
	{ names16, "SCMP_ACT_ALLOW", -1, args16, 1, { NULL, NULL, 0, 0 }, { exc_caps16, exc_arches16, 0, 0 } },
	/* clone; only with arches s390/s390x; not with caps CAP_SYS_ADMIN; no CLONE_NEW*
	   namespace flag (mask 0x7e020000) */
	{ names17, "SCMP_ACT_ALLOW", -1, args17, 1, { NULL, inc_arches17, 0, 0 }, { exc_caps17, NULL, 0, 0 } },
	/* clone3; not with caps CAP_SYS_ADMIN */
	{ names18, "SCMP_ACT_ERRNO", 38, NULL, 0, { NULL, NULL, 0, 0 }, { exc_caps18, NULL, 0, 0 } },
	/* reboot; only with caps CAP_SYS_BOOT */
	{ names19, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps19, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* chroot; only with caps CAP_SYS_CHROOT */
	{ names20, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps20, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* delete_module, init_module, finit_module; only with caps CAP_SYS_MODULE */
	{ names21, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps21, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* acct; only with caps CAP_SYS_PACCT */
	{ names22, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps22, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* 6 syscalls (kcmp, pidfd_getfd, process_madvise, ...); only with caps CAP_SYS_PTRACE */
	{ names23, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps23, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* iopl, ioperm; only with caps CAP_SYS_RAWIO */
	{ names24, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps24, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* settimeofday, stime, clock_settime, clock_settime64; only with caps CAP_SYS_TIME */
	{ names25, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps25, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* vhangup; only with caps CAP_SYS_TTY_CONFIG */
	{ names26, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps26, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* get_mempolicy, mbind, set_mempolicy, set_mempolicy_home_node; only with caps
	   CAP_SYS_NICE */
	{ names27, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps27, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* syslog; only with caps CAP_SYSLOG */
	{ names28, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps28, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* bpf; only with caps CAP_BPF */
	{ names29, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps29, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
	/* perf_event_open; only with caps CAP_PERFMON */
	{ names30, "SCMP_ACT_ALLOW", -1, NULL, 0, { inc_caps30, NULL, 0, 0 }, { NULL, NULL, 0, 0 } },
};

const struct scmp_profile seccomp_default_profile = {
	.default_action = "SCMP_ACT_ERRNO",
	.default_errno_ret = 1,
	.arch_map = arch_map,
	.n_arch_map = ARRAY_SIZE(arch_map),
	.rules = rules,
	.n_rules = ARRAY_SIZE(rules),
};
