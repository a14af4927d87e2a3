#!/usr/bin/env python3
"""How long the staff page takes to propose a decision for every name of
an announcement's named list: a 5,000-name list against 100,000 persons
by default, over HTTP, as an editor does it.

    python3 bench/staff/named_list.py [--registry 100000] [--list 5000] [--runs 3]

It builds nothing: LIBRES_BIN (default target/release/libres) must exist
(`cargo build --release -p libres`). In a temporary directory it
1. writes a registry and a list with `libres gen-name-testset` (half the
   list on the registry, official-style spellings);
2. imports the registry into a new SQLite database (`libres import`);
3. adds an editor with `libres user add`, sets the account up through its
   setup link (the TOTP code computed here) and logs in with a recovery
   code;
4. starts `libres serve`, records an announcement through the staff form;
5. uploads the list file on the announcement's names page and follows the
   job page until it says the names were matched.

The time is from the upload's POST to the job page saying "names
matched": reading the file, reading the registry from the database,
building the matcher, matching, and writing the list. The median of
`--runs` uploads is printed, with each run's figure. Only the Python
standard library is used.
"""

import argparse
import base64
import hashlib
import hmac
import http.cookiejar
import os
import re
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PASSWORD = "a bench password of some length"


def totp(secret, t=None):
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((t or time.time()) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Site:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path, data=None, headers=None):
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=600) as res:
                return res.status, res.headers, res.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode()

    def get(self, path):
        return self.request(path)

    def post(self, path, fields):
        return self.request(path, urllib.parse.urlencode(fields).encode())

    def upload(self, path, fields, name, content):
        boundary = "libres-bench-boundary"
        body = b""
        for k, v in fields:
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        body += content + f"\r\n--{boundary}--\r\n".encode()
        return self.request(
            path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )


def csrf_of(html):
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--registry", type=int, default=100_000)
    ap.add_argument("--list", type=int, default=5_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    binary = os.environ.get("LIBRES_BIN", os.path.join(ROOT, "target/release/libres"))
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary} is missing: cargo build --release -p libres")
    with tempfile.TemporaryDirectory(prefix="libres-bench-") as tmp:
        db = f"sqlite:{tmp}/libres.db"
        run([binary, "gen-name-testset", "--registry", str(args.registry), "--list",
             str(args.list), "--seed", str(args.seed), "--out-dir", tmp])
        t = time.time()
        run([binary, "--db", db, "import", "persons", f"{tmp}/registry.csv"])
        print(f"registry of {args.registry} persons imported in {time.time() - t:.1f} s", file=sys.stderr)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        out = run([binary, "--db", db, "user", "add", "editor@bench.example", "--role", "editor",
                   "--base-url", base])
        link = re.search(r"(/staff/setup/\S+)", out).group(1)
        server = subprocess.Popen(
            [binary, "--db", db, "serve", "--bind", f"127.0.0.1:{port}",
             "--upload-dir", f"{tmp}/uploads"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            site = Site(base)
            for _ in range(100):
                try:
                    if site.get("/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            status, _, html = site.get(link)
            secret = re.search(r'class="secret">([A-Z2-7]+)<', html).group(1)
            status, _, html = site.post(link, [("password", PASSWORD), ("password_again", PASSWORD),
                                              ("code", totp(secret))])
            assert status == 200, (status, html[:500])
            recovery = re.findall(r"<li><code>([^<]+)</code></li>", html)
            status, _, html = site.post("/staff/login", [("email", "editor@bench.example"),
                                                        ("password", PASSWORD),
                                                        ("code", recovery[0])])
            assert status == 303, (status, html[:500])
            csrf = csrf_of(site.get("/staff/")[2])
            status, _, html = site.post("/staff/announcements/new", [
                ("csrf", csrf), ("country", "CU"), ("date", "2025-01-14"),
                ("issuer_kind", "government"), ("issuer", "MINREX"), ("claim", "releases"),
                ("claimed", "553"), ("title_en", "Bench announcement")])
            assert status == 303, (status, html[:800])
            listing = site.get("/staff/announcements")[2]
            a = re.search(r"/staff/announcements/(\d+)/names", listing).group(1)
            content = open(f"{tmp}/list.csv", "rb").read()
            times = []
            for i in range(args.runs):
                t = time.perf_counter()
                status, headers, html = site.upload(f"/staff/announcements/{a}/names/upload",
                                                    [("csrf", csrf)], "list.csv", content)
                assert status == 303, (status, html[:800])
                job = headers["Location"]
                while True:
                    status, _, html = site.get(job)
                    assert status == 200, (status, html[:500])
                    if "names matched" in html:
                        break
                    assert "being matched" in html, html[:2000]
                    time.sleep(0.05)
                times.append(time.perf_counter() - t)
                m = re.search(r"(\d+) names matched", html)
                print(f"run {i + 1}: {times[-1]:.2f} s, {m.group(1)} names", file=sys.stderr)
            page = site.get(f"/staff/announcements/{a}/names?show=all")[2]
            counts = {p: page.count(f"Machine suggestion: <strong>{p}</strong>")
                      for p in ("match", "review", "none")}
            print(f"named list of {args.list} names against {args.registry} persons, "
                  f"from the staff page: median {statistics.median(times):.2f} s over "
                  f"{args.runs} runs ({', '.join(f'{x:.2f}' for x in times)}); "
                  f"first page of proposals: {counts}")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
