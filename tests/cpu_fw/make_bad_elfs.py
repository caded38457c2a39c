#!/usr/bin/python3
"""Derives the malformed programs of the bad-input tests from a good RV32 ELF.

usage: make_bad_elfs.py GOOD.elf OUTDIR
writes OUTDIR/not_riscv.elf (e_machine = ARM), OUTDIR/truncated.elf (cut inside the first
segment's data) and OUTDIR/not_elf.elf (text)."""
import struct
import sys


def main():
    good, outdir = sys.argv[1], sys.argv[2]
    data = bytearray(open(good, "rb").read())
    not_riscv = bytearray(data)
    struct.pack_into("<H", not_riscv, 18, 40)  # e_machine = EM_ARM
    open(f"{outdir}/not_riscv.elf", "wb").write(not_riscv)
    # Cut the file a few bytes into the first PT_LOAD segment's data.
    phoff, = struct.unpack_from("<I", data, 28)
    phnum, = struct.unpack_from("<H", data, 44)
    loads = [phoff + 32 * i for i in range(phnum)
             if struct.unpack_from("<I", data, phoff + 32 * i)[0] == 1]
    p_offset, = struct.unpack_from("<I", data, loads[0] + 4)
    p_filesz, = struct.unpack_from("<I", data, loads[0] + 16)
    assert p_filesz > 8, "first segment too small to truncate"
    open(f"{outdir}/truncated.elf", "wb").write(data[: p_offset + 8])
    open(f"{outdir}/not_elf.elf", "w").write("this is a text file, not a program\n")


if __name__ == "__main__":
    main()
