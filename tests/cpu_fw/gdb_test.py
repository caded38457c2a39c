#!/usr/bin/python3
"""ctest driver of the GDB stub: starts `flecsim fw ... --gdb 0` (any free port, printed on
stderr), runs gdb-multiarch in batch mode against it and checks what gdb saw and the exit code.

usage: gdb_test.py FLECSIM PLATFORM.yaml gdb_target.elf GDB
       gdb_test.py --interrupt FLECSIM PLATFORM.yaml loop.elf
The second form speaks the remote protocol itself (gdb --batch cannot send Ctrl-C): continue,
Ctrl-C must stop the running program with SIGINT inside its loop, then kill ends the run.
Every wait is bounded, and flecsim is killed if anything goes wrong, so the test never hangs."""
import re
import socket
import subprocess
import sys
import threading
import time

TIMEOUT_S = 60


def start_flecsim(flecsim, platform, elf):
    sim = subprocess.Popen([flecsim, "fw", platform, elf, "--gdb", "0"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    found = {}
    lines = []

    def read_stderr():
        for line in sim.stderr:
            lines.append(line)
            m = re.search(r"waiting for gdb on 127\.0\.0\.1:(\d+)", line)
            if m and "port" not in found:
                found["port"] = int(m.group(1))
                ready.set()
        ready.set()

    ready = threading.Event()
    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    ready.wait(TIMEOUT_S)
    return sim, found.get("port"), lines, reader


def expect(output, pattern, what):
    m = re.search(pattern, output, re.MULTILINE)
    if m is None:
        print(f"FAIL: {what}: no match for {pattern!r}")
    return m


class Rsp:
    """A minimal remote-serial-protocol client (acknowledged mode)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S)
        self.buf = b""

    def send(self, payload):
        cs = sum(payload.encode()) & 0xFF
        self.sock.sendall(f"${payload}#{cs:02x}".encode())

    def reply(self):
        while True:
            m = re.search(rb"\$([^#]*)#[0-9a-f]{2}", self.buf)
            if m:
                self.buf = self.buf[m.end():]
                self.sock.sendall(b"+")
                return m.group(1).decode()
            data = self.sock.recv(4096)
            if not data:
                raise EOFError("connection closed")
            self.buf += data

    def ask(self, payload):
        self.send(payload)
        return self.reply()


def interrupt_test(flecsim, platform, elf):
    sim, port, sim_stderr, reader = start_flecsim(flecsim, platform, elf)
    ok = True
    try:
        rsp = Rsp(port)
        ok &= rsp.ask("?") == "S05"
        rsp.send("c")
        time.sleep(0.3)
        rsp.sock.sendall(b"\x03")
        stop = rsp.reply()
        pc = rsp.ask("p20")
        pc = int.from_bytes(bytes.fromhex(pc), "little")
        symbols = subprocess.run(["riscv64-unknown-elf-nm", elf], capture_output=True, text=True)
        spin = int(re.search(r"([0-9a-f]+) t spin", symbols.stdout).group(1), 16)
        print(f"stop reply {stop}, pc {pc:#x}, spin loop at {spin:#x}")
        if stop != "S02" or not spin <= pc < spin + 8:
            print("FAIL: Ctrl-C did not stop the program with SIGINT in its loop")
            ok = False
        rsp.send("k")
        sim.wait(TIMEOUT_S)
        reader.join(5)
        print("--- flecsim stderr\n" + "".join(sim_stderr))
        if not any("killed by the debugger" in line for line in sim_stderr):
            print("FAIL: flecsim did not report the kill")
            ok = False
    finally:
        if sim.poll() is None:
            sim.kill()
            sim.wait()
    return 0 if ok else 1


def main():
    if sys.argv[1] == "--interrupt":
        return interrupt_test(*sys.argv[2:5])
    flecsim, platform, elf, gdb = sys.argv[1:5]
    sim, port, sim_stderr, reader = start_flecsim(flecsim, platform, elf)
    try:
        if port is None:
            print("FAIL: flecsim did not report a gdb port:\n" + "".join(sim_stderr))
            return 1
        commands = ["set architecture riscv:rv32", f"target remote 127.0.0.1:{port}",
                    "break main", "continue", "info registers pc", "stepi",
                    "info registers pc", "info registers t0", "x/4wx &gdb_data",
                    "info registers fcsr", "continue"]
        argv = [gdb, "--nx", "--batch", elf]
        for c in commands:
            argv += ["-ex", c]
        run = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT_S)
        out = run.stdout + run.stderr
        print(out)
        sim_out, _ = sim.communicate(timeout=TIMEOUT_S)
        reader.join(5)
        print("--- flecsim stderr\n" + "".join(sim_stderr))
    finally:
        if sim.poll() is None:
            sim.kill()
            sim.wait()
    ok = True
    bp = expect(out, r"Breakpoint 1 at (0x[0-9a-f]+)", "breakpoint set")
    ok &= bp is not None and expect(out, r"Breakpoint 1, main \(\)", "breakpoint hit") is not None
    pcs = re.findall(r"^pc\s+(0x[0-9a-f]+)", out, re.MULTILINE)
    if bp is None or len(pcs) != 2:
        print(f"FAIL: expected two pc values, got {pcs}")
        return 1
    hit, stepped = int(pcs[0], 16), int(pcs[1], 16)
    if hit != int(bp.group(1), 16) or stepped != hit + 4:
        print(f"FAIL: breakpoint at {bp.group(1)}, pc at hit {hit:#x}, after stepi {stepped:#x}")
        ok = False
    ok &= expect(out, r"^t0\s+0x12345000\s", "t0 after the lui") is not None
    ok &= expect(out, r"<gdb_data>:\s+0x11223344\s+0xcafef00d\s+0x0badc0de\s+0x600df00d",
                 "memory of gdb_data") is not None
    ok &= expect(out, r"^fcsr\s+0x0\s", "the fcsr register") is not None
    ok &= expect(out, r"exited with code 07", "gdb saw the exit code") is not None
    if sim.returncode != 7:
        print(f"FAIL: flecsim exit code {sim.returncode}, expected 7")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
