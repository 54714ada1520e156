#!/usr/bin/env python3
"""Writes Protocol/vectors/*.json: hand-specified cases of the sync rules (Protocol/README.md §2-5).

Inputs and expected outputs below are written out literally; only conflict ids are computed,
with hashlib, exactly as §5 defines them (protocol 2: per-field dots, Protocol/README.md §4-5). Run it after changing a case; the checks
(Tools/check-protocol.py and the Swift tests) then hold both implementations to the files.
"""
import datetime, hashlib, json, pathlib

OUT = pathlib.Path(__file__).resolve().parents[2] / "Protocol" / "vectors"
A, B, C, HUB = "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc", "00000000000000ff"
REC = "0b9f5c1e-8a53-4c5e-9d7e-2f1b6c3a4d5e"


def st(millis, counter, replica):
    return f"{millis:012x}-{counter:08x}-{replica}"


def reg(value, stamp, seq=0):
    """A register; `seq` is its writer's seq (the write's dot), 0 for a register of protocol 1."""
    return {"value": value, "stamp": stamp, **({"seq": seq} if seq else {})}


def state(version, **fields):
    return {"id": REC, "version": version, "fields": fields}


def conflict_id(record, kind, fields):
    """§5: SHA-256 of the record, the kind and, per field in name order, its two registers' stamps."""
    text = f"{record}\n{kind}\n"
    for f in sorted(fields, key=lambda f: f["field"]):
        pair = sorted((r["stamp"] if r else "-") for r in (f["stored"], f["incoming"]))
        text += f"{f['field']}={pair[0]},{pair[1]}\n"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def conflict(stored, incoming, detected_by, fields, kind="conflict"):
    diffs = [{"field": f, "stored": stored["fields"].get(f), "incoming": incoming["fields"].get(f), "winner": w}
             for f, w in sorted(fields)]
    return {"id": conflict_id(REC, kind, diffs), "kind": kind, "record": REC, "fields": diffs,
            "storedVersion": stored["version"], "incomingVersion": incoming["version"], "detectedBy": detected_by}


def compact(states):
    """§6.3: the compact form of a list of states, as its canonical encoder writes it."""
    replicas, fields, counts, order, base, per_state = [], [], {}, [], None, []

    def note(replica):
        if replica not in replicas:
            replicas.append(replica)

    def count(value):
        if isinstance(value, str):
            if value not in counts:
                order.append(value)
            counts[value] = counts.get(value, 0) + 1
        elif isinstance(value, dict):
            for key in sorted(value):
                count(value[key])

    for s in states:
        for replica in sorted(s["version"]):
            note(replica)
        writes = []
        for name in sorted(s["fields"]):
            register = s["fields"][name]
            key = (register["stamp"], register.get("seq", 0))
            write = next((w for w in writes if w["key"] == key), None)
            if write is None:
                millis, counter, replica = register["stamp"].split("-")
                write = {"key": key, "millis": int(millis, 16), "counter": int(counter, 16), "replica": replica, "fields": []}
                writes.append(write)
                note(replica)
                base = write["millis"] if base is None else min(base, write["millis"])
            write["fields"].append((name, register.get("value")))
            if name not in fields:
                fields.append(name)
            count(register.get("value"))
        per_state.append(writes)
    strings = [text for text in order if counts[text] >= 2 and len(text.encode()) >= 4][:65536]

    def value(v):
        if isinstance(v, str) and v in strings:
            return [strings.index(v)]
        if isinstance(v, dict):
            return {key: value(v[key]) for key in sorted(v)}
        return v

    records = []
    for s, writes in zip(states, per_state):
        vector = [x for replica in sorted(s["version"]) for x in (replicas.index(replica), s["version"][replica])]
        records.append([s["id"], vector] + [
            [w["millis"] - base, w["counter"], replicas.index(w["replica"]), w["key"][1]]
            + [x for name, v in w["fields"] for x in (fields.index(name), value(v))] for w in writes])
    return {"base": base or 0, "fields": fields, "records": records, "replicas": replicas, "strings": strings}


T = 0x019aa0000000  # 2025-11-20 or so, in ms

# The common ancestor: A logged the visit (A's write 1).
base_a = dict(service=reg("vneid-level2", st(T, 0, A), 1), outcome=reg("pending", st(T, 0, A), 1),
              reason=reg(None, st(T, 0, A), 1), note=reg("", st(T, 0, A), 1), deleted=reg(False, st(T, 0, A), 1))
v1 = state({A: 1}, **base_a)

# A later edits the outcome (A's write 2, causally after v1; outcome and reason are one group).
a_done = {"outcome": reg("done", st(T + 5000, 0, A), 2), "reason": reg(None, st(T + 5000, 0, A), 2)}
v2 = state({A: 2}, **{**base_a, **a_done})

# B, having pulled v1, edits the outcome concurrently with A's v2, later in wall time.
b_failed = {"outcome": reg("failed", st(T + 6000, 0, B), 1), "reason": reg("not-home", st(T + 6000, 0, B), 1)}
b_outcome = state({A: 1, B: 1}, **{**base_a, **b_failed})
merged_same_field = state({A: 2, B: 1}, **{**base_a, **b_failed})

# B edits the note instead (different field).
b_note_reg = reg("gọi lại thứ Sáu", st(T + 4000, 0, B), 1)
b_note = state({A: 1, B: 1}, **{**base_a, "note": b_note_reg})
merged_diff_field = state({A: 2, B: 1}, **{**base_a, **a_done, "note": b_note_reg})

# A deletes while B edits the note.
a_deletion = reg(True, st(T + 7000, 0, A), 2)
a_delete = state({A: 2}, **{**base_a, "deleted": a_deletion})
merged_delete = state({A: 2, B: 1}, **{**base_a, "deleted": a_deletion, "note": b_note_reg})

# Equal millis and counter from two replicas: the replica id breaks the tie (b > a).
a_tie = state({A: 2}, **{**base_a, "outcome": reg("done", st(T + 9000, 3, A), 2), "reason": reg(None, st(T + 9000, 3, A), 2)})
b_tie_regs = {"outcome": reg("failed", st(T + 9000, 3, B), 1), "reason": reg("not-home", st(T + 9000, 3, B), 1)}
b_tie = state({A: 1, B: 1}, **{**base_a, **b_tie_regs})
merged_tie = state({A: 2, B: 1}, **{**base_a, **b_tie_regs})

# Both set the same values concurrently: nothing to look at.
b_same_regs = {"outcome": reg("done", st(T + 5100, 0, B), 1), "reason": reg(None, st(T + 5100, 0, B), 1)}
b_same = state({A: 1, B: 1}, **{**base_a, **b_same_regs})
merged_same = state({A: 2, B: 1}, **{**base_a, **b_same_regs})

# A clock running behind: B's edit is causally later (B saw v2) but stamped earlier in wall time
# than A's write; receive (counter 1) then send (counter 2) make it larger anyway.
b_after_v2 = state({A: 2, B: 1}, **{**v2["fields"], "outcome": reg("failed", st(T + 5000, 2, B), 1),
                                    "reason": reg("not-home", st(T + 5000, 2, B), 1)})

# Edit after seen: A wrote the note after v2 (A's write 3); B saw v2 and changed the outcome. The
# vectors are concurrent, but B's outcome follows the outcome it saw: combined, no conflict.
a_note_reg = reg("hẹn lại", st(T + 8000, 0, A), 3)
v3 = state({A: 3}, **{**v2["fields"], "note": a_note_reg})
merged_after_seen = state({A: 3, B: 1}, **{**b_after_v2["fields"], "note": a_note_reg})

# Three writers: C saw A:2 only and wrote the note that B had also written: a conflict on the note alone.
c_note_reg = reg("xong", st(T + 8000, 0, C), 1)
c_note = state({A: 2, C: 1}, **{**v2["fields"], "note": c_note_reg})
merged_three = state({A: 2, B: 1, C: 1}, **{**merged_diff_field["fields"], "note": c_note_reg})
# C, having seen both A:2 and B:1, writes the note: causally after both, a fast-forward.
c_three = state({A: 2, B: 1, C: 1}, **{**merged_diff_field["fields"], "note": reg("xong", st(T + 8000, 0, C), 1)})

# Protocol 1 registers (no seq): what a write saw is unknown, so differing values of concurrent states conflict.
old_base = {k: reg(r["value"], r["stamp"]) for k, r in base_a.items()}
old_a = state({A: 2}, **{**old_base, "outcome": reg("done", st(T + 5000, 0, A))})
old_b = state({A: 1, B: 1}, **{**old_base, "note": reg("gọi lại thứ Sáu", st(T + 4000, 0, B))})
old_merged = state({A: 2, B: 1}, **{**old_base, "outcome": reg("done", st(T + 5000, 0, A)),
                                   "note": reg("gọi lại thứ Sáu", st(T + 4000, 0, B))})

# Two copies of A's write 1 of the citizen ID (§4.2): sent before its pseudonym existed, then with it
# (same stamp, same seq). The join keeps the more complete encoding, whichever copy arrives first;
# a pseudonym under a newer key version beats an older one and a protocol-2 keyed hash.
P1 = "p1." + "ab" * 48
P2 = "p2." + "cd" * 48
def with_cccd(value):
    return state({A: 1}, **{**base_a, "cccd": reg(value, st(T, 0, A), 1)})
cccd_pending = with_cccd({"masked": "********2345", "hash": None})
cccd_p1 = with_cccd({"masked": "********2345", "hash": P1})
cccd_p2 = with_cccd({"masked": "********2345", "hash": P2})
cccd_legacy = with_cccd({"masked": "001******345", "hash": "0f" * 32})

# Erasure (§4.3): the hub writes `erased` while B, offline, edits the note; the join keeps both
# registers (different fields, merged): every store then shows the visit erased, the note blank.
erase_reg = reg(True, st(T + 9500, 0, HUB), 1)
hub_erased = state({A: 1, HUB: 1}, **{**base_a, "erased": erase_reg})
b_late_note = state({A: 1, B: 1}, **{**base_a, "note": reg("gọi lại", st(T + 9600, 0, B), 1)})
merged_erased = state({A: 1, B: 1, HUB: 1}, **{**base_a, "erased": erase_reg, "note": reg("gọi lại", st(T + 9600, 0, B), 1)})

# The tombstone horizon (§7.2): a compacted tombstone keeps only its `deleted` (and `erased`) registers
# and its vector; a state from a laptop that was behind the horizon merges against it.
reduced_delete = state({A: 2}, deleted=a_deletion)
merged_reduced_v1 = state({A: 2}, **{**base_a, "deleted": a_deletion})

GROUPS = [["outcome", "reason"]]
merge_cases = [
    ("a record new to the receiver is taken as it is", None, v1, HUB, v1, "fast-forward", None),
    ("a replayed state changes nothing", v1, v1, HUB, v1, "already-known", None),
    ("an older state changes nothing", v2, v1, HUB, v2, "already-known", None),
    ("a causally later state fast-forwards", v1, v2, HUB, v2, "fast-forward", None),
    ("a later write that the writer's slow clock stamped low still wins: the HLC put it after what it saw",
     v2, b_after_v2, HUB, b_after_v2, "fast-forward", None),
    ("same field: concurrent edits of the outcome group conflict on it, the greater stamp wins, the loser is kept",
     v2, b_outcome, HUB, merged_same_field, "conflict",
     conflict(v2, b_outcome, HUB, [("outcome", "incoming"), ("reason", "incoming")])),
    ("the same conflict the other way round: the same merged state and the same conflict id",
     b_outcome, v2, B, merged_same_field, "conflict",
     conflict(b_outcome, v2, B, [("outcome", "stored"), ("reason", "stored")])),
    ("different fields: concurrent edits of different fields are merged, with no entry",
     v2, b_note, HUB, merged_diff_field, "merged", None),
    ("edit after seen: concurrent vectors, but the incoming outcome follows the stored one; the note is the stored side's",
     v3, b_after_v2, HUB, merged_after_seen, "merged", None),
    ("delete: an edit the deleting side had not seen is an edit-vs-delete; the record stays deleted, the edit is logged",
     a_delete, b_note, HUB, merged_delete, "edit-vs-delete",
     conflict(a_delete, b_note, HUB, [("deleted", "stored"), ("note", "incoming")], kind="edit-vs-delete")),
    ("equal millis and counter from two replicas: the greater replica id wins",
     a_tie, b_tie, HUB, merged_tie, "conflict",
     conflict(a_tie, b_tie, HUB, [("outcome", "incoming"), ("reason", "incoming")])),
    ("concurrent writes of the same values: merged, no entry", v2, b_same, HUB, merged_same, "merged", None),
    ("three writers: C's note is concurrent with B's (C had not seen B): a conflict on the note alone",
     merged_diff_field, c_note, HUB, merged_three, "conflict",
     conflict(merged_diff_field, c_note, HUB, [("note", "incoming")])),
    ("three writers: a state that saw both others fast-forwards past their merge",
     merged_diff_field, c_three, HUB, c_three, "fast-forward", None),
    ("a pseudonym filled in after the write was sent: the same write, the copy with the pseudonym is kept",
     cccd_pending, cccd_p1, HUB, cccd_p1, "already-known", None),
    ("the same two copies the other way round: the pseudonym stays",
     cccd_p1, cccd_pending, HUB, cccd_p1, "already-known", None),
    ("a pseudonym re-derived under a newer key version replaces the older one",
     cccd_p1, cccd_p2, HUB, cccd_p2, "already-known", None),
    ("a pseudonym replaces protocol 2's keyed hash of the same write (and its longer mask)",
     cccd_legacy, cccd_p1, HUB, cccd_p1, "already-known", None),
    ("erasure: a note edited by a laptop that had not seen the erasure merges; the state keeps `erased`, so stores blank it",
     hub_erased, b_late_note, HUB, merged_erased, "merged", None),
    ("a compacted tombstone against a state it covers (a laptop behind the horizon): already-known, still deleted",
     reduced_delete, v1, HUB, merged_reduced_v1, "already-known", None),
    ("a compacted tombstone against an edit the deleting side had not seen: edit-vs-delete, the edit kept in the entry",
     reduced_delete, b_note, HUB, merged_delete, "edit-vs-delete",
     conflict(reduced_delete, b_note, HUB, [("deleted", "stored"), ("note", "incoming")], kind="edit-vs-delete")),
    ("protocol 1 registers (no seq) of concurrent states: every differing field is a conflict, as before",
     old_a, old_b, HUB, old_merged, "conflict",
     conflict(old_a, old_b, HUB, [("note", "incoming"), ("outcome", "stored")])),
]

NOW = "2026-12-05T12:00:00Z"
def dev(device, pulled, days, role="volunteer", revoked=False, pulls=True):
    seen = datetime.datetime(2026, 12, 5, 12, tzinfo=datetime.timezone.utc) - datetime.timedelta(days=days)
    return {"device": device, "role": role, "revoked": revoked, "lastSeen": seen.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "pulledThrough": pulled, "pulls": pulls}
def horizon_case(description, hub_seq, devices, horizon, held_by, excluded):
    return {"description": description, "now": NOW, "graceSeconds": 30 * 86400, "hubSeq": hub_seq, "devices": devices,
            "expect": {"horizon": horizon, "heldBy": held_by, "excluded": excluded}}

# --- the compact form (§6.3) --------------------------------------------------------------------
V1, V2 = "019aa000-0000-7000-8000-000000000001", "019aa000-0000-7000-8000-000000000002"
LAN = {"at": "2025-11-20T08:00:00Z", "by": "Nguyễn Thị Lan", "policy": "PDPL-2026-v1"}


def visit(record, version, stamp, seq, **values):
    return {"id": record, "version": version, "fields": {name: reg(v, stamp, seq) for name, v in values.items()}}


logged = visit(V1, {A: 1}, st(T, 0, A), 1, service="vneid-level2", outcome="done", commune="00004", name="Trần Văn Bình",
               cccd={"masked": "********2345", "hash": "p1." + "ab" * 48}, phone="0912345678", reason=None, note="",
               visitedAt="2025-11-20T08:00:00Z", volunteer="Nguyễn Thị Lan", team="T-00004-01", consent=LAN, deleted=False)
second = visit(V2, {A: 2}, st(T + 61_000, 0, A), 2, service="vneid-level2", outcome="failed", commune="00004", name="Lê Thị Mai",
               cccd=None, phone=None, reason="otp-not-received", note="gọi lại chiều thứ Hai", visitedAt="2025-11-20T08:01:00Z",
               volunteer="Nguyễn Thị Lan", team="T-00004-01", consent=None, deleted=False)
edited = {**logged, "version": {A: 1, B: 3}, "fields": {**logged["fields"], "outcome": reg("pending", st(T + 90_000, 7, B), 3),
                                                        "reason": reg("application-pending", st(T + 90_000, 7, B), 3),
                                                        "note": reg("", st(T - 5_000, 0, C))}}
reduced = {"id": V2, "version": {A: 2, B: 1}, "fields": {"deleted": reg(True, st(T + 120_000, 0, B), 1)}}


def compact_case(description, states):
    return {"description": description, "states": states, "compact": compact(states)}


def invalid_case(description, form):
    return {"description": description, "compact": form, "valid": False}


good = compact([logged, second])

vectors = {
    "merge.json": {
        "kind": "merge",
        "description": "Receiving a state: field-wise join, pointwise-max vector, classification and conflict entry.",
        "cases": [{"description": d, "stored": s, "incoming": i, "detectedBy": by, "groups": GROUPS,
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
        "description": "Conflict ids (§5): SHA-256 of record, kind and each field's two stamps in text order, first 16 bytes.",
        "cases": [
            {"description": description, "record": REC, "kind": kind, "fields": fields, "id": conflict_id(REC, kind, fields)}
            for description, kind, fields in [
                ("one field", "conflict",
                 [{"field": "note", "stored": reg("a", st(T, 0, A), 2), "incoming": reg("b", st(T + 1, 0, B), 1), "winner": "incoming"}]),
                ("the two sides swapped: the same id", "conflict",
                 [{"field": "note", "stored": reg("b", st(T + 1, 0, B), 1), "incoming": reg("a", st(T, 0, A), 2), "winner": "stored"}]),
                ("an edit against a deletion, a field missing on one side", "edit-vs-delete",
                 [{"field": "deleted", "stored": reg(True, st(T + 2, 0, A), 3), "incoming": reg(False, st(T, 0, A), 1), "winner": "stored"},
                  {"field": "phone", "stored": None, "incoming": reg("0912345678", st(T + 1, 0, C), 1), "winner": "incoming"}]),
            ]
        ],
    },
    "compact.json": {
        "kind": "compact",
        "description": "The compact form of a list of states (§6.3): tables of replicas, field names and repeated strings, "
                       "stamps as offsets from base, one entry per write. Valid cases: the canonical encoding of the states and "
                       "back; invalid ones must be refused.",
        "cases": [
            compact_case("no states", []),
            compact_case("a day's first visit: one write, every field under one stamp", [logged]),
            compact_case("two visits: repeated strings in the table, inside objects too", [logged, second]),
            compact_case("a later edit by another replica, a register of protocol 1 (no seq), a stamp before the base of the rest",
                         [edited, second]),
            compact_case("a reduced tombstone (§7.2) beside a full state", [logged, reduced]),
            invalid_case("a replica index beyond the table", {**good, "records": [[V1, [5, 1]]]}),
            invalid_case("a field index beyond the table", {**good, "records": [[V1, [0, 1], [0, 0, 0, 1, 99, "done"]]]}),
            invalid_case("a string index beyond the table", {**good, "records": [[V1, [0, 1], [0, 0, 0, 1, 0, [99]]]]}),
            invalid_case("a field written twice", {**good, "records": [[V1, [0, 1], [0, 0, 0, 1, 0, "a", 0, "b"]]]}),
            invalid_case("an array value that is not one index", {**good, "records": [[V1, [0, 1], [0, 0, 0, 1, 0, [0, 1]]]]}),
            invalid_case("a write with no field", {**good, "records": [[V1, [0, 1], [0, 0, 0, 1]]]}),
            invalid_case("a stamp beyond 2^48 ms", {**good, "records": [[V1, [0, 1], [2**48, 0, 0, 1, 0, "done"]]]}),
            invalid_case("a vector naming a replica twice", {**good, "records": [[V1, [0, 1, 0, 2]]]}),
            invalid_case("a field name the protocol does not allow", {**good, "fields": ["1st"]}),
            invalid_case("a field named twice in the table", {**good, "fields": good["fields"][:-1] + [good["fields"][0]]}),
        ],
    },
    "horizon.json": {
        "kind": "horizon",
        "description": "The tombstone horizon (§7.2): the lowest pull checkpoint among active devices (not revoked, "
                       "seen within the grace period, volunteers or devices that pull); the hub's counter when none is active.",
        "cases": [horizon_case(*case) for case in [
            ("the lowest checkpoint of the active laptops", 200,
             [dev("d-1", pulled=120, days=1), dev("d-2", pulled=95, days=2)], 95, ["d-2"], []),
            ("a revoked laptop does not hold it back", 200,
             [dev("d-1", pulled=120, days=1), dev("d-3", pulled=10, days=1, revoked=True)], 120, ["d-1"], ["d-3"]),
            ("a laptop silent for longer than the grace period is left out", 200,
             [dev("d-1", pulled=120, days=1), dev("d-3", pulled=10, days=31)], 120, ["d-1"], ["d-3"]),
            ("a laptop seen exactly at the end of the grace period still counts", 200,
             [dev("d-1", pulled=120, days=1), dev("d-3", pulled=10, days=30)], 10, ["d-3"], []),
            ("a laptop enrolled but not yet pulled holds it at 0", 200,
             [dev("d-1", pulled=120, days=1), dev("d-4", pulled=0, days=0, pulls=False)], 0, ["d-4"], []),
            ("a coordinator that never pulls counts for nothing", 200,
             [dev("d-1", pulled=120, days=1), dev("d-5", role="coordinator", pulled=0, days=0, pulls=False)], 120, ["d-1"], []),
            ("a coordinator's device that pulls counts like a laptop", 200,
             [dev("d-1", pulled=120, days=1), dev("d-5", role="coordinator", pulled=60, days=0)], 60, ["d-5"], []),
            ("no active device: every change counts", 200,
             [dev("d-3", pulled=10, days=1, revoked=True)], 200, [], ["d-3"]),
            ("a checkpoint beyond the hub's counter is capped by it", 200,
             [dev("d-1", pulled=500, days=1)], 200, ["d-1"], []),
            ("several devices at the lowest checkpoint all hold it", 200,
             [dev("d-1", pulled=95, days=1), dev("d-2", pulled=95, days=3), dev("d-6", pulled=150, days=0)], 95, ["d-1", "d-2"], []),
        ]],
    },
}

R2 = "5d1e0c2b-7f64-4b1a-8e2d-3c4b5a697887"
S1, S2, S2B, S3, S4 = (st(0x019aa0000000 + n * 1000, 0, A) for n in (1, 2, 7, 3, 4))


def remembered(seq, record, stamp, replica=A):
    return {"replica": replica, "seq": seq, "record": record, "stamp": stamp}


def reuse_case(description, remembered_writes, records, expect, writes=None):
    push = {"replica": A, "records": records, **({"writes": writes} if writes else {})}
    return {"description": description, "remembered": remembered_writes, "push": push, "expect": expect}


def reissue_case(description, fields, version, acknowledged, held, changes, claimed):
    return {"description": description, "reissue": {"state": state(version, **fields), "retired": A, "acknowledged": acknowledged,
                                                    "held": held, "groups": [["outcome", "reason"]]},
            "expect": {"changes": changes, "version": claimed}}


vectors["restore.json"] = {
    "kind": "restore",
    "description": "A restored store (§1, §1.1): the hub refuses a push that reuses a write identity it holds (a register "
                   "or a named write of the pushing replica whose seq it remembers with another record or stamp); the "
                   "store then writes again only the writes the hub does not hold, on a vector cut back to what it may claim.",
    "cases": [
        reuse_case("a register whose write the hub holds as the same write is not a reuse", [remembered(2, REC, S2)],
                   [state({A: 2}, note=reg("a", S2, 2), name=reg("n", S1, 1))], "accepted"),
        reuse_case("a register whose write the hub holds on another visit is a reuse", [remembered(2, R2, S2)],
                   [state({A: 2}, note=reg("a", S2, 2))], "refused"),
        reuse_case("a register whose write the hub holds on this visit with another stamp is a reuse", [remembered(2, REC, S2)],
                   [state({A: 2}, note=reg("b", S2B, 2))], "refused"),
        reuse_case("a write named beside the registers is checked like them", [remembered(2, REC, S2)],
                   [state({A: 3}, note=reg("c", S3, 3))], "refused", writes=[{"record": REC, "seq": 2, "stamp": S2B}]),
        reuse_case("a named write the hub holds as it is is no reuse", [remembered(2, REC, S2)],
                   [state({A: 3}, note=reg("c", S3, 3))], "accepted", writes=[{"record": REC, "seq": 2, "stamp": S2}]),
        reuse_case("another replica's registers are not the pusher's identities", [remembered(2, R2, st(0x019aa0002000, 0, B), B)],
                   [state({A: 1, B: 2}, note=reg("b", st(0x019aa0002000, 0, B), 2), name=reg("n", S1, 1))], "accepted"),
        reuse_case("a write the hub never saw is new", [],
                   [state({A: 4}, note=reg("d", S4, 4))], "accepted"),
        reissue_case("without the hub's answer every write above the acknowledged seq goes again",
                     {"name": reg("n", S1, 1), "note": reg("x", S3, 3)}, {A: 3}, 1, None, {"note": "x"}, 1),
        reissue_case("a write the hub holds is not written again, and the vector may claim it",
                     {"name": reg("n", S1, 1), "note": reg("x", S2, 2), "outcome": reg("failed", S4, 4),
                      "reason": reg("otp-not-received", S4, 4)}, {A: 4}, 1, [2],
                     {"outcome": "failed", "reason": "otp-not-received"}, 2),
        reissue_case("a creation the hub holds is never written again (a fresh deleted = false would undo a deletion)",
                     {"deleted": reg(False, S1, 1), "name": reg("n", S1, 1), "note": reg("y", S3, 3)}, {A: 3}, 0, [1],
                     {"note": "y"}, 1),
        reissue_case("a group goes whole when one of its fields goes",
                     {"outcome": reg("failed", S1, 1), "reason": reg("otp-not-received", S3, 3)}, {A: 3}, 1, [],
                     {"outcome": "failed", "reason": "otp-not-received"}, 1),
    ],
}

OUT.mkdir(parents=True, exist_ok=True)
for name, content in vectors.items():
    (OUT / name).write_text(json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print("wrote", OUT / name)
