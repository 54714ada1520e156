#!/usr/bin/env python3
"""Writes Protocol/vectors/*.json: hand-specified cases of the sync rules (Protocol/README.md §2-5).

Inputs and expected outputs below are written out literally; only conflict ids are computed,
with hashlib, exactly as §5 defines them. Run it after changing a case; the checks
(Tools/check-protocol.py and the Swift tests) then hold both implementations to the files.
"""
import hashlib, json, pathlib

OUT = pathlib.Path(__file__).resolve().parents[2] / "Protocol" / "vectors"
A, B, C, HUB = "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc", "00000000000000ff"
REC = "0b9f5c1e-8a53-4c5e-9d7e-2f1b6c3a4d5e"


def st(millis, counter, replica):
    return f"{millis:012x}-{counter:08x}-{replica}"


def reg(value, stamp):
    return {"value": value, "stamp": stamp}


def state(version, **fields):
    return {"id": REC, "version": version, "fields": fields}


def canonical(vv):
    return ",".join(f"{r}:{vv[r]}" for r in sorted(vv, key=lambda r: int(r, 16)))


def conflict_id(record, a, b):
    v1, v2 = sorted([canonical(a), canonical(b)])
    return hashlib.sha256(f"{record}\n{v1}\n{v2}".encode()).hexdigest()[:32]


def conflict(stored, incoming, detected_by, fields):
    return {"id": conflict_id(REC, stored["version"], incoming["version"]), "record": REC,
            "fields": [{"field": f, "stored": stored["fields"].get(f), "incoming": incoming["fields"].get(f), "winner": w}
                       for f, w in fields],
            "storedVersion": stored["version"], "incomingVersion": incoming["version"], "detectedBy": detected_by}


T = 0x019aa0000000  # 2025-11-20 or so, in ms

# The common ancestor: A logged the visit.
base_a = dict(service=reg("vneid-level2", st(T, 0, A)), outcome=reg("pending", st(T, 0, A)),
              note=reg("", st(T, 0, A)), deleted=reg(False, st(T, 0, A)))
v1 = state({A: 1}, **base_a)

# A later edits the outcome (causally after v1).
v2 = state({A: 2}, **{**base_a, "outcome": reg("done", st(T + 5000, 0, A))})

# B, having pulled v1, edits the outcome concurrently with A's v2, later in wall time.
b_outcome = state({A: 1, B: 1}, **{**base_a, "outcome": reg("failed", st(T + 6000, 0, B))})
merged_same_field = state({A: 2, B: 1}, **{**base_a, "outcome": reg("failed", st(T + 6000, 0, B))})

# B edits the note instead (different field).
b_note = state({A: 1, B: 1}, **{**base_a, "note": reg("gọi lại thứ Sáu", st(T + 4000, 0, B))})
merged_diff_field = state({A: 2, B: 1}, **{**base_a, "outcome": reg("done", st(T + 5000, 0, A)),
                                           "note": reg("gọi lại thứ Sáu", st(T + 4000, 0, B))})

# A deletes while B edits the note.
a_delete = state({A: 2}, **{**base_a, "deleted": reg(True, st(T + 7000, 0, A))})
merged_delete = state({A: 2, B: 1}, **{**base_a, "deleted": reg(True, st(T + 7000, 0, A)),
                                       "note": reg("gọi lại thứ Sáu", st(T + 4000, 0, B))})

# Equal millis and counter from two replicas: the replica id breaks the tie (b > a).
a_tie = state({A: 2}, **{**base_a, "outcome": reg("done", st(T + 9000, 3, A))})
b_tie = state({A: 1, B: 1}, **{**base_a, "outcome": reg("failed", st(T + 9000, 3, B))})
merged_tie = state({A: 2, B: 1}, **{**base_a, "outcome": reg("failed", st(T + 9000, 3, B))})

# Both set the same value concurrently: a conflict by vectors, with no differing value.
a_same = state({A: 2}, **{**base_a, "outcome": reg("done", st(T + 5000, 0, A))})
b_same = state({A: 1, B: 1}, **{**base_a, "outcome": reg("done", st(T + 5100, 0, B))})
merged_same = state({A: 2, B: 1}, **{**base_a, "outcome": reg("done", st(T + 5100, 0, B))})

# A clock running behind: B's edit is causally later (B saw v2) but stamped earlier in wall time
# than A's write; receive (counter 1) then send (counter 2) make it larger anyway.
b_after_v2 = state({A: 2, B: 1}, **{**v2["fields"], "outcome": reg("failed", st(T + 5000, 2, B))})

# Three writers: C saw A:2 and B:1 and edited the note.
c_three = state({A: 2, B: 1, C: 1}, **{**merged_diff_field["fields"], "note": reg("xong", st(T + 8000, 0, C))})

merge_cases = [
    ("a record new to the receiver is taken as it is", None, v1, HUB, v1, "fast-forward", None),
    ("a replayed state changes nothing", v1, v1, HUB, v1, "already-known", None),
    ("an older state changes nothing", v2, v1, HUB, v2, "already-known", None),
    ("a causally later state fast-forwards", v1, v2, HUB, v2, "fast-forward", None),
    ("a later write that the writer's slow clock stamped low still wins: the HLC put it after what it saw",
     v2, b_after_v2, HUB, b_after_v2, "fast-forward", None),
    ("concurrent edits of the same field: the greater stamp wins, the loser is kept in the conflict",
     v2, b_outcome, HUB, merged_same_field, "conflict",
     conflict(v2, b_outcome, HUB, [("outcome", "incoming")])),
    ("the same conflict the other way round: the same merged state and the same conflict id",
     b_outcome, v2, B, merged_same_field, "conflict",
     conflict(b_outcome, v2, B, [("outcome", "stored")])),
    ("concurrent edits of different fields: both edits survive",
     v2, b_note, HUB, merged_diff_field, "conflict",
     conflict(v2, b_note, HUB, [("note", "incoming"), ("outcome", "stored")])),
    ("edit against delete: the record stays deleted and the concurrent note is kept",
     a_delete, b_note, HUB, merged_delete, "conflict",
     conflict(a_delete, b_note, HUB, [("deleted", "stored"), ("note", "incoming")])),
    ("equal millis and counter from two replicas: the greater replica id wins",
     a_tie, b_tie, HUB, merged_tie, "conflict",
     conflict(a_tie, b_tie, HUB, [("outcome", "incoming")])),
    ("concurrent writes of the same value: a conflict by vectors, with no differing field",
     a_same, b_same, HUB, merged_same, "conflict", conflict(a_same, b_same, HUB, [])),
    ("three writers: a state that saw both others fast-forwards past their merge",
     merged_diff_field, c_three, HUB, c_three, "fast-forward", None),
]

vectors = {
    "merge.json": {
        "kind": "merge",
        "description": "Receiving a state: field-wise join, pointwise-max vector, classification and conflict entry.",
        "cases": [{"description": d, "stored": s, "incoming": i, "detectedBy": by,
                   "expect": {"merged": m, "classification": c, "conflict": k}}
                  for d, s, i, by, m, c, k in merge_cases],
    },
    "version-vector.json": {
        "kind": "version-vector",
        "description": "Comparing and merging version vectors.",
        "cases": [
            {"description": "empty vectors are equal", "a": {}, "b": {}, "order": "equal", "merged": {}},
            {"description": "same entries", "a": {A: 3, B: 1}, "b": {B: 1, A: 3}, "order": "equal", "merged": {A: 3, B: 1}},
            {"description": "lower seq of the same replica", "a": {A: 1}, "b": {A: 2}, "order": "older", "merged": {A: 2}},
            {"description": "higher seq of the same replica", "a": {A: 5}, "b": {A: 2}, "order": "newer", "merged": {A: 5}},
            {"description": "a missing entry counts as zero", "a": {A: 1}, "b": {A: 1, B: 1}, "order": "older", "merged": {A: 1, B: 1}},
            {"description": "nothing written is older than anything", "a": {}, "b": {C: 1}, "order": "older", "merged": {C: 1}},
            {"description": "disjoint writers are concurrent", "a": {A: 1}, "b": {B: 1}, "order": "concurrent", "merged": {A: 1, B: 1}},
            {"description": "each ahead on one replica", "a": {A: 2, B: 1}, "b": {A: 1, B: 2}, "order": "concurrent", "merged": {A: 2, B: 2}},
            {"description": "ahead on one, missing another", "a": {A: 3, B: 1}, "b": {A: 1, C: 4}, "order": "concurrent",
             "merged": {A: 3, B: 1, C: 4}},
            {"description": "large seqs", "a": {A: 9007199254740992}, "b": {A: 9007199254740991}, "order": "newer",
             "merged": {A: 9007199254740992}},
        ],
    },
    "hlc.json": {
        "kind": "hlc",
        "description": "The send and receive rules of the hybrid logical clock, and the drift bound.",
        "cases": [
            {"description": "a fresh clock takes the wall clock, then counts within the millisecond",
             "replica": A, "clock": {"millis": 0, "counter": 0}, "steps": [
                {"op": "tick", "now": T, "expectStamp": st(T, 0, A)},
                {"op": "tick", "now": T, "expectStamp": st(T, 1, A)},
                {"op": "tick", "now": T + 1, "expectStamp": st(T + 1, 0, A)}]},
            {"description": "a wall clock that steps back never makes a stamp go back",
             "replica": A, "clock": {"millis": T, "counter": 4}, "steps": [
                {"op": "tick", "now": T - 60000, "expectStamp": st(T, 5, A)}]},
            {"description": "receiving a stamp from the future (within the bound) moves the clock past it",
             "replica": A, "clock": {"millis": T, "counter": 0}, "steps": [
                {"op": "receive", "now": T, "stamp": st(T + 3000, 7, B), "expectClock": {"millis": T + 3000, "counter": 8}},
                {"op": "tick", "now": T + 10, "expectStamp": st(T + 3000, 9, A)}]},
            {"description": "receiving a stamp of the same millisecond takes the larger counter plus one",
             "replica": A, "clock": {"millis": T, "counter": 9}, "steps": [
                {"op": "receive", "now": T - 5, "stamp": st(T, 4, B), "expectClock": {"millis": T, "counter": 10}},
                {"op": "receive", "now": T - 5, "stamp": st(T, 20, B), "expectClock": {"millis": T, "counter": 21}}]},
            {"description": "receiving an old stamp when the wall clock is ahead resets the counter",
             "replica": A, "clock": {"millis": T, "counter": 9}, "steps": [
                {"op": "receive", "now": T + 100, "stamp": st(T - 50, 2, B), "expectClock": {"millis": T + 100, "counter": 0}}]},
            {"description": "receiving an old stamp when the clock is ahead of the wall clock counts on",
             "replica": A, "clock": {"millis": T, "counter": 9}, "steps": [
                {"op": "receive", "now": T - 100, "stamp": st(T - 50, 2, B), "expectClock": {"millis": T, "counter": 10}}]},
            {"description": "a stamp exactly at the drift bound is accepted",
             "replica": HUB, "clock": {"millis": T, "counter": 0}, "steps": [
                {"op": "receive", "now": T, "stamp": st(T + 86400000, 0, B), "maxDriftMillis": 86400000,
                 "expectClock": {"millis": T + 86400000, "counter": 1}}]},
            {"description": "a stamp one millisecond past the drift bound is refused and the clock does not move",
             "replica": HUB, "clock": {"millis": T, "counter": 0}, "steps": [
                {"op": "receive", "now": T, "stamp": st(T + 86400001, 0, B), "maxDriftMillis": 86400000,
                 "expectError": "clock_ahead", "expectClock": {"millis": T, "counter": 0}}]},
            {"description": "a laptop a year ahead is refused",
             "replica": HUB, "clock": {"millis": T, "counter": 3}, "steps": [
                {"op": "receive", "now": T, "stamp": st(T + 365 * 86400000, 0, B), "maxDriftMillis": 86400000,
                 "expectError": "clock_ahead", "expectClock": {"millis": T, "counter": 3}}]},
            {"description": "a counter at its maximum carries into the millis",
             "replica": A, "clock": {"millis": T, "counter": 4294967295}, "steps": [
                {"op": "tick", "now": T, "expectStamp": st(T + 1, 0, A)}]},
        ],
    },
    "conflict-id.json": {
        "kind": "conflict-id",
        "description": "Conflict ids: SHA-256 of the record id and the two canonical vectors in byte order, first 16 bytes.",
        "cases": [
            {"description": "one writer each", "record": REC, "a": {A: 2}, "b": {A: 1, B: 1},
             "id": conflict_id(REC, {A: 2}, {A: 1, B: 1})},
            {"description": "the order of the two vectors does not matter", "record": REC, "a": {A: 1, B: 1}, "b": {A: 2},
             "id": conflict_id(REC, {A: 2}, {A: 1, B: 1})},
            {"description": "three writers", "record": REC, "a": {A: 3, B: 1, C: 7}, "b": {A: 1, B: 2},
             "id": conflict_id(REC, {A: 3, B: 1, C: 7}, {A: 1, B: 2})},
        ],
    },
}

OUT.mkdir(parents=True, exist_ok=True)
for name, content in vectors.items():
    (OUT / name).write_text(json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print("wrote", OUT / name)
