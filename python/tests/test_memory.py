"""10,000 load/check/status cycles without growth of the process.

The cycles run in a child interpreter so that the measurement sees only
them.  Under AddressSanitizer (LD_PRELOAD of libasan) freed memory sits in
a quarantine that would look like growth, so the child turns the
quarantine off; the options are harmless without ASan.
"""

import os
import subprocess
import sys

import pytest

CYCLES = int(os.environ.get("COMMITMENTS_MEMORY_CYCLES", "10000"))
PYDIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHILD = r"""
import gc, sys
import commitments

path, events, cycles = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(events).read().splitlines()

def rss_pages():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1])

def cycle(i):
    [a] = commitments.load(path)
    r = a.check()
    assert r.verdict == "fails"
    # alternate a path and an iterable of lines
    s = a.status(events=events if i % 2 else lines)
    assert s.commitments["no_safe_haven"].state == "violated"

for i in range(300):          # warm-up: allocator arenas, caches, interning
    cycle(i)
gc.collect()
before = rss_pages()
for i in range(cycles):
    cycle(i)
gc.collect()
after = rss_pages()
print(before, after)
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"),
                    reason="needs /proc")
def test_no_growth(istanbul_file, tmp_path, timeline):
    events = tmp_path / "events.txt"
    events.write_text("\n".join(timeline) + "\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = PYDIR
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "")
                           + ":quarantine_size_mb=0"
                           + ":thread_local_quarantine_size_kb=0").lstrip(":")
    r = subprocess.run([sys.executable, "-c", CHILD, str(istanbul_file),
                        str(events), str(CYCLES)],
                       env=env, capture_output=True, text=True, timeout=800)
    assert r.returncode == 0, r.stderr[-3000:]
    before, after = map(int, r.stdout.split())
    growth = (after - before) * os.sysconf("SC_PAGE_SIZE")
    # A leak of even 100 bytes per cycle would show as ~1 MB.
    assert growth < 512 * 1024, "RSS grew by %d bytes over %d cycles" % (
        growth, CYCLES)
