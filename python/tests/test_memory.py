"""10,000 load/check/status cycles without growth of the process."""

import gc
import os

import pytest

import commitments

CYCLES = int(os.environ.get("COMMITMENTS_MEMORY_CYCLES", "10000"))


def rss_pages():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1])


def cycle(path, events):
    [a] = commitments.load(path)
    r = a.check()
    assert r.verdict == "fails"
    s = a.status(events=events)
    assert s.commitments["no_safe_haven"].state == "violated"


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"),
                    reason="needs /proc")
def test_no_growth(istanbul_file, tmp_path, timeline):
    events = tmp_path / "events.txt"
    events.write_text("\n".join(timeline) + "\n")
    for _ in range(300):                 # warm-up: caches, arenas, interning
        cycle(istanbul_file, events)
    gc.collect()
    before = rss_pages()
    for _ in range(CYCLES):
        cycle(istanbul_file, events)
    gc.collect()
    after = rss_pages()
    page = os.sysconf("SC_PAGE_SIZE")
    growth = (after - before) * page
    # A leak of even 100 bytes per cycle would show as ~1 MB.
    assert growth < 512 * 1024, "RSS grew by %d bytes" % growth
