"""Separate agreements from separate threads (no global state)."""

import threading

import commitments


def test_threads(istanbul_text, timeline):
    errors = []

    def work(view):
        try:
            for _ in range(100):
                [a] = commitments.parse(istanbul_text)
                assert a.check().verdict == "fails"
                s = a.status(events=timeline, view=view)
                want = "violated" if view == "AF" else "suspended"
                assert s["ceasefire"].state == want
                a.close()
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(v,))
               for v in ("all", "AF", "PK", "all")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_one_snapshot_read_from_many_threads(istanbul, timeline):
    """A Report and a Status read their parts from C on first use; many
    threads asking at once get the same objects."""
    import concurrent.futures as cf
    for _ in range(20):
        r = istanbul.check(policies=["vclt", "written-only"])
        s = istanbul.status(timeline)

        def read(_):
            return (r.requirements, r.commitments, r.below, r.to_json(),
                    dict(s), s.to_text(), r.records())
        with cf.ThreadPoolExecutor(8) as ex:
            got = list(ex.map(read, range(16)))
        first = got[0]
        for g in got[1:]:
            assert g[0] is first[0] and g[3] is first[3]
            assert g == first
