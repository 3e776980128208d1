"""Helpers for the PostgreSQL operations tests: the API suite's helpers,
the private PostgreSQL server that scripts/test.sh started (GUILD_TEST_PG,
GUILD_TEST_PG_DIR), and nginx in front of several guild servers."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
import conftest as api_conftest  # noqa: E402  the API suite's helpers
from conftest import (ADMIN_PASSWORD, GUILD, Client, Server, assert_error, db_query, free_port,  # noqa: E402,F401
                      new_database, uniq)

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
PG_DIR = os.environ.get("GUILD_TEST_PG_DIR")


def pg_ctl(action):
    """Stops or starts the test cluster (scripts/pg.sh keeps it in PG_DIR)."""
    bins = sorted(d for d in os.listdir("/usr/lib/postgresql"))
    pgctl = f"/usr/lib/postgresql/{bins[-1]}/bin/pg_ctl"
    cmd = [pgctl, "-D", os.path.join(PG_DIR, "data"), "-w", "-t", "60"]
    if action == "stop":
        cmd += ["-m", "fast", "stop"]
    else:
        port = api_conftest.PG_BASE.rsplit(":", 1)[1]
        cmd += ["-l", os.path.join(PG_DIR, "server.log"), "-o",
                f"-c listen_addresses=127.0.0.1 -p {port} -k {PG_DIR} -c fsync=off -c max_connections=200", "start"]
    if os.getuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    subprocess.run(cmd, check=True, capture_output=True, timeout=90)


class Nginx:
    """nginx balancing over the given guild ports, with docs/nginx-guild.conf."""

    def __init__(self, tmpdir, ports):
        self.dir = tmpdir
        self.port = api_conftest.free_port()
        conf = open(os.path.join(ROOT, "docs", "nginx-guild.conf")).read()
        conf = conf.replace("@PORT@", str(self.port)).replace("@DIR@", tmpdir).replace(
            "@UPSTREAMS@", "\n    ".join(f"server 127.0.0.1:{p};" for p in ports))
        path = os.path.join(tmpdir, "nginx.conf")
        open(path, "w").write(conf)
        self.err = open(os.path.join(tmpdir, "nginx.stderr"), "w+")
        self.proc = subprocess.Popen(["nginx", "-c", path, "-p", tmpdir, "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                import socket
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    self.err.seek(0)
                    raise RuntimeError("nginx did not start: " + self.err.read())
                time.sleep(0.05)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)
