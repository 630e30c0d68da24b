"""No network for SPARQL on a local store: a seccomp filter that refuses to create internet sockets.

Why: a query's ``SERVICE`` (or an update's ``LOAD``) makes Oxigraph call out from inside the
process or thread that runs it. The server refuses such texts by reading them
(:func:`kgraph.sparqltext.scan`), and each of the five reviews that tried to break that reading on
2026-12-06 found a way, all mended. SPARQL that cannot open a socket is the second wall: where the reading is wrong,
the call fails where it runs instead of leaving the machine.

The filter (``seccomp``, Linux 3.5 and later, no privileges needed once ``no_new_privs`` is set)
answers ``socket(AF_INET | AF_INET6, …)`` with ``EACCES`` and lets every other system call of the
native ABI through. It binds the process or thread that installs it and what that one starts
later: query worker processes install it (they talk to the server over the Unix socket pair they
start with), and so do the server threads of :func:`offline_threads` (updates, in-memory queries);
the server's other threads keep the network, which a remote store needs. Nothing installs it where
``allow_service`` is set. It is written for 64-bit little-endian x86-64 and AArch64; elsewhere, or
where seccomp is not available, :func:`deny_network` returns False and the text check stands alone.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import platform
import socket
import struct
import sys
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)

_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_SOCKET_SYSCALL = {"x86_64": 41, "aarch64": 198}
_AF_INET, _AF_INET6 = 2, 10
_X32_SYSCALL_BIT = 0x40000000

_LD_ABS_W, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
# offsets in struct seccomp_data: nr, arch, then the arguments (the low half of args[0] on little-endian)
_NR, _ARCH, _ARG0 = 0, 4, 16


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _program(machine: str) -> bytes:
    """The BPF program: allow every call of the native ABI but ``socket()`` of an internet family."""
    allow, deny = 8, 9

    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("=HBBI", code, jt, jf, k)

    rows = [
        op(_LD_ABS_W, _ARCH),                                    # 0
        op(_JEQ_K, _AUDIT_ARCH[machine], 0, deny - 2),           # 1: another ABI (int 0x80): refused
        op(_LD_ABS_W, _NR),                                      # 2
        op(_JGE_K, _X32_SYSCALL_BIT, deny - 4, 0),               # 3: x32 numbering: refused
        op(_JEQ_K, _SOCKET_SYSCALL[machine], 0, allow - 5),      # 4
        op(_LD_ABS_W, _ARG0),                                    # 5
        op(_JEQ_K, _AF_INET, deny - 7, 0),                       # 6
        op(_JEQ_K, _AF_INET6, deny - 8, 0),                      # 7
        op(_RET_K, _SECCOMP_RET_ALLOW),                          # 8 allow
        op(_RET_K, _SECCOMP_RET_ERRNO | errno.EACCES),           # 9 deny
    ]
    return b"".join(rows)


def supported() -> bool:
    """Whether this system can take the network from a process or thread: a 64-bit little-endian
    Python on Linux for x86-64 or AArch64 (``platform.machine()`` names the kernel, which a 32-bit
    userland does not share) with seccomp filters in its kernel (``Seccomp`` in ``/proc/self/status``)."""
    if platform.system() != "Linux" or platform.machine() not in _AUDIT_ARCH \
            or struct.calcsize("P") != 8 or sys.byteorder != "little":
        return False
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            return any(line.startswith("Seccomp:") for line in status)
    except OSError:
        return False


def deny_network() -> bool:
    """Refuse internet sockets to the calling thread and what it starts from now on (a whole process
    when called before it starts threads); False if this system cannot, or the filter did not take.
    It cannot be undone."""
    if not supported():
        _warn_once("this system has no seccomp filters for this Python")
        return False
    machine = platform.machine()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return False
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    code = _program(machine)
    buffer = ctypes.create_string_buffer(code, len(code))
    program = _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 \
            or prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(program), 0, 0) != 0:
        _warn_once(f"seccomp refused the filter: {os.strerror(ctypes.get_errno())}")
        return False
    try:                                               # the proof: an internet socket is refused now
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return True
    _warn_once("the seccomp filter was installed but an internet socket could still be opened")
    return False


_warned = False


def _warn_once(reason: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        log.warning("SPARQL here keeps its network access (%s); SERVICE and LOAD are refused by the text "
                    "check alone", reason)


def offline_threads(count: int, name: str) -> ThreadPoolExecutor:
    """A pool of ``count`` threads that cannot open internet sockets.

    A seccomp filter installed without ``TSYNC`` binds the thread that installs it and the threads
    it starts, not the rest of the process: the server keeps its network, the pool's threads have
    none. For SPARQL that runs in the server (updates, in-memory stores), so that a SERVICE or
    LOAD the text check missed fails there too."""
    return ThreadPoolExecutor(count, thread_name_prefix=name, initializer=deny_network)  # warns once where it cannot
