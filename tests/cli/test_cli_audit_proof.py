"""`guild audit verify` proves the data, not only the log (issue 15,
"Hardening"). The three tamperings the chain alone let through, each
against a live server's database, on SQLite and (GUILD_TEST_PG) PostgreSQL:

- a row edited directly in the database: reported with its table and id
  (and rows written or deleted behind guild's back, and imported rows);
- the last entries deleted and the head rewound: the rows they recorded
  are reported; the stored signed checkpoint is beyond the end; and a
  checkpoint kept elsewhere (`guild audit checkpoint --out FILE`) still
  proves it when the stored ones are deleted too;
- an entry edited and every later hash recomputed (the chain is whole
  again): the signed checkpoints, stored and kept, no longer hold.

And the key: `guild audit keygen` (mode 0600, never overwritten), the
checkpoint file's format, and a file whose contents were altered."""
import hashlib
import json
import os
import re
import stat
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from conftest import GUILD, PG_BASE, Factory, Server, db_query, uniq  # noqa: E402


@pytest.fixture
def tmp():
    with tempfile.TemporaryDirectory() as d:
        yield d


@pytest.fixture
def server(tmp):
    """A fresh server whose writes are checkpointed every 5 entries with the
    key tmp/audit.key (made by its first checkpoint)."""
    key = os.path.join(tmp, "audit.key")
    saved = {k: os.environ.get(k) for k in ("GUILD_AUDIT_KEY", "GUILD_AUDIT_CHECKPOINT_EVERY")}
    os.environ.update(GUILD_AUDIT_KEY=key, GUILD_AUDIT_CHECKPOINT_EVERY="5")
    try:
        s = Server(tmp)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    s.key = key
    s.make = Factory(s.client)
    yield s
    assert s.stop() == 0


def guild(s, *args):
    """`guild ARGS --db s.db`, with the server's signing key in GUILD_AUDIT_KEY."""
    return subprocess.run([GUILD, *args, "--db", s.db], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, GUILD_AUDIT_KEY=s.key))


def verify(s, *args):
    return guild(s, "audit", "verify", *args)


def assert_intact(s, *args):
    r = verify(s, *args)
    assert r.returncode == 0 and "intact" in r.stdout, r.stdout + r.stderr
    return r


def assert_tampered(s, *args):
    r = verify(s, *args)
    assert r.returncode == 1, r.stdout + r.stderr
    return r.stdout + r.stderr


def drop_guards(s):
    """What someone with the database file does first: the append-only triggers go."""
    if PG_BASE:
        for t in ("audit_log", "audit_runs", "audit_checkpoints"):
            db_query(s, f"DROP TRIGGER IF EXISTS {t}_no_change ON {t}")
    else:
        for t in ("audit_log", "audit_runs", "audit_checkpoints"):
            for what in ("update", "delete"):
                db_query(s, f"DROP TRIGGER IF EXISTS {t}_no_{what}")


def entry_hash(e, prev):
    """An entry's hash as guild computes it (src/domain/engine/audit.c)."""
    if e["format"] >= 2:
        head = f"2|{e['id']}|{e['at']}|{e['entity_id']}|{e['state']}|{e['batch']}|{e['batch_rows']}"
        fields = [prev, e["actor"], e["action"], e["entity"], e["digest"], e["batch_digest"]]
    else:
        head = f"{e['id']}|{e['at']}|{e['entity_id']}"
        fields = [prev, e["actor"], e["action"], e["entity"], e["digest"]]
    h = hashlib.sha256(head.encode() + b"\0")
    for f in fields:
        h.update(f.encode() + b"\0")
    return h.hexdigest()


COLS = ["id", "at", "actor", "action", "entity", "entity_id", "digest", "prev_hash", "hash", "format", "state", "batch",
        "batch_rows", "batch_digest"]


def entries(s):
    rows = db_query(s, f"SELECT {', '.join(COLS)} FROM audit_log ORDER BY id")
    return [dict(zip(COLS, r)) for r in rows]


def rehash_from(s, first):
    """Recomputes the hash of entry `first` and of every later one, and the
    head, so that the chain is whole again after an edit."""
    es = entries(s)
    prev = "0" * 64
    for e in es:
        if e["id"] >= first:
            h = entry_hash(e, prev)
            db_query(s, "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, e["id"]))
            e["hash"] = h
        prev = e["hash"]
    db_query(s, "UPDATE audit_head SET seq = ?, last_hash = ?", (es[-1]["id"], prev))


def cut_last(s, n):
    """Deletes the last n entries and rewinds the head to the one before."""
    last = db_query(s, "SELECT max(id) FROM audit_log")[0][0]
    db_query(s, "DELETE FROM audit_log WHERE id > ?", (last - n,))
    (h,), = db_query(s, "SELECT hash FROM audit_log WHERE id = ?", (last - n,))
    db_query(s, "UPDATE audit_head SET seq = ?, last_hash = ?", (last - n, h))
    return last - n


def checkpoint(s, path):
    r = guild(s, "audit", "checkpoint", "--out", path)
    assert r.returncode == 0, r.stdout + r.stderr
    with open(path) as f:
        return json.load(f)


# ---------------------------------------------------------------------------


def test_row_edited_behind_guilds_back_is_reported(server):
    s = server
    region, prefecture, county, township = s.make.tree()
    p = s.make.person(family_name="Tursun", home_area_id=county["id"])
    other = s.make.person()
    assert_intact(s)
    db_query(s, "UPDATE persons SET family_name = 'Mallory' WHERE id = ?", (p["id"],))
    out = assert_tampered(s)
    assert re.search(rf"\bpersons {p['id']}\b.*behind guild's back", out), out
    assert f"persons {other['id']}" not in out
    assert "1 of" in out, out
    # put back as it was: intact again; the chain itself never changed
    db_query(s, "UPDATE persons SET family_name = 'Tursun' WHERE id = ?", (p["id"],))
    assert_intact(s)
    # a row written behind guild's back, and one deleted
    db_query(s, "INSERT INTO areas (version, created_at, updated_at, code, name, level) VALUES (1, 0, 0, ?, 'x', 'region')",
             (uniq("Z"),))
    (new_id,), = db_query(s, "SELECT max(id) FROM areas")
    db_query(s, "DELETE FROM persons WHERE id = ?", (other["id"],))
    out = assert_tampered(s)
    assert re.search(rf"\bareas {new_id}\b: no audit entry records this row", out), out
    assert re.search(rf"\bpersons {other['id']}\b: the row is gone, but no entry records its deletion", out), out


def test_imported_row_edited_is_reported(server, tmp):
    s = server
    csv = os.path.join(tmp, "p.csv")
    with open(csv, "w") as f:
        f.write("sourced_id,given_name,family_name\n" + "".join(f"IMP{i:04d},Given{i},Family{i}\n" for i in range(600)))
    r = subprocess.run([GUILD, "import", "persons", csv, "--quiet", "--db", s.db], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    (seq,), = db_query(s, "SELECT max(id) FROM audit_log WHERE action = 'import'")
    assert_intact(s)
    (pid,), = db_query(s, "SELECT id FROM persons WHERE sourced_id = 'IMP0321'")
    db_query(s, "UPDATE persons SET given_name = 'Mallory' WHERE id = ?", (pid,))
    out = assert_tampered(s)
    assert re.search(rf"\bpersons {pid}\b.*\(entry {seq}\)", out), out
    (rows,), = db_query(s, "SELECT batch_rows FROM audit_log WHERE id = ?", (seq,))
    assert rows == 600     # the import's one entry vouches for its 600 rows


def test_last_entries_deleted_and_head_rewound_are_found(server):
    s = server
    s.make.tree()
    made = [s.make.person() for _ in range(4)]
    assert_intact(s)
    drop_guards(s)
    cut_last(s, 2)
    out = assert_tampered(s)
    for p in made[2:]:        # the rows those entries recorded: no entry records them now
        assert re.search(rf"\bpersons {p['id']}\b: no audit entry records this row", out), out
    for p in made[:2]:
        assert f"persons {p['id']}:" not in out


def test_cut_entries_proven_by_a_kept_checkpoint(server, tmp):
    s = server
    s.make.tree()
    before = [s.make.person() for _ in range(3)]
    kept = os.path.join(tmp, "kept.json")
    cp = checkpoint(s, kept)           # signs the entry that recorded before[-1]
    assert_intact(s, "--checkpoint", kept)
    after = [s.make.person() for _ in range(2)]
    drop_guards(s)
    head = cut_last(s, 3)              # after's two entries, and the one the checkpoint signed
    assert head == cp["seq"] - 1
    out = assert_tampered(s)
    for p in [before[-1], *after]:     # the rows those entries recorded: no entry records them now
        assert re.search(rf"\bpersons {p['id']}\b: no audit entry records this row", out), out
    assert re.search(rf"entry {cp['seq']}\b.*beyond the end of the log.*cut", out), out   # the stored checkpoint
    # whoever cut them also removes those rows and the stored checkpoints: the database agrees with itself ...
    for p in [before[-1], *after]:
        db_query(s, "DELETE FROM persons WHERE id = ?", (p["id"],))
    db_query(s, "DELETE FROM audit_checkpoints WHERE seq > ?", (head,))
    assert_intact(s)
    # ... and only the checkpoint kept elsewhere still proves it
    out = assert_tampered(s, "--checkpoint", kept)
    assert re.search(rf"checkpoint {re.escape(kept)} FAILS: entry {cp['seq']}\b.*the log ends at entry {head}\b.*cut",
                     out), out


def test_entry_edited_and_later_hashes_recomputed_is_found(server, tmp):
    s = server
    s.make.tree()
    victim = s.make.person()
    for _ in range(4):
        s.make.person()
    kept = os.path.join(tmp, "kept.json")
    cp = checkpoint(s, kept)
    s.make.person()
    assert_intact(s, "--checkpoint", kept)
    (stored,), = db_query(s, "SELECT count(*) FROM audit_checkpoints")
    assert stored >= 2    # automatic (every 5 entries) and the one asked for
    # who created the victim: rewritten, and every later hash recomputed
    (k,), = db_query(s, "SELECT id FROM audit_log WHERE entity = 'person' AND entity_id = ?", (victim["id"],))
    drop_guards(s)
    db_query(s, "UPDATE audit_log SET actor = 'user:mallory' WHERE id = ?", (k,))
    rehash_from(s, k)
    out = assert_tampered(s)
    assert "no longer hashes" in out and "rewritten" in out, out
    # the stored checkpoints removed too: the chain alone looks whole again ...
    db_query(s, "DELETE FROM audit_checkpoints")
    assert_intact(s)
    # ... and the kept checkpoint does not hold
    out = assert_tampered(s, "--checkpoint", kept)
    assert re.search(rf"FAILS: entry {cp['seq']}\b.*no longer hashes to the checkpoint's head.*rewritten", out), out


def test_checkpoint_file_and_key(server, tmp):
    s = server
    s.make.tree()
    # keygen: mode 0600, never overwritten
    key = os.path.join(tmp, "other.key")
    r = subprocess.run([GUILD, "audit", "keygen", "--key", key], capture_output=True, text=True)
    assert r.returncode == 0 and re.search(r"made audit key [0-9a-f]{16}", r.stdout), r
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    with open(key) as f:
        secret = f.read()
    r = subprocess.run([GUILD, "audit", "keygen", "--key", key], capture_output=True, text=True)
    assert r.returncode == 1 and "never overwritten" in r.stderr, r
    with open(key) as f:
        assert f.read() == secret
    # a checkpoint needs a key
    env = {k: v for k, v in os.environ.items() if k != "GUILD_AUDIT_KEY"}
    r = subprocess.run([GUILD, "audit", "checkpoint", "--db", s.db], capture_output=True, text=True, env=env)
    assert r.returncode == 2 and "--key" in r.stderr, r
    # the file: what it says, and its signature with the key in it
    path = os.path.join(tmp, "cp.json")
    cp = checkpoint(s, path)
    assert cp["format"] == "guild-audit-checkpoint/1"
    (head,), = db_query(s, "SELECT seq FROM audit_head")
    assert cp["seq"] == head
    (h,), = db_query(s, "SELECT hash FROM audit_log WHERE id = ?", (head,))
    assert cp["hash"] == h
    assert re.fullmatch(r"[0-9a-f]{16}", cp["key_id"]) and len(cp["public_key"]) == 64 and len(cp["signature"]) == 128
    assert cp["key_id"] == hashlib.sha256(bytes.fromhex(cp["public_key"])).hexdigest()[:16]
    (stored,), = db_query(s, "SELECT count(*) FROM audit_checkpoints WHERE seq = ? AND signature = ?", (head, cp["signature"]))
    assert stored == 1
    r = subprocess.run([GUILD, "audit", "checkpoint", "--db", s.db, "--key", s.key, "--out", "-"], capture_output=True,
                       text=True)
    assert r.returncode == 0 and json.loads(r.stdout)["signature"] == cp["signature"]   # the head's, once
    out = assert_intact(s, "--checkpoint", path).stdout
    assert f"signed by key {cp['key_id']} (this guild's key)" in out, out
    # altered: the signature no longer matches
    for field, value in [("seq", cp["seq"] - 1), ("hash", "0" * 64), ("at", cp["at"] + 1)]:
        with open(path, "w") as f:
            json.dump(dict(cp, **{field: value}), f)
        out = assert_tampered(s, "--checkpoint", path)
        assert "signature does not match" in out, out
    # signed by another key: not this guild's
    r = subprocess.run([GUILD, "audit", "checkpoint", "--db", s.db, "--key", key, "--out", path], capture_output=True,
                       text=True)
    assert r.returncode == 0, r
    out = assert_tampered(s, "--checkpoint", path)
    assert "not signed by this guild's key" in out, out
    with open(path, "w") as f:
        f.write("{}")
    r = verify(s, "--checkpoint", path)
    assert r.returncode == 1 and "not a guild audit checkpoint" in r.stderr, r
