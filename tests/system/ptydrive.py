#!/usr/bin/env python3
"""Run a command on a fresh pseudo-terminal and play a script against it.

    ptydrive.py [--rows R] [--cols C] [--timeout S] [-s STEP]... -- COMMAND...

The command becomes a session leader with the pty as its controlling
terminal, as in a real terminal window.  Steps run in order:

    expect TEXT     wait until TEXT appears in the output after the previous
                    expect's match (TEXT takes Python escapes: \\r, \\x10)
    send TEXT       type TEXT
    sleep SECONDS
    resize R C      change the window size (the kernel sends SIGWINCH)
    signal NAME     send a signal (USR1, TERM, ...) to the command
    raw             wait until the terminal is in raw mode (the command
                    is then attached and reads what is typed)
    cooked          fail unless it is back to the settings it started with
    wait            wait for the command to exit (later steps see the
                    terminal as it left it)

After the steps the command is waited for; the whole output is printed on
stdout and the command's exit status (128+N for a signal) is ours.  A step
that fails or times out prints why on stderr and exits 99 (the command is
killed).
"""
import argparse
import codecs
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time


class Failure(Exception):
    pass


def unescape(text):
    return codecs.decode(text, "unicode_escape").encode("latin-1")


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Driver:
    def __init__(self, argv, rows, cols, timeout):
        self.timeout = timeout
        self.master, self.slave = os.openpty()
        set_size(self.slave, rows, cols)
        self.start_attrs = termios.tcgetattr(self.slave)
        self.out = bytearray()
        self.mark = 0
        self.status = None
        self.pid = os.fork()
        if self.pid == 0:
            self._child(argv)
        os.set_blocking(self.master, False)

    def _child(self, argv):
        try:
            os.close(self.master)
            os.setsid()
            fcntl.ioctl(self.slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(self.slave, fd)
            if self.slave > 2:
                os.close(self.slave)
            os.execvp(argv[0], argv)
        except OSError as e:
            os.write(2, ("ptydrive: %s: %s\n" % (argv[0], e)).encode())
        os._exit(127)

    def pump(self, wait):
        """Read what is there, waiting at most `wait` seconds for it."""
        r, _, _ = select.select([self.master], [], [], wait)
        if not r:
            return
        try:
            data = os.read(self.master, 65536)
        except (BlockingIOError, OSError):
            return
        self.out += data

    def reap(self):
        if self.status is not None:
            return True
        pid, st = os.waitpid(self.pid, os.WNOHANG)
        if pid == 0:
            return False
        self.status = os.waitstatus_to_exitcode(st)
        if self.status < 0:
            self.status = 128 - self.status
        return True

    def expect(self, text):
        want = unescape(text)
        deadline = time.monotonic() + self.timeout
        while True:
            at = self.out.find(want, self.mark)
            if at >= 0:
                self.mark = at + len(want)
                return
            if time.monotonic() > deadline:
                raise Failure("timed out waiting for %r" % want)
            if self.reap():
                self.pump(0.2)
                if self.out.find(want, self.mark) < 0:
                    raise Failure("the command exited (status %d) before %r appeared" % (self.status, want))
                continue
            self.pump(0.1)

    def step(self, line):
        verb, _, arg = line.partition(" ")
        if verb == "expect":
            self.expect(arg)
        elif verb == "send":
            os.write(self.master, unescape(arg))
        elif verb == "sleep":
            end = time.monotonic() + float(arg)
            while time.monotonic() < end:
                self.pump(max(0.0, min(0.05, end - time.monotonic())))
        elif verb == "resize":
            rows, cols = arg.split()
            set_size(self.slave, int(rows), int(cols))
        elif verb == "signal":
            os.kill(self.pid, getattr(signal, "SIG" + arg.upper().removeprefix("SIG")))
        elif verb == "raw":
            deadline = time.monotonic() + self.timeout
            while termios.tcgetattr(self.slave)[3] & (termios.ICANON | termios.ECHO | termios.ISIG):
                if time.monotonic() > deadline or self.reap():
                    raise Failure("the terminal was not put in raw mode")
                self.pump(0.05)
        elif verb == "wait":
            self.finish()
        elif verb == "cooked":
            if termios.tcgetattr(self.slave) != self.start_attrs:
                raise Failure("the terminal settings were not restored")
        else:
            raise Failure("unknown step %r" % line)

    def finish(self):
        deadline = time.monotonic() + self.timeout
        while not self.reap():
            if time.monotonic() > deadline:
                raise Failure("the command did not exit")
            self.pump(0.1)
        self.pump(0.1)
        while True:
            before = len(self.out)
            self.pump(0)
            if len(self.out) == before:
                break

    def kill(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=24)
    ap.add_argument("--cols", type=int, default=80)
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("-s", dest="steps", action="append", default=[])
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command:
        ap.error("no command")
    d = Driver(args.command, args.rows, args.cols, args.timeout)
    try:
        for s in args.steps:
            d.step(s)
        d.finish()
    except Failure as e:
        d.kill()
        d.pump(0.1)
        sys.stdout.buffer.write(bytes(d.out))
        sys.stderr.write("ptydrive: %s\n" % e)
        return 99
    sys.stdout.buffer.write(bytes(d.out))
    return d.status


if __name__ == "__main__":
    sys.exit(main())
