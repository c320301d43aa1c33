# The README's taste of Python: check the motivating case, then read the
# ceasefire's state after a contested attack in each side's view.
import commitments

[a] = commitments.load("examples/istanbul.cmt")
print(a.check().verdict)
events = ["2025-11-20 attack(by: TTP, from: AF, on: PK) reported by PK denied by AF"]
print(a.status(events, view="PK").commitments["ceasefire"].state)
print(a.status(events, view="AF").commitments["ceasefire"].state)
