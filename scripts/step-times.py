#!/usr/bin/env python3
"""Times the steps of one part of the test suite, for scripts/test.sh.

Reads the part's output on standard input and copies it to standard output, each step line
(one starting with "-->") prefixed with the time since the part started. At the end it lists
the part's steps that took longest. A step runs from its "-->" line to the next one.

Usage: bash scripts/test-rust.sh 2>&1 | python3 scripts/step-times.py rust
"""

import sys
import time

part = sys.argv[1] if len(sys.argv) > 1 else "part"
start = time.monotonic()
steps = []  # [name, started]
current = ("(before the first step)", start)

for line in sys.stdin:
    now = time.monotonic()
    if line.startswith("-->"):
        steps.append((current[0], now - current[1]))
        current = (line[3:].strip(), now)
        line = f"[{int(now - start) // 60:02d}:{int(now - start) % 60:02d}] {line}"
    sys.stdout.write(line)
    sys.stdout.flush()

end = time.monotonic()
steps.append((current[0], end - current[1]))
longest = sorted((s for s in steps if s[1] >= 1), key=lambda s: -s[1])[:8]
print(f"==> {part}: {end - start:.0f} s; its longest steps:")
for name, took in longest:
    print(f"    {took:6.0f} s  {name[:100]}")
sys.stdout.flush()
