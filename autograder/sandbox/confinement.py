"""Confinement of student code by the kernel's own mechanisms: no Docker, no root, no dependency.

A small ctypes layer over Landlock (three syscalls), seccomp, namespaces, capabilities and prctl.
Each mechanism is tried on its own and reported; a missing one is never fatal (unless strict):

  filesystem  Landlock (Linux >= 5.13): read the Python installation only, write the own empty folder only
  network     seccomp (no socket() at all), a network namespace, Landlock TCP rules (ABI >= 4)
  signals     a PID namespace (nothing outside is visible), Landlock scoping (ABI >= 6: no signal and no
              abstract unix socket outside the own tree)
  processes   a PID namespace (every descendant dies with the child) or a child subreaper; a bound on
              their number (RLIMIT_NPROC in a user namespace or as a user, a pids cgroup as root)
  syscalls    seccomp: no ptrace, process_vm_*, io_uring, bpf, exec, mounts, new namespaces, modules
  privileges  no_new_privs, every capability dropped, a fixed environment, rlimits

Two processes apply them. The supervisor (trusted, outside) enters the namespaces and the cgroup and
forks the child; the child (PID 1 of its own namespace when there is one) locks itself down with
`lock_down` just before it runs student code.
"""
import ctypes
import errno
import os
import platform
import resource
import socket
import struct
import sys
import sysconfig
import time

LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long
MACHINE = platform.machine()

# --- Landlock (linux/landlock.h) -------------------------------------------------------------------
SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_ADD_RULE, SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FS_MAKE_CHAR, FS_MAKE_SOCK, FS_MAKE_FIFO, FS_MAKE_BLOCK, FS_MAKE_SYM = 1 << 6, 1 << 9, 1 << 10, 1 << 11, 1 << 12
FS_TRUNCATE, FS_IOCTL_DEV = 1 << 14, 1 << 15
FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV  # the rights a file rule may hold
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1


class RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi():
    """The Landlock ABI version the kernel offers; OSError (ENOSYS: too old, EOPNOTSUPP: disabled) if none."""
    version = LIBC.syscall(SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    if version < 1:
        raise OSError(ctypes.get_errno(), "Landlock")
    return version


def fs_rights(abi):
    """Every filesystem right the given ABI knows: 13 in ABI 1, then REFER (2), TRUNCATE (3), IOCTL_DEV (5)."""
    rights = (1 << 13) - 1
    for version, right in ((2, 1 << 13), (3, FS_TRUNCATE), (5, FS_IOCTL_DEV)):
        if abi >= version:
            rights |= right
    return rights


def landlock(readable, writable, devices):
    """Restrict this process (and its future children) to reading `readable`, writing `writable` and the
    `devices` files, with no TCP and (ABI >= 6) no signal or abstract socket outside. Returns the ABI."""
    abi = landlock_abi()
    handled = fs_rights(abi)
    attr = RulesetAttr(handled, NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0,
                       SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = LIBC.syscall(SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
    try:
        read = FS_READ_FILE | FS_READ_DIR
        write = handled & ~(FS_EXECUTE | FS_MAKE_CHAR | FS_MAKE_BLOCK | FS_MAKE_SOCK | FS_MAKE_FIFO | FS_MAKE_SYM)
        device = (FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE) & handled
        for paths, rights in ((readable, read), (writable, write), (devices, device)):
            for path in paths:
                allow(ruleset, path, rights)
        if LIBC.syscall(SYS_LANDLOCK_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) < 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return abi


def allow(ruleset, path, rights):
    """Add one rule: `rights` beneath path (a folder), or on path itself (a file: file rights only)."""
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a path this machine does not have
    try:
        if not os.path.isdir(path):
            rights &= FILE_RIGHTS
        attr = PathBeneathAttr(rights, fd)
        if LIBC.syscall(SYS_LANDLOCK_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(RULE_PATH_BENEATH),
                        ctypes.byref(attr), ctypes.c_uint32(0)) < 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}")
    finally:
        os.close(fd)


def python_paths(excluded=()):
    """Folders the interpreter and its packages are read from, leaving out `excluded` (the kit's own folder)."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    candidates |= {value for key, value in sysconfig.get_paths().items()
                   if key in ("stdlib", "platstdlib", "purelib", "platlib")}
    candidates |= {path for path in sys.path if path}
    excluded = {os.path.realpath(path) for path in excluded}
    kept = {os.path.realpath(path) for path in candidates if os.path.isdir(path)} - excluded
    # The system's shared libraries, for a C extension that loads one later.
    kept |= {path for path in ("/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib", "/etc/ld.so.cache")
             if os.path.exists(path)}
    return sorted(kept)


# --- seccomp (linux/seccomp.h, linux/filter.h) ------------------------------------------------------
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 1, 38, 22, 2
PR_SET_CHILD_SUBREAPER, PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 36, 24, 47, 4
RET_KILL_PROCESS, RET_ERRNO, RET_ALLOW = 0x80000000, 0x00050000, 0x7FFF0000
LD_W_ABS, JEQ_K, JGE_K, JSET_K, RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
# Namespace flags a clone() may not ask for (CLONE_NEWNS, CGROUP, UTS, IPC, USER, PID, NET).
NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000
DENIED = ("ptrace", "process_vm_readv", "process_vm_writev", "io_uring_setup", "io_uring_enter", "io_uring_register",
          "bpf", "perf_event_open", "userfaultfd", "unshare", "setns", "mount", "umount2", "pivot_root", "chroot",
          "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon",
          "swapoff", "acct", "keyctl", "add_key", "request_key", "open_by_handle_at", "name_to_handle_at", "iopl",
          "ioperm", "pidfd_getfd", "kcmp", "fsopen", "fsconfig", "fsmount", "fspick", "open_tree", "move_mount",
          "mount_setattr", "quotactl", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname",
          "setdomainname", "mknod", "mknodat", "syslog", "uselib", "vhangup", "lookup_dcookie", "process_madvise",
          "execve", "execveat", "socket")
# Syscall numbers (asm/unistd_64.h for x86_64; asm-generic/unistd.h for aarch64), and each AUDIT_ARCH.
SYSCALLS = {
    "x86_64": (0xC000003E, dict(
        socket=41, ptrace=101, process_vm_readv=310, process_vm_writev=311, io_uring_setup=425, io_uring_enter=426,
        io_uring_register=427, bpf=321, perf_event_open=298, userfaultfd=323, unshare=272, setns=308, mount=165,
        umount2=166, pivot_root=155, chroot=161, kexec_load=246, kexec_file_load=320, init_module=175,
        finit_module=313, delete_module=176, reboot=169, swapon=167, swapoff=168, acct=163, keyctl=250, add_key=248,
        request_key=249, open_by_handle_at=304, name_to_handle_at=303, iopl=172, ioperm=173, pidfd_getfd=438,
        kcmp=312, fsopen=430, fsconfig=431, fsmount=432, fspick=433, open_tree=428, move_mount=429,
        mount_setattr=442, quotactl=179, settimeofday=164, clock_settime=227, clock_adjtime=305, adjtimex=159,
        sethostname=170, setdomainname=171, mknod=133, mknodat=259, syslog=103, uselib=134, vhangup=153,
        lookup_dcookie=212, process_madvise=440, execve=59, execveat=322, clone=56, clone3=435, prctl=157)),
    "aarch64": (0xC00000B7, dict(
        socket=198, ptrace=117, process_vm_readv=270, process_vm_writev=271, io_uring_setup=425, io_uring_enter=426,
        io_uring_register=427, bpf=280, perf_event_open=241, userfaultfd=282, unshare=97, setns=268, mount=40,
        umount2=39, pivot_root=41, chroot=51, kexec_load=104, kexec_file_load=294, init_module=105,
        finit_module=273, delete_module=106, reboot=142, swapon=224, swapoff=225, acct=89, keyctl=219, add_key=217,
        request_key=218, open_by_handle_at=265, name_to_handle_at=264, pidfd_getfd=438, kcmp=272, fsopen=430,
        fsconfig=431, fsmount=432, fspick=433, open_tree=428, move_mount=429, mount_setattr=442, quotactl=60,
        settimeofday=170, clock_settime=112, clock_adjtime=266, adjtimex=171, sethostname=161, setdomainname=162,
        mknodat=33, syslog=116, vhangup=58, lookup_dcookie=18, process_madvise=440, execve=221, execveat=281,
        clone=220, clone3=435, prctl=167)),
}


def instruction(code, k, jump_true=0, jump_false=0):
    """One classic-BPF instruction (struct sock_filter)."""
    return struct.pack("HBBI", code, jump_true, jump_false, k)


def seccomp_program(machine=MACHINE):
    """The filter: wrong architecture -> killed; denied calls and namespace clones -> EPERM; clone3 -> ENOSYS
    (glibc then falls back to clone, whose flags the filter can read); everything else allowed."""
    arch, numbers = SYSCALLS[machine]
    program = [instruction(LD_W_ABS, 4), instruction(JEQ_K, arch, 1, 0), instruction(RET_K, RET_KILL_PROCESS),
               instruction(LD_W_ABS, 0)]
    if machine == "x86_64":  # the x32 ABI reaches the same kernel through other numbers
        program += [instruction(JGE_K, 0x40000000, 0, 1), instruction(RET_K, RET_ERRNO | errno.EPERM)]
    for name in DENIED:
        if name in numbers:
            program += [instruction(JEQ_K, numbers[name], 0, 1), instruction(RET_K, RET_ERRNO | errno.EPERM)]
    program += [instruction(JEQ_K, numbers["clone3"], 0, 1), instruction(RET_K, RET_ERRNO | errno.ENOSYS),
                # prctl(PR_SET_PDEATHSIG): the child must keep dying with its supervisor.
                instruction(JEQ_K, numbers["prctl"], 0, 4), instruction(LD_W_ABS, 16),  # args[0]: the option
                instruction(JEQ_K, PR_SET_PDEATHSIG, 0, 1), instruction(RET_K, RET_ERRNO | errno.EPERM),
                instruction(RET_K, RET_ALLOW),
                instruction(JEQ_K, numbers["clone"], 0, 3), instruction(LD_W_ABS, 16),  # args[0]: the flags
                instruction(JSET_K, NAMESPACE_FLAGS, 0, 1), instruction(RET_K, RET_ERRNO | errno.EPERM),
                instruction(RET_K, RET_ALLOW)]
    return b"".join(program)


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


def seccomp():
    """Install the filter on this process and its future children (no_new_privs must be set)."""
    if MACHINE not in SYSCALLS:
        raise OSError(errno.EOPNOTSUPP, f"no syscall table for {MACHINE}")
    program = seccomp_program()
    fprog = SockFprog(len(program) // 8, program)
    if LIBC.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "seccomp")


# --- namespaces, capabilities, processes ------------------------------------------------------------
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWUTS = 0x10000000, 0x20000000, 0x40000000, 0x04000000
HOSTNAME = "sandbox"  # what a submission sees as the machine's name


def unshare(flags):
    """unshare(2), raising OSError."""
    if LIBC.unshare(ctypes.c_int(flags)) != 0:
        raise OSError(ctypes.get_errno(), "unshare")


def write_text(path, text):
    with open(path, "w") as handle:
        handle.write(text)


def enter_namespaces():
    """New PID, network and UTS namespaces for the next child (and a user namespace when that is what lets an
    ordinary user create them); the UTS one gets a neutral host name, so a submission never sees the grading
    machine's. Returns what was entered: 'user+pid+net+uts', 'pid+net+uts', or raises OSError."""
    uid, gid = os.geteuid(), os.getegid()
    entered = None
    if uid == 0:
        try:
            unshare(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS)
            entered = "pid+net+uts"
        except OSError:
            pass  # root without CAP_SYS_ADMIN (a container): try through a user namespace
    if entered is None:
        unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS)
        write_text("/proc/self/setgroups", "deny")
        write_text("/proc/self/uid_map", f"{uid} {uid} 1")
        write_text("/proc/self/gid_map", f"{gid} {gid} 1")
        entered = "user+pid+net+uts"
    socket.sethostname(HOSTNAME)
    return entered


def drop_capabilities():
    """Empty the bounding, ambient, effective, permitted and inheritable capability sets."""
    LIBC.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    for capability in range(64):
        if LIBC.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0 and ctypes.get_errno() == errno.EINVAL:
            break  # past the last capability this kernel knows
    header = struct.pack("Ii", 0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = bytes(24)  # two empty __user_cap_data_struct
    if LIBC.capset(header, data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def no_new_privs():
    if LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "no_new_privs")


def become_subreaper():
    """Orphaned descendants are re-parented to this process, which can then kill them (without a PID namespace)."""
    LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def descendants(pid):
    """Every process whose parent chain reaches pid (from /proc)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier and child not in found}
        found |= frontier
    return found


def kill_descendants(pid):
    """SIGKILL every descendant of pid until none is left (they may fork while we look)."""
    for _ in range(50):
        found = descendants(pid)
        if not found:
            return
        for child in found:
            try:
                os.kill(child, 9)
            except OSError:
                pass
        while True:
            try:
                if os.waitpid(-1, os.WNOHANG) == (0, 0):
                    break
            except ChildProcessError:
                break


def count_tasks(uid):
    """Threads and processes the kernel counts against RLIMIT_NPROC for uid."""
    total = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    total += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                continue
    return total


class PidsCgroup:
    """A pids cgroup (v1 or v2) bounding how many tasks one submission may have; needs a writable cgroupfs."""

    def __init__(self, limit):
        self.path = None
        path = os.path.join(self.parent(), f"autograder-{os.getpid()}-{os.urandom(4).hex()}")
        os.mkdir(path)
        try:
            write_text(os.path.join(path, "pids.max"), str(limit))
        except OSError:
            os.rmdir(path)
            raise
        self.path, self.limit = path, limit

    @staticmethod
    def parent():
        """The folder of this process's own pids cgroup."""
        with open("/proc/self/cgroup") as handle:
            lines = [line.strip().split(":", 2) for line in handle]
        for _, controllers, relative in lines:
            if "pids" in controllers.split(","):
                return os.path.join("/sys/fs/cgroup/pids", relative.lstrip("/"))
        unified = [relative for hierarchy, controllers, relative in lines if hierarchy == "0"]
        if unified and os.path.exists("/sys/fs/cgroup/cgroup.controllers"):
            return os.path.join("/sys/fs/cgroup", unified[0].lstrip("/"))
        raise OSError(errno.ENOENT, "no pids cgroup")

    def enter(self):
        """Move this process (and so its future children) into the cgroup ("0": the writer itself, whatever its
        PID namespace)."""
        write_text(os.path.join(self.path, "cgroup.procs"), "0")
        return f"pids.max = {self.limit}"

    def remove(self):
        """Remove the cgroup once its processes are gone (the kernel may take a moment to release them)."""
        for _ in range(100):
            try:
                os.rmdir(self.path)
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.01)


def set_limits(limits, nproc=None):
    """rlimits of a sandboxed process: memory, file size, open files, no core dumps, CPU time, processes."""
    for name, value in ((resource.RLIMIT_AS, limits.memory), (resource.RLIMIT_FSIZE, limits.file_size),
                        (resource.RLIMIT_NOFILE, limits.open_files), (resource.RLIMIT_CORE, 0),
                        (resource.RLIMIT_CPU, int(limits.total) + 1)):
        soft, hard = resource.getrlimit(name)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(name, (value, value))
    if nproc is not None:
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))


# --- the whole sequence, and what it achieved ---------------------------------------------------------
DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")


def skipped():
    """Mechanisms switched off by AUTOGRADER_SANDBOX_SKIP (comma-separated): only to test and measure a machine that
    lacks them. `grade --strict` still refuses to grade without them."""
    return set(filter(None, os.environ.get("AUTOGRADER_SANDBOX_SKIP", "").split(",")))


def attempt(applied, name, action):
    """Run one confinement step; record 'ok' (or its result) or the reason it failed, under name."""
    try:
        if sys.platform != "linux":  # the syscall numbers above mean other things elsewhere
            raise OSError(errno.EOPNOTSUPP, f"{platform.system()}: only Linux has these mechanisms")
        if name in skipped():
            raise OSError(errno.EPERM, "switched off by AUTOGRADER_SANDBOX_SKIP")
        result = action()
        applied[name] = {"ok": True, "detail": "" if result is None else str(result)}
    except Exception as error:  # a missing mechanism is reported, never fatal here
        applied[name] = {"ok": False, "detail": f"{type(error).__name__}: {error}"}
    return applied[name]["ok"]


def supervisor_setup(limits, applied):
    """In the supervisor, before it forks the child: a pids cgroup (as root; the child enters it itself, so
    that the supervisor stays out and can remove it), then the namespaces. Returns the cgroup (or None)."""
    cgroup = None
    if os.geteuid() == 0:
        def make_cgroup():
            nonlocal cgroup
            cgroup = PidsCgroup(limits.processes)
        attempt(applied, "cgroup", make_cgroup)
    if not attempt(applied, "namespaces", enter_namespaces):
        attempt(applied, "subreaper", become_subreaper)
    return cgroup


def lock_down(workdir, readable, limits, applied, cgroup=None):
    """In the child, just before student code runs: its cgroup, rlimits, no_new_privs, Landlock, no
    capabilities, seccomp."""
    if cgroup is not None:
        attempt(applied, "cgroup", cgroup.enter)
    in_userns = applied.get("namespaces", {}).get("detail", "").startswith("user")
    nproc = None
    if "nproc" in skipped():
        pass
    elif in_userns:
        nproc = limits.processes  # counted inside this user namespace only: this submission's processes
    elif os.geteuid() != 0:
        nproc = count_tasks(os.geteuid()) + limits.processes  # the user's processes now, plus this many
    if nproc is not None:
        applied["nproc"] = {"ok": True, "detail": f"RLIMIT_NPROC = {nproc}"}
    attempt(applied, "rlimits", lambda: set_limits(limits, nproc))
    attempt(applied, "no_new_privs", no_new_privs)
    attempt(applied, "landlock", lambda: f"ABI {landlock(readable, [workdir], DEVICES)}")
    if os.geteuid() == 0 or in_userns:
        attempt(applied, "capabilities", drop_capabilities)
    else:
        applied["capabilities"] = {"ok": True, "detail": "none held"}
    attempt(applied, "seccomp", seccomp)
    return applied


def layers(applied, system=None):
    """What the applied mechanisms mean, layer by layer: {layer: (active, what enforces it or why not)}."""
    system = system or platform_summary()
    ok = {name: entry["ok"] for name, entry in applied.items()}
    detail = {name: entry["detail"] for name, entry in applied.items()}
    abi = int(detail["landlock"].split()[-1]) if ok.get("landlock") else 0
    namespaces = detail.get("namespaces", "") if ok.get("namespaces") else ""
    why_landlock = landlock_reason(detail.get("landlock", ""), system)
    why_namespaces = f"sin namespaces ({detail.get('namespaces', 'no probados')})"
    result = {}
    result["filesystem"] = (abi >= 1, f"Landlock ABI {abi}: lee solo la instalación de Python, escribe solo su "
                            "carpeta vacía" if abi else f"nada: {why_landlock}")
    network = [m for m, on in (("seccomp sin socket()", ok.get("seccomp")), ("namespace de red", "net" in namespaces),
                               ("Landlock TCP", abi >= 4)) if on]
    result["network"] = (bool(ok.get("seccomp") or "net" in namespaces),
                         ", ".join(network) if network else f"nada: {detail.get('seccomp', '')}; {why_namespaces}")
    signals = [m for m, on in (("namespace de PID", "pid" in namespaces), ("scoping de Landlock", abi >= 6)) if on]
    result["signals"] = (bool(signals), ", ".join(signals) if signals else
                         f"nada: {why_namespaces}; Landlock ABI {abi} < 6")
    cleanup = "namespace de PID: todo descendiente muere al terminar" if "pid" in namespaces else \
        "subreaper: el supervisor mata a los descendientes" if ok.get("subreaper") else "ninguna limpieza"
    bound = detail["nproc"] if ok.get("nproc") else f"cgroup pids ({detail['cgroup']})" if ok.get("cgroup") else ""
    result["processes"] = (bool(bound) and cleanup != "ninguna limpieza",
                           f"{cleanup}; " + (bound or "sin límite de cantidad: " + (
                               f"root sin cgroup pids escribible ({detail.get('cgroup', '')})" if os.geteuid() == 0
                               else "sin namespace de usuario")))
    result["syscalls"] = (bool(ok.get("seccomp")), "seccomp: sin ptrace, io_uring, exec, montajes, namespaces ni "
                          "módulos" if ok.get("seccomp") else f"nada: seccomp {detail.get('seccomp', '')}")
    privileges = all(ok.get(name) for name in ("no_new_privs", "capabilities", "rlimits"))
    neutral = ", nombre de máquina neutro" if "uts" in namespaces else ""
    result["privileges"] = (privileges, f"no_new_privs, sin capabilities, entorno fijo{neutral}, rlimits" if privileges else
                            "; ".join(f"{n}: {detail.get(n)}" for n in ("no_new_privs", "capabilities", "rlimits")
                                      if not ok.get(n)))
    return result


def platform_summary():
    """'Linux 6.18.44 x86_64, root' (what the layer report is about)."""
    who = "root" if hasattr(os, "geteuid") and os.geteuid() == 0 else "usuario sin privilegios"
    return f"{platform.system()} {platform.release()} {MACHINE}, {who}"


def landlock_reason(detail, system):
    """Why Landlock is missing, in words."""
    if "Errno 38" in detail or "ENOSYS" in detail:
        return f"el kernel ({system}) no tiene Landlock (Linux >= 5.13)"
    if "Errno 95" in detail and "only Linux" in detail:
        return detail.split(": ", 1)[1]
    if "Errno 95" in detail:
        return "Landlock no está activo en este kernel (agregarlo a lsm= al arrancar)"
    return detail or "no probado"
