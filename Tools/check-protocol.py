#!/usr/bin/env python3
"""Checks Protocol/: every JSON Schema is valid, openapi.yaml is valid OpenAPI 3.1, every vector file
matches the test-vector schema, and an independent Python implementation of the sync rules
(Protocol/README.md §2-5) gives exactly the expected results of every vector.

Needs jsonschema, referencing, openapi-spec-validator and PyYAML (Tools/setup.sh installs them)."""
import hashlib, json, pathlib, re, sys

import datetime
import jsonschema
import yaml
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource

ROOT = pathlib.Path(__file__).resolve().parents[1] / "Protocol"
failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")


# --- schemas --------------------------------------------------------------------------------
schemas = {}
for path in sorted((ROOT / "schemas").glob("*.json")):
    schema = json.loads(path.read_text(encoding="utf-8"))
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as error:
        fail(path.name, f"not a valid JSON Schema: {error.message}")
    schemas[path.name] = schema
registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())


def validator(name):
    return jsonschema.Draft202012Validator(schemas[name], registry=registry)


# --- OpenAPI --------------------------------------------------------------------------------
spec_path = ROOT / "openapi.yaml"
try:
    validate_openapi(yaml.safe_load(spec_path.read_text(encoding="utf-8")), base_uri=spec_path.as_uri())
except Exception as error:  # the validator raises several error types
    fail("openapi.yaml", f"invalid: {error}")

# --- reference implementation of §2-5 ------------------------------------------------------
MAX_COUNTER = 2**32 - 1


def parse_stamp(text):
    m, c, r = text.split("-")
    return (int(m, 16), int(c, 16), int(r, 16))


def fmt_stamp(m, c, r):
    return f"{m:012x}-{c:08x}-{r:016x}"


def compare(a, b):
    mine = any(a.get(r, 0) > b.get(r, 0) for r in a)
    theirs = any(b.get(r, 0) > a.get(r, 0) for r in b)
    return "concurrent" if mine and theirs else "newer" if mine else "older" if theirs else "equal"


def merge_vv(a, b):
    return {r: max(a.get(r, 0), b.get(r, 0)) for r in set(a) | set(b)}


def conflict_id(record, kind, fields):
    text = f"{record}\n{kind}\n"
    for f in sorted(fields, key=lambda f: f["field"]):
        pair = sorted((r["stamp"] if r else "-") for r in (f["stored"], f["incoming"]))
        text += f"{f['field']}={pair[0]},{pair[1]}\n"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def encoding_rank(value):
    """§4.2: how complete a value's `hash` member is: none 0, a keyed hash 1, pseudonym p<k>.… k + 1."""
    if not isinstance(value, dict) or not isinstance(value.get("hash"), str):
        return 0
    h = value["hash"]
    if not h.startswith("p"):
        return 1 if len(h) == 64 else 0
    digits = h[1:].split(".")[0]
    return int(digits) + 1 if 1 <= len(digits) <= 6 and digits.isascii() and digits.isdigit() else 0


def kind_of(v):
    return 0 if v is None else 1 if isinstance(v, bool) else 2 if isinstance(v, int) else 3 if isinstance(v, str) else 4


def precedes(x, y):
    """The structural order of values that breaks a tie between two copies of one write."""
    if kind_of(x) != kind_of(y):
        return kind_of(x) < kind_of(y)
    if isinstance(x, dict):
        for key in sorted(set(x) | set(y), key=lambda k: k.encode()):
            if x.get(key, ...) == y.get(key, ...):
                continue
            if key not in x:
                return True
            if key not in y:
                return False
            return precedes(x[key], y[key])
        return False
    if isinstance(x, str):
        return x.encode() < y.encode()
    return x < y if x is not None else False


def is_after(a, b):
    """Registers are ordered by stamp, then by seq (one write whose copy lost its seq sorts first), then
    (two copies of one write) by the value's encoding rank and structure."""
    ka, kb = (parse_stamp(a["stamp"]), a.get("seq", 0)), (parse_stamp(b["stamp"]), b.get("seq", 0))
    if ka != kb:
        return ka > kb
    va, vb = a["value"], b["value"]
    if encoding_rank(va) != encoding_rank(vb):
        return encoding_rank(va) > encoding_rank(vb)
    return precedes(vb, va)


def covers(vv, reg):
    """Whether a state with vector `vv` has seen the write that set `reg` (never, for an unknown seq)."""
    seq = reg.get("seq", 0)
    return seq > 0 and vv.get(reg["stamp"].split("-")[2], 0) >= seq


def merge_states(s, i):
    fields = dict(s["fields"])
    for name, reg in i["fields"].items():
        if name not in fields or is_after(reg, fields[name]):
            fields[name] = reg
    return {"id": s["id"], "version": merge_vv(s["version"], i["version"]), "fields": fields}


def difference(name, stored, incoming):
    s, i = stored["fields"].get(name), incoming["fields"].get(name)
    incoming_wins = i is not None and (s is None or is_after(i, s))
    return {"field": name, "stored": s, "incoming": i, "winner": "incoming" if incoming_wins else "stored"}


def entry(kind, names, stored, incoming, detected_by):
    diffs = [difference(n, stored, incoming) for n in sorted(names)]
    return {"id": conflict_id(stored["id"], kind, diffs), "kind": kind, "record": stored["id"], "fields": diffs,
            "storedVersion": stored["version"], "incomingVersion": incoming["version"], "detectedBy": detected_by}


def is_deleted(state):
    return (state["fields"].get("deleted") or {}).get("value") is True


def receive(stored, incoming, detected_by, groups=()):
    if stored is None:
        return incoming, "fast-forward", None
    merged = merge_states(stored, incoming)
    order = compare(incoming["version"], stored["version"])
    if order in ("equal", "older"):
        return merged, "already-known", None
    if order == "newer":
        return merged, "fast-forward", None
    # Edit against delete: one side deleted, the other had not seen it and wrote new values it had not seen.
    if is_deleted(stored) != is_deleted(incoming):
        deleter, editor = (stored, incoming) if is_deleted(stored) else (incoming, stored)
        deletion = deleter["fields"].get("deleted")
        if deletion is not None and not covers(editor["version"], deletion):
            edits = [n for n, r in editor["fields"].items() if n != "deleted" and deleter["fields"].get(n) != r
                     and (deleter["fields"].get(n) or {}).get("value", object()) != r["value"]
                     and not covers(deleter["version"], r)]
            if edits:
                return merged, "edit-vs-delete", entry("edit-vs-delete", ["deleted"] + edits, stored, incoming, detected_by)
    # A field conflicts when its two registers differ in value and neither side had seen the other's write.
    names = {n for n, s in stored["fields"].items()
             if (i := incoming["fields"].get(n)) is not None and s != i and s["value"] != i["value"]
             and not covers(incoming["version"], s) and not covers(stored["version"], i)}
    for group in groups:
        if names & set(group):
            names |= {n for n in group if stored["fields"].get(n) != incoming["fields"].get(n)}
    if not names:
        return merged, "merged", None
    return merged, "conflict", entry("conflict", names, stored, incoming, detected_by)


def run_restore(case, where):
    """§1: a push reuses a write identity when a register or named write of the pushing replica has a seq the hub
    remembers with another record or stamp; §1.1: the writes of the retired id the hub does not hold go again."""
    if "push" in case:
        push = case["push"]
        known = {w["seq"]: (w["record"], w["stamp"]) for w in case["remembered"] if w["replica"] == push["replica"]}
        writes = [(state["id"], r["seq"], r["stamp"]) for state in push["records"] for r in state["fields"].values()
                  if r["stamp"].split("-")[2] == push["replica"] and r.get("seq", 0) > 0]
        writes += [(w["record"], w["seq"], w["stamp"]) for w in push.get("writes", [])]
        refused = any(seq in known and known[seq] != (record, stamp) for record, seq, stamp in writes)
        if ("refused" if refused else "accepted") != case["expect"]:
            fail(where, f"{'refused' if refused else 'accepted'} != {case['expect']}")
        return
    plan = case["reissue"]
    state, retired, acknowledged, held = plan["state"], plan["retired"], plan["acknowledged"], plan["held"]
    changes = {}
    for name, r in state["fields"].items():
        seq = r.get("seq", 0)
        if r["stamp"].split("-")[2] == retired and (seq == 0 or (seq > acknowledged and (held is None or seq not in held))):
            changes[name] = r["value"]
    for group in plan.get("groups", []):
        if any(name in changes for name in group):
            for name in group:
                if name in state["fields"]:
                    changes[name] = state["fields"][name]["value"]
    claimed = max([acknowledged] + (held or []))
    version = min(state["version"].get(retired, 0), claimed)
    if changes != case["expect"]["changes"]:
        fail(where, f"changes {changes} != {case['expect']['changes']}")
    if version != case["expect"]["version"]:
        fail(where, f"vector entry {version} != {case['expect']['version']}")


def normalise(state):
    return None if state is None else json.loads(json.dumps(state, sort_keys=True))


def run_hlc(case, where):
    replica = int(case["replica"], 16)
    l, c = case["clock"]["millis"], case["clock"]["counter"]

    def bump(l, c):
        return (l + 1, 0) if c == MAX_COUNTER else (l, c + 1)

    for n, step in enumerate(case["steps"]):
        here, now = f"{where} step {n}", step["now"]
        if step["op"] == "tick":
            l, c = (now, 0) if now > l else bump(l, c)
            if step.get("expectStamp") and fmt_stamp(l, c, replica) != step["expectStamp"]:
                fail(here, f"stamp {fmt_stamp(l, c, replica)} != {step['expectStamp']}")
        else:
            lm, cm, _ = parse_stamp(step["stamp"])
            drift = step.get("maxDriftMillis")
            refused = drift is not None and lm > now and lm - now > drift
            if refused != (step.get("expectError") == "clock_ahead"):
                fail(here, f"refused={refused}, expected error {step.get('expectError')}")
            if not refused:
                top = max(l, lm, now)
                if top == l and top == lm:
                    l, c = bump(top, max(c, cm))
                elif top == l:
                    l, c = bump(l, c)
                elif top == lm:
                    l, c = bump(lm, cm)
                else:
                    l, c = top, 0
        if "expectClock" in step and (l, c) != (step["expectClock"]["millis"], step["expectClock"]["counter"]):
            fail(here, f"clock ({l}, {c}) != {step['expectClock']}")


def run_horizon(case, where):
    """§7.2: the lowest checkpoint among active devices, capped by the hub's counter."""
    def seconds(text):
        return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()
    now = seconds(case["now"])
    active, excluded = [], []
    for d in case["devices"]:
        if d["role"] != "volunteer" and not d["pulls"]:
            continue
        if d["revoked"] or seconds(d["lastSeen"]) < now - case["graceSeconds"]:
            excluded.append(d["device"])
        else:
            active.append(d)
    low = min((d["pulledThrough"] for d in active), default=None)
    got = {"horizon": min(case["hubSeq"], case["hubSeq"] if low is None else low),
           "heldBy": [] if low is None else [d["device"] for d in active if d["pulledThrough"] == low],
           "excluded": excluded}
    if got != case["expect"]:
        fail(where, f"horizon {got} != {case['expect']}")


def expand(form):
    """§6.3: the states a compact form holds; ValueError for one that is not valid."""
    def need(condition, what):
        if not condition:
            raise ValueError(what)

    def integer(x, low, high, what):
        need(isinstance(x, int) and not isinstance(x, bool) and low <= x <= high, what)
        return x

    def index(x, table, what):
        return table[integer(x, 0, len(table) - 1, what)]

    base = integer(form["base"], 0, 2**48 - 1, "base")
    replicas = form["replicas"]
    need(all(isinstance(r, str) and re.fullmatch("[0-9a-f]{16}", r) and int(r, 16) for r in replicas), "replica id")
    fields = form["fields"]
    need(all(isinstance(f, str) and re.fullmatch("[A-Za-z][A-Za-z0-9_]{0,31}", f) for f in fields), "field name")
    need(len(set(fields)) == len(fields), "a field named twice in the table")
    strings = form.get("strings", [])
    need(all(isinstance(t, str) for t in strings), "strings")

    def value(v):
        if isinstance(v, list):
            need(len(v) == 1, "an array value is one string index")
            return index(v[0], strings, "string index")
        if isinstance(v, dict):
            return {key: value(x) for key, x in v.items()}
        need(not isinstance(v, float), "number")
        return v

    states = []
    for record in form["records"]:
        need(isinstance(record, list) and len(record) >= 2 and isinstance(record[0], str) and isinstance(record[1], list)
             and len(record[1]) % 2 == 0, "record shape")
        version = {}
        for i in range(0, len(record[1]), 2):
            replica = index(record[1][i], replicas, "replica index")
            need(replica not in version, "a replica twice in a vector")
            version[replica] = integer(record[1][i + 1], 1, 2**53, "vector seq")
        registers = {}
        for write in record[2:]:
            need(isinstance(write, list) and len(write) >= 6 and len(write) % 2 == 0, "write shape")
            millis = base + integer(write[0], 0, 2**48 - 1 - base, "stamp offset")
            stamp = f"{millis:012x}-{integer(write[1], 0, MAX_COUNTER, 'counter'):08x}-{index(write[2], replicas, 'replica index')}"
            seq = integer(write[3], 0, 2**53, "seq")
            for i in range(4, len(write), 2):
                name = index(write[i], fields, "field index")
                need(name not in registers, "a field written twice")
                registers[name] = {"value": value(write[i + 1]), "stamp": stamp, **({"seq": seq} if seq else {})}
        states.append({"id": record[0], "version": version, "fields": registers})
    return states



# --- record kinds (§12) ----------------------------------------------------------------------
import copy

def kind_problems(doc):
    """What makes a kind document unusable beyond its JSON Schema: names, groups and rules that do not hold."""
    names = [f["name"] for f in doc["fields"]]
    fields = {f["name"]: f for f in doc["fields"]}
    problems = []
    if len(set(names)) != len(names):
        problems.append("two fields share a name")
    for f in doc["fields"]:
        codes = [o["code"] for o in f.get("options", [])]
        if len(set(codes)) != len(codes):
            problems.append(f"{f['name']}: two options share a code")
    grouped = [n for g in doc["groups"] for n in g]
    if len(set(grouped)) != len(grouped) or any(n not in fields for n in grouped):
        problems.append("a group names an unknown field, or a field is in two groups")
    for rule in doc["rules"]:
        named = [rule.get("require"), rule.get("forbid"), rule.get("field"), rule.get("notAbove"), rule.get("when", {}).get("field")]
        if any(n is not None and n not in fields for n in named):
            problems.append(f"a rule names an unknown field: {rule}")
            continue
        when = rule.get("when", {})
        if "in" in when and not set(when["in"]) <= {o["code"] for o in fields[when["field"]].get("options", [])}:
            problems.append(f"a rule names an unknown option: {rule}")
        if "notAbove" in rule and not (fields[rule["field"]]["type"] == fields[rule["notAbove"]]["type"] == "integer"):
            problems.append("notAbove compares two integer fields")
    return problems


def kind_evolution(old, new):
    """None when `new` is a compatible next version of `old`, else the reason's code (Protocol/README.md §12)."""
    if kind_problems(new) or list(validator("kind.schema.json").iter_errors(new)):
        return "invalid"
    if new["kind"] != old["kind"]:
        return "kind-renamed"
    if new["version"] != old["version"] + 1:
        return "version-not-next"
    new_names = [f["name"] for f in new["fields"]]
    for position, before in enumerate(old["fields"]):
        if before["name"] not in new_names:
            return "field-removed"
        if new_names[position] != before["name"]:
            return "field-moved"
    for before, after in zip(old["fields"], new["fields"]):
        if after["type"] != before["type"]:
            return "field-type-changed"
        if before.get("retired") and not after.get("retired"):
            return "field-unretired"
        if after.get("required") and not before.get("required"):
            return "required-added"
        old_codes = [o["code"] for o in before.get("options", [])]
        new_options = after.get("options", [])
        if [o["code"] for o in new_options[:len(old_codes)]] != old_codes:
            return "option-removed"
        for o_before, o_after in zip(before.get("options", []), new_options):
            if o_before.get("retired") and not o_after.get("retired"):
                return "option-unretired"
    for added in new["fields"][len(old["fields"]):]:
        if added.get("required") and "default" not in added:
            return "required-without-default"
    if [g for g in new["groups"] if set(g) & set(f["name"] for f in old["fields"])] != old["groups"]:
        return "group-changed"
    if new["rules"][:len(old["rules"])] != old["rules"]:
        return "rule-removed"
    return None


def kind_operation(doc, op):
    fields = {f["name"]: f for f in doc["fields"]}
    kind = op["op"]
    if kind == "addField": doc["fields"].append(op["field"])
    elif kind == "retireField": fields[op["name"]]["retired"] = True
    elif kind == "unretireField": fields[op["name"]].pop("retired", None)
    elif kind == "removeField": doc["fields"] = [f for f in doc["fields"] if f["name"] != op["name"]]
    elif kind == "renameField": fields[op["name"]]["name"] = op["to"]
    elif kind == "swapFields":
        a, b = (doc["fields"].index(fields[op["a"]]), doc["fields"].index(fields[op["b"]]))
        doc["fields"][a], doc["fields"][b] = doc["fields"][b], doc["fields"][a]
    elif kind == "setType": fields[op["name"]]["type"] = op["type"]
    elif kind == "setRequired": fields[op["name"]]["required"] = True
    elif kind == "setLabels": fields[op["field"]]["labels"] = op["labels"]
    elif kind == "addOption": fields[op["field"]]["options"].append(op["option"])
    elif kind == "retireOption": next(o for o in fields[op["field"]]["options"] if o["code"] == op["code"])["retired"] = True
    elif kind == "removeOption": fields[op["field"]]["options"] = [o for o in fields[op["field"]]["options"] if o["code"] != op["code"]]
    elif kind == "addRule": doc["rules"].append(op["rule"])
    elif kind == "removeRule": del doc["rules"][op["index"]]
    elif kind == "setGroups": doc["groups"] = op["groups"]
    elif kind == "setVersion": doc["version"] = op["version"]
    elif kind == "setKind": doc["kind"] = op["kind"]


def run_kind_evolution(case, where):
    published = json.loads((ROOT / "kinds" / f"{case['from']}.json").read_text(encoding="utf-8"))
    current = copy.deepcopy(published)
    current["version"] += 1
    for op in case["ops"]:
        if op["op"] == "publish":
            reason = kind_evolution(published, current)
            if reason:
                fail(where, f"the intermediate version is refused: {reason}")
            published, current = current, copy.deepcopy(current)
            current["version"] += 1
        else:
            kind_operation(current, op)
    reason = kind_evolution(published, current)
    expected = case["expect"].get("refused")
    if reason != expected:
        fail(where, f"{reason or 'accepted'} != {expected or 'accepted'}")


for path in sorted((ROOT / "kinds").glob("*.json")):
    document = json.loads(path.read_text(encoding="utf-8"))
    for error in validator("kind.schema.json").iter_errors(document):
        fail(path.name, f"kind schema: {error.message} at {list(error.absolute_path)}")
    for problem in kind_problems(document):
        fail(path.name, problem)
    if document["kind"] != path.stem:
        fail(path.name, "the file is named after its kind")

# --- vectors --------------------------------------------------------------------------------
vector_validator = validator("test-vector.schema.json")
files = sorted((ROOT / "vectors").glob("*.json"))
if not files:
    fail("vectors", "no vector files")
counted = 0
for path in files:
    data = json.loads(path.read_text(encoding="utf-8"))
    for error in vector_validator.iter_errors(data):
        fail(path.name, f"schema: {error.message} at {list(error.absolute_path)}")
    for n, case in enumerate(data["cases"]):
        where = f"{path.name} case {n} ({case['description']})"
        counted += 1
        if data["kind"] == "version-vector":
            if compare(case["a"], case["b"]) != case["order"]:
                fail(where, f"order {compare(case['a'], case['b'])} != {case['order']}")
            if merge_vv(case["a"], case["b"]) != case["merged"]:
                fail(where, "merged vector differs")
        elif data["kind"] == "hlc":
            run_hlc(case, where)
        elif data["kind"] == "bundle":
            # HPKE is not in Python's standard library: Tests/OfflineBundleTests opens these. The outer form is checked here.
            outer = json.loads(case["file"])
            if outer.get("format") not in ("fieldsync-bundle/2", "fieldsync-bundle/3") or outer.get("kind") != "push" or set(outer) != {"format", "kind", "enc", "sealed"}:
                fail(where, "the file's outer form is not a push bundle")
            if "pullAfter" not in json.loads(case["body"]):
                fail(where, "the body is not a push bundle")
        elif data["kind"] == "pseudonym":
            pass  # P-384 hash-to-curve is not in Python's standard library: Tests/CitizenPseudonymTests checks these
        elif data["kind"] == "conflict-id":
            if conflict_id(case["record"], case["kind"], case["fields"]) != case["id"]:
                fail(where, "conflict id differs")
        elif data["kind"] == "horizon":
            run_horizon(case, where)
        elif data["kind"] == "compact":
            try:
                states = expand(case["compact"])
            except (ValueError, KeyError, TypeError) as error:
                if case.get("valid", True):
                    fail(where, f"refused: {error}")
            else:
                if not case.get("valid", True):
                    fail(where, "accepted a form that is not valid")
                elif states != case["states"]:
                    fail(where, "the states differ")
                for error in validator("compact-states.schema.json").iter_errors(case["compact"]) if case.get("valid", True) else []:
                    fail(where, f"compact-states schema: {error.message}")
        elif data["kind"] == "restore":
            run_restore(case, where)
        elif data["kind"] == "kind-evolution":
            run_kind_evolution(case, where)
        elif data["kind"] == "merge":
            merged, classification, conflict = receive(case["stored"], case["incoming"], case["detectedBy"], case.get("groups", []))
            expect = case["expect"]
            if normalise(merged) != normalise(expect["merged"]):
                fail(where, "merged state differs")
            if classification != expect["classification"]:
                fail(where, f"classification {classification} != {expect['classification']}")
            if normalise(conflict) != normalise(expect["conflict"]):
                fail(where, f"conflict entry differs: {json.dumps(conflict, ensure_ascii=False)}")
            if case["stored"] is not None:  # the join must not depend on the direction
                if normalise(merge_states(case["incoming"], case["stored"])) != normalise(merged):
                    fail(where, "merge is not commutative")

if failures:
    print("\n".join(failures), file=sys.stderr)
    print(f"check-protocol: {len(failures)} problem(s)", file=sys.stderr)
    sys.exit(1)
print(f"check-protocol: {len(schemas)} schemas, openapi.yaml and {counted} vector cases in {len(files)} files are valid")
