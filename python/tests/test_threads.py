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
