"""Worker functions for test_pools.py (a module of its own, so that spawn
and forkserver children can import them by name)."""

import commitments


def check_file(path):
    """Parse a file and check it; a parse error propagates (it must reach
    the parent intact)."""
    [a] = commitments.load(path)
    r = a.check()
    s = a.status()
    return (a.id, r.verdict, dict((k, v.state) for k, v in s.items()), r, s)


def library_path(_):
    import os
    return os.getpid(), commitments.library_path()
