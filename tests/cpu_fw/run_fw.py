#!/usr/bin/python3
"""Runs a command with a timeout and checks its exit code and output (ctest driver).

usage: run_fw.py --exit N [--stdout REGEX] [--stderr REGEX] [--file PATH REGEX]...
                 [--file-equals PATH TEXT]... -- CMD...
Regular expressions are searched (re.search, multiline); "\\n" in them and in TEXT means a
newline.
Files named by --file are deleted before the run, so a stale file cannot pass."""
import argparse
import os
import re
import subprocess
import sys


def check(what, pattern, text):
    pattern = pattern.replace("\\n", "\n")
    if re.search(pattern, text, re.MULTILINE) is None:
        print(f"FAIL: {what} does not match {pattern!r}:\n{text}")
        return False
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exit", type=int, required=True)
    parser.add_argument("--stdout")
    parser.add_argument("--stderr")
    parser.add_argument("--file", nargs=2, action="append", default=[])
    parser.add_argument("--file-equals", nargs=2, action="append", default=[])
    parser.add_argument("--timeout", type=float, default=100)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    for path, _ in args.file + args.file_equals:
        if os.path.exists(path):
            os.remove(path)
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        print(f"FAIL: timed out after {args.timeout} s: {' '.join(command)}")
        return 1
    print(f"$ {' '.join(command)}\nexit {run.returncode}\n--- stdout\n{run.stdout}--- stderr\n{run.stderr}")
    ok = run.returncode == args.exit
    if not ok:
        print(f"FAIL: exit code {run.returncode}, expected {args.exit}")
    if args.stdout is not None:
        ok &= check("stdout", args.stdout, run.stdout)
    if args.stderr is not None:
        ok &= check("stderr", args.stderr, run.stderr)
    for path, pattern in args.file:
        if not os.path.exists(path):
            print(f"FAIL: {path} was not written")
            ok = False
        else:
            ok &= check(path, pattern, open(path).read())
    for path, text in args.file_equals:
        text = text.replace("\\n", "\n")
        content = open(path).read() if os.path.exists(path) else None
        if content != text:
            print(f"FAIL: {path} is {content!r}, expected {text!r}")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
