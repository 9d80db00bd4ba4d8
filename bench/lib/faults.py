#!/usr/bin/env python3
"""The load, the faults and the measurements of bench/faults (Python 3 standard library only). Run by that script,
which has started the local stack (durable PostgreSQL, Keycloak); this starts the script's own SMTP sink and the two
app instances, runs the load and the six faults, writes results.json and results.md to FAULTS_WORK, and stops what it
started. Every address comes from the environment the script sets.

What counts as an answer "during the outage" of a fault: every request that started between the fault's injection and
ten seconds after the part is back. Kinds: ok (2xx), 503 with Retry-After (problem+json or an HTML page), 503 without
it, 500, other status (by code), redirect to the login (3xx), timeout (no answer within 10 s), refused/reset
(connection errors). The time to recover: from the moment the part is back to the first acknowledged write sent after
it that succeeded, and to the first readiness probe that answered UP (the larger of both is the recovery time).
"""
import html
import http.cookiejar
import json
import os
import random
import re
import signal
import socket
import socketserver
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

E = os.environ
WORK = E["FAULTS_WORK"]
REPO = os.getcwd()
STACK = [REPO + "/deploy/local/stack"]
APPS = {"app1": (int(E["FAULTS_APP1_PORT"]), int(E["FAULTS_APP1_MGMT_PORT"])),
        "app2": (int(E["FAULTS_APP2_PORT"]), int(E["FAULTS_APP2_MGMT_PORT"]))}
PG_PORT = int(E["RT_PG_PORT"])
KC = "http://localhost:%s" % E["RT_KC_PORT"]
SMTP_PORT = int(E["FAULTS_SMTP_PORT"])
PSQL = [E["FAULTS_PSQL"], "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres",
        "-d", "roundtable"]
DIGEST_MEMBERS = int(E.get("FAULTS_DIGEST_MEMBERS", "400"))
BASELINE = int(E.get("FAULTS_BASELINE", "20"))
TIMEOUT = 10.0
APP = "http://localhost:%d" % APPS["app1"][0]
T0 = time.time()


def say(msg):
    print("[faults %4ds] %s" % (time.time() - T0, msg), file=sys.stderr, flush=True)


def sql(statement):
    out = subprocess.run(PSQL + ["-At", "-c", statement], check=True, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.strip().splitlines() if line]


def sql_retry(statement, seconds=60):
    deadline = time.time() + seconds
    while True:
        try:
            return sql(statement)
        except subprocess.CalledProcessError:
            if time.time() > deadline:
                raise
            time.sleep(0.5)


def stack(*args):
    return subprocess.run(STACK + list(args), check=True, capture_output=True, text=True).stdout


# ------------------------------------------------------------------------------------------------------ SMTP sink

class Sink:
    """A small SMTP server the script controls: up() listens, down() closes the listener and every open connection (a
    mail in the middle of its DATA is not received). Each received mail is kept: recipients, Message-ID, subject and
    the post ids its body links to."""

    def __init__(self, port, delay=0.02):
        self.port, self.delay = port, delay
        self.mails = []
        self.lock = threading.Lock()
        self.server = None
        self.conns = set()

    def up(self):
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                with sink.lock:
                    sink.conns.add(self.connection)
                try:
                    self.session()
                except (OSError, ValueError):
                    pass
                finally:
                    with sink.lock:
                        sink.conns.discard(self.connection)

            def send(self, line):
                self.wfile.write((line + "\r\n").encode())
                self.wfile.flush()

            def session(self):
                self.send("220 faults-sink ESMTP")
                rcpt = []
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    cmd = raw.decode("utf-8", "replace").strip()
                    verb = cmd[:4].upper()
                    if verb == "EHLO":
                        self.wfile.write(b"250-faults-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                        self.wfile.flush()
                    elif verb == "HELO":
                        self.send("250 faults-sink")
                    elif verb == "MAIL":
                        rcpt = []
                        self.send("250 OK")
                    elif verb == "RCPT":
                        rcpt.append(re.sub(r"^.*<([^>]*)>.*$", r"\1", cmd))
                        self.send("250 OK")
                    elif verb == "DATA":
                        self.send("354 go on")
                        lines = []
                        while True:
                            raw = self.rfile.readline()
                            if not raw:
                                return
                            if raw in (b".\r\n", b".\n"):
                                break
                            lines.append(raw.decode("utf-8", "replace"))
                        time.sleep(sink.delay)
                        # the mail is the sink's once its 250 is written: a connection cut before (down()) loses it,
                        # as a real server that never answered takes no responsibility for it
                        self.send("250 OK queued")
                        sink.received(rcpt, "".join(lines))
                    elif verb == "QUIT":
                        self.send("221 bye")
                        return
                    else:                               # RSET, NOOP, ...
                        self.send("250 OK")

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.server = Server(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        with self.lock:
            for c in list(self.conns):
                try:
                    c.shutdown(socket.SHUT_RDWR)
                    c.close()
                except OSError:
                    pass

    def received(self, rcpt, text):
        head = text.split("\r\n\r\n", 1)[0]
        mid = re.search(r"^Message-ID:\s*(\S+)", head, re.M | re.I)
        subject = re.search(r"^Subject:\s*(.*)$", head, re.M | re.I)
        body = text.replace("=\r\n", "").replace("=3D", "=")
        posts = sorted(set(int(p) for p in re.findall(r"/posts/(\d+)", body)))
        with self.lock:
            for to in rcpt:
                self.mails.append({"to": to.lower(), "message_id": mid.group(1) if mid else None,
                                   "subject": subject.group(1) if subject else "", "posts": posts, "t": time.time()})

    def to_count(self, suffix):
        counts = {}
        with self.lock:
            for m in self.mails:
                if m["to"].endswith(suffix):
                    counts[m["to"]] = counts.get(m["to"], 0) + 1
        return counts


# ------------------------------------------------------------------------------------------------------ the apps

PROCS = {}


def start_app(name):
    port, mgmt = APPS[name]
    env = dict(os.environ)
    env.pop("QUARKUS_PROFILE", None)
    env.update({
        "MALLOC_ARENA_MAX": "2",
        "ROUNDTABLE_BASE_URL": "http://localhost:%d" % APPS["app1"][0], "ROUNDTABLE_KEYCLOAK_URL": KC,
        "ROUNDTABLE_DB_REACTIVE_URL": "postgresql://127.0.0.1:%d/roundtable" % PG_PORT,
        "ROUNDTABLE_DB_JDBC_URL": "jdbc:postgresql://127.0.0.1:%d/roundtable" % PG_PORT,
        "ROUNDTABLE_OIDC_CLIENT_SECRET": E["FAULTS_OIDC_CLIENT_SECRET"],
        "ROUNDTABLE_OIDC_STATE_SECRET": E["FAULTS_OIDC_STATE_SECRET"],
        "ROUNDTABLE_TOKENS_SECRET": E["FAULTS_TOKENS_SECRET"], "ROUNDTABLE_ANONYMITY_KEY": E["FAULTS_ANONYMITY_KEY"],
        "ROUNDTABLE_SMTP_HOST": "127.0.0.1", "ROUNDTABLE_SMTP_PORT": str(SMTP_PORT), "ROUNDTABLE_SMTP_START_TLS": "DISABLED",
        "QUARKUS_HTTP_HOST": "127.0.0.1", "QUARKUS_HTTP_PORT": str(port), "QUARKUS_MANAGEMENT_HOST": "127.0.0.1",
        "ROUNDTABLE_MANAGEMENT_PORT": str(mgmt),
        # the mail jobs every 5 s (production: 60 s and 30 s), small batches so that a run takes a while
        "ROUNDTABLE_DIGEST_EVERY": "5s", "ROUNDTABLE_DIGEST_MENTION_EVERY": "5s", "ROUNDTABLE_DIGEST_BATCH_SIZE": "20",
        "ROUNDTABLE_MODERATION_LIMITS_POSTS_PER_MINUTE": "1000000", "ROUNDTABLE_MODERATION_LIMITS_POSTS_PER_DAY": "1000000",
        "ROUNDTABLE_MODERATION_LIMITS_NEW_MEMBER_THREADS_PER_DAY": "1000000",
    })
    log = open(os.path.join(WORK, name + ".log"), "ab")
    p = subprocess.Popen(E["FAULTS_JAVA_CMD"].split("\x1f"), env=env, stdout=log, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    PROCS[name] = p
    deadline = time.time() + 180
    while not ready(name):
        if p.poll() is not None:
            raise SystemExit("%s exited during start-up (log: %s/%s.log)" % (name, WORK, name))
        if time.time() > deadline:
            raise SystemExit("%s was not ready after 180 s" % name)
        time.sleep(0.5)
    say("%s up (pid %d, http %d, management %d)" % (name, p.pid, port, mgmt))


def ready(name):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/q/health/ready" % APPS[name][1], timeout=2) as r:
            return r.status == 200
    except Exception:
        return False


def stop_apps():
    for p in PROCS.values():
        if p.poll() is None:
            p.terminate()
    for p in PROCS.values():
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()


# ------------------------------------------------------------------------------------------------------ HTTP

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def call(method, url, body=None, headers=None, opener=None, timeout=TIMEOUT):
    """(status, headers, text); 0 with the error's kind as text when no answer came: timeout, refused, reset."""
    data = None
    hdrs = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, headers=hdrs, method=method)
    op = opener or urllib.request.build_opener(NoRedirect())
    try:
        with op.open(req, timeout=timeout) as r:
            return r.status, r.headers, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace")
    except (socket.timeout, TimeoutError):
        return 0, {}, "timeout"
    except urllib.error.URLError as e:
        reason = str(e.reason)
        if "timed out" in reason:
            return 0, {}, "timeout"
        return 0, {}, "refused" if "refused" in reason else "reset"
    except (ConnectionError, OSError) as e:
        return 0, {}, "timeout" if "timed out" in str(e) else "reset"


TOKENS = {}


def token(username):
    data = urllib.parse.urlencode({"grant_type": "password", "client_id": "roundtable-cli", "username": username,
                                   "password": "demo"}).encode()
    with urllib.request.urlopen(KC + "/realms/roundtable/protocol/openid-connect/token", data, timeout=30) as r:
        return json.load(r)["access_token"]


def login(username, app=APP):
    """A page session through Keycloak's login form, as a browser gets it: the cookie jar."""
    jar = http.cookiejar.CookieJar()
    no_redirect = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    status, headers, _ = call("GET", app + "/login", opener=no_redirect)
    location = headers.get("Location", "")
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(location, timeout=30) as r:
        form = r.read().decode()
    action = html.unescape(re.search(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]*)"', form).group(1))
    for c in jar:
        c.secure = False
    data = urllib.parse.urlencode({"username": username, "password": "demo", "credentialId": ""}).encode()
    with opener.open(urllib.request.Request(action, data=data), timeout=30) as r:
        r.read()
    for c in jar:
        c.secure = False
    if not any(c.name.startswith("q_session") for c in jar):
        raise SystemExit("login of %s gave no session cookie" % username)
    return jar


def new_login_answer():
    """What a new visitor gets from "Log in" now: follows the redirects as a browser does; the kind of the end."""
    jar = http.cookiejar.CookieJar()
    no_redirect = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    status, headers, text = call("GET", APP + "/login", opener=no_redirect)
    if status in (302, 303) and headers.get("Location", "").startswith(KC):
        s2, h2, t2 = call("GET", headers["Location"], opener=no_redirect)
        if s2 == 0:
            return "redirect to Keycloak, which does not answer (%s): the browser's own error page" % t2
        return "redirect to Keycloak, which answers %d" % s2
    if status == 503:
        return "503 page from the app (Retry-After %s)" % headers.get("Retry-After")
    return "%s from the app" % (status or text)


# ------------------------------------------------------------------------------------------------------ the load

LOCK = threading.Lock()
EVENTS = []                 # (t_start, t_end, kind, status, retry_after, content_type, error)
ACKS = {"post": set(), "thread": set(), "reaction": set()}
MENTION_POSTS = set()       # acknowledged replies that mention bob
AUTHOR = {}                 # acknowledged reply -> its writer
RELOGINS = {"page": 0}      # page sessions a reader had to log in again (its session was ended by a fault)
STOP = threading.Event()
WRITERS = ["alice", "carmen", "fran"]
READERS = ["bob", "ada"]
THREADS = []                # thread ids to reply in
CHANNEL = "faults"
JARS = {}


def record(t0, kind, status, headers, text):
    ra = headers.get("Retry-After") if headers else None
    ct = (headers.get("Content-Type") or "") if headers else ""
    with LOCK:
        EVENTS.append((t0, time.time(), kind, status, ra, ct.split(";")[0], text if status == 0 else None))


def writer(username):
    rnd = random.Random(username)
    n = 0
    while not STOP.is_set():
        n += 1
        action = rnd.random()
        h = {"Authorization": "Bearer " + TOKENS[username]}
        t0 = time.time()
        if action < 0.55:
            tid = rnd.choice(THREADS)
            mention = n % 4 == 0
            text = "Reply %s %d%s." % (username, n, " for @bob" if mention else "")
            h["Idempotency-Key"] = str(uuid.uuid4())
            s, hd, body = call("POST", "%s/api/threads/%d/posts" % (APP, tid), {"body": text}, h)
            record(t0, "write", s, hd, body)
            if s == 201:
                pid = json.loads(body)["id"]
                with LOCK:
                    ACKS["post"].add(pid)
                    AUTHOR[pid] = username
                    if mention:
                        MENTION_POSTS.add(pid)
        elif action < 0.85:
            with LOCK:
                posts = [p for p, a in AUTHOR.items() if a != username]    # one's own post: 409, by design
            if not posts:
                continue
            pid = rnd.choice(posts)
            kind = rnd.choice(["thanks", "plus-one", "insightful"])
            s, hd, body = call("PUT", "%s/api/posts/%d/reactions/%s" % (APP, pid, kind), None, h)
            record(t0, "write", s, hd, body)
            if 200 <= s < 300:
                with LOCK:
                    ACKS["reaction"].add((pid, kind, username))
        else:
            s, hd, body = call("POST", "%s/api/channels/%s/threads" % (APP, CHANNEL),
                               {"title": "Thread %s %d" % (username, n), "body": "Opening words %d." % n, "tags": []}, h)
            record(t0, "write", s, hd, body)
            if s == 201:
                tid = json.loads(body)["id"]
                with LOCK:
                    ACKS["thread"].add(tid)
                    THREADS.append(tid)
        STOP.wait(0.15)


def reader(username, page):
    rnd = random.Random(username + str(page))
    while not STOP.is_set():
        tid = rnd.choice(THREADS[:20])
        t0 = time.time()
        if page:
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(JARS[username]), NoRedirect())
            s, hd, body = call("GET", "%s/threads/%d" % (APP, tid), opener=opener)
            record(t0, "page", s, hd, body)
            if s in (302, 303, 401, 431) and not KC_DOWN.is_set():
                # the session was ended (a redirect to the login): log in again, as the member would, and count it
                try:
                    JARS[username] = login(username)
                    with LOCK:
                        RELOGINS["page"] += 1
                except Exception:
                    pass
        else:
            s, hd, body = call("GET", "%s/api/threads/%d" % (APP, tid), None,
                               {"Authorization": "Bearer " + TOKENS[username]})
            record(t0, "read", s, hd, body)
        STOP.wait(0.1)


READY = {}                  # name -> [(t, up)]


def prober():
    while not STOP.is_set():
        for name in APPS:
            if name in PROCS and PROCS[name].poll() is None:
                up = ready(name)
                with LOCK:
                    READY.setdefault(name, []).append((time.time(), up))
        STOP.wait(0.2)


def refresh_logins():
    for u in WRITERS + READERS:
        TOKENS[u] = token(u)
    for u in READERS:
        JARS[u] = login(u)


def token_refresher():
    while not STOP.wait(5):
        if time.time() - TOKEN_TIME[0] > 600 and not KC_DOWN.is_set():
            try:
                refresh_logins()
                TOKEN_TIME[0] = time.time()
            except Exception as e:
                say("token refresh failed: %r" % e)


TOKEN_TIME = [0.0]
KC_DOWN = threading.Event()


# ------------------------------------------------------------------------------------------------------ measuring

def kinds(events):
    out = {}
    for (_, _, kind, s, ra, ct, err) in events:
        if s == 0:
            k = err
        elif 200 <= s < 300:
            k = "ok"
        elif s == 503:
            k = "503+Retry-After" if ra else "503 without Retry-After"
            k += " (%s)" % ("problem+json" if "problem" in ct else "html" if "html" in ct else ct or "no body")
        elif 300 <= s < 400:
            k = "%d redirect" % s
        else:
            k = str(s)
        out.setdefault(kind, {})
        out[kind][k] = out[kind].get(k, 0) + 1
    return out


def measure(name, t_fault, t_back, settle=10, note=""):
    """Answers from t_fault to t_back + settle, and the recovery after t_back."""
    time.sleep(settle)
    with LOCK:
        window = [e for e in EVENTS if t_fault <= e[0] <= t_back + settle]
        after = [e for e in EVENTS if e[0] >= t_back and e[2] == "write" and 200 <= e[3] < 300]
        probes = list(READY.get("app1", []))
    first_write = min((e[1] for e in after), default=None)
    first_ready = min((t for t, up in probes if t >= t_back and up), default=None)
    down_seen = any((not up) for t, up in probes if t_fault <= t <= t_back)
    rec_write = None if first_write is None else max(0.0, first_write - t_back)
    rec_ready = None if first_ready is None else max(0.0, first_ready - t_back)
    recovery = None if rec_write is None or rec_ready is None else max(rec_write, rec_ready)
    by = kinds(window)
    bad = sum(n for kind in by.values() for k, n in kind.items()
              if k not in ("ok",) and not k.startswith("503+Retry-After"))
    r = {"fault": name, "outage_s": round(t_back - t_fault, 1), "answers": by, "bad_answers": bad,
         "recovery_s": None if recovery is None else round(recovery, 2),
         "first_write_after_s": None if rec_write is None else round(rec_write, 2),
         "ready_after_s": None if rec_ready is None else round(rec_ready, 2),
         "readiness_down_during_outage": down_seen, "note": note}
    say("%s: outage %.1f s, recovery %s s (write %s, ready %s), readiness down during it: %s" % (
        name, t_back - t_fault, r["recovery_s"], r["first_write_after_s"], r["ready_after_s"], down_seen))
    say("   answers: %s" % json.dumps(by))
    return r


# ------------------------------------------------------------------------------------------------------ PostgreSQL hog

def pg_connect(user="roundtable"):
    """A raw connection (trust authentication): the socket once the server is ready for queries, or the error text."""
    s = socket.create_connection(("127.0.0.1", PG_PORT), timeout=10)
    params = b"user\0" + user.encode() + b"\0database\0roundtable\0application_name\0faults-hog\0\0"
    s.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
    while True:
        head = s.recv(5, socket.MSG_WAITALL)
        if len(head) < 5:
            s.close()
            return None, "closed"
        t, n = head[:1], struct.unpack("!i", head[1:])[0]
        body = s.recv(n - 4, socket.MSG_WAITALL) if n > 4 else b""
        if t == b"E":
            s.close()
            return None, body.decode("utf-8", "replace")
        if t == b"Z":
            return s, None


# ------------------------------------------------------------------------------------------------------ digests

def plan_digests(prefix, members):
    sql("""
        do $$
        declare ch bigint; author bigint; t bigint; hour int := extract(hour from now() at time zone 'UTC');
        begin
          insert into member (subject, username, name, email, created_at)
          select '%(p)s-' || g, '%(p)s-' || g, 'Faults ' || g, '%(p)s-' || g || '@faults.roundtable.test', now() - interval '30 days'
          from generate_series(1, %(n)d) g;
          insert into member_preference (member_id, digest_frequency, digest_hour, time_zone, updated_at)
          select id, 'daily', hour, 'UTC', now() - interval '30 days' from member where subject like '%(p)s-%%';
          insert into channel (slug, name, kind) values ('%(p)s-digests', 'Digests of %(p)s', 'network') returning id into ch;
          select id into author from member where username = 'alice';
          insert into thread (channel_id, title, author_id, tags, created_at, last_posted_at, post_count)
          values (ch, 'What the digest of %(p)s shows', author, '{}', now() - interval '3 hours', now() - interval '2 hours', 2)
          returning id into t;
          insert into post (thread_id, number, path, author_id, source, html, created_at)
          values (t, 1, '{}', author, 'Opening words for the digest.', '<p>Opening words for the digest.</p>', now() - interval '3 hours'),
                 (t, 2, '{}', author, 'A reply for the digest.', '<p>A reply for the digest.</p>', now() - interval '2 hours');
          update post set path = array[id] where thread_id = t and number = 2;
          insert into follow (member_id, channel_id, level, reason)
          select id, ch, 'watching', 'member_changed' from member where subject like '%(p)s-%%';
        end $$
    """ % {"p": prefix, "n": members})


def digest_status(prefix):
    rows = sql("select d.status, count(*) from digest d join member m on m.id = d.member_id "
               "where m.subject like '%s-%%' group by d.status" % prefix)
    return {r[0]: int(r[1]) for r in rows}


def wait_digests_done(prefix, members, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        st = digest_status(prefix)
        if st.get("sent", 0) + st.get("empty", 0) + st.get("failed", 0) >= members:
            return time.time(), st
        time.sleep(0.5)
    return None, digest_status(prefix)


def digest_result(prefix, members, sink):
    per = sink.to_count("@faults.roundtable.test")
    mine = {a: n for a, n in per.items() if a.startswith(prefix + "-")}
    with sink.lock:
        ids = {}
        for m in sink.mails:
            if m["to"].startswith(prefix + "-"):
                ids.setdefault(m["to"], set()).add(m["message_id"])
    return {"members": members, "status": digest_status(prefix), "one_mail": sum(1 for n in mine.values() if n == 1),
            "duplicated": sum(1 for n in mine.values() if n > 1), "none": members - len(mine),
            # a duplicate that carries the same Message-ID is shown once by a mailbox: what a member would see twice
            "duplicated_distinct_message_id": sum(1 for s in ids.values() if len(s) > 1)}


# ------------------------------------------------------------------------------------------------------ main

LOAD_SAMPLES = []           # (t, 1-minute load average) every 5 s of the run


def load_sampler():
    while True:
        try:
            with open("/proc/loadavg") as f:
                LOAD_SAMPLES.append((time.time(), float(f.read().split()[0])))
        except (OSError, ValueError):
            pass
        time.sleep(5)


def main():
    results = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "faults": []}
    threading.Thread(target=load_sampler, daemon=True).start()
    sink = Sink(SMTP_PORT)
    sink.up()
    try:
        start_app("app1")
        start_app("app2")
        refresh_logins()
        TOKEN_TIME[0] = time.time()
        for u in WRITERS + READERS:
            call("GET", APP + "/api/me", None, {"Authorization": "Bearer " + TOKENS[u]})
        sql("insert into channel (slug, name, kind) values ('%s', 'Faults', 'network') on conflict do nothing" % CHANNEL)
        for i in range(20):
            s, h, body = call("POST", "%s/api/channels/%s/threads" % (APP, CHANNEL),
                              {"title": "Seed thread %d" % i, "body": "Seed words %d." % i, "tags": []},
                              {"Authorization": "Bearer " + TOKENS["alice"]})
            assert s == 201, (s, body)
            THREADS.append(json.loads(body)["id"])
            ACKS["thread"].add(THREADS[-1])
        workers = [threading.Thread(target=writer, args=(u,), daemon=True) for u in WRITERS]
        workers += [threading.Thread(target=reader, args=(u, True), daemon=True) for u in READERS]
        workers += [threading.Thread(target=reader, args=(u, False), daemon=True) for u in READERS]
        workers += [threading.Thread(target=prober, daemon=True), threading.Thread(target=token_refresher, daemon=True)]
        for w in workers:
            w.start()
        say("load running (%d writers, %d page readers, %d API readers), baseline %d s" % (
            len(WRITERS), len(READERS), len(READERS), BASELINE))
        t = time.time()
        time.sleep(BASELINE)
        with LOCK:
            base = [e for e in EVENTS if e[0] >= t]
        results["baseline"] = {"seconds": BASELINE, "answers": kinds(base),
                               "writes_per_s": round(sum(1 for e in base if e[2] == "write") / BASELINE, 1),
                               "reads_per_s": round(sum(1 for e in base if e[2] != "write") / BASELINE, 1)}
        say("baseline: %s" % json.dumps(results["baseline"]))

        # 1. PostgreSQL fast restart
        say("1. PostgreSQL: fast shutdown, then start")
        tf = time.time()
        stack("pg-restart")
        results["faults"].append(measure("PostgreSQL fast restart", tf, time.time()))

        # 2. kill -9 of the postmaster
        time.sleep(10)
        say("2. PostgreSQL: kill -9 of the postmaster, start after 5 s (crash recovery)")
        tf = time.time()
        stack("pg-kill")
        time.sleep(5)
        stack("pg-start")
        results["faults"].append(measure("PostgreSQL kill -9, start after 5 s", tf, time.time()))

        # 3. connections used up by another client for 30 s
        time.sleep(10)
        say("3. PostgreSQL: every connection taken by another client for 30 s")
        tf = time.time()
        held, refusal = [], None
        while True:
            s, err = pg_connect()
            if s is None:
                refusal = err
                break
            held.append(s)
        say("   holding %d connections; the next was refused: %s" % (len(held), re.sub(r"[\0]+", " ", refusal or "")[:120]))
        time.sleep(30)
        for s in held:
            s.close()
        results["faults"].append(measure("PostgreSQL connections used up 30 s", tf, time.time(),
                                         note="%d connections held by the other client" % len(held)))

        # 4. Keycloak stopped for 60 s
        time.sleep(5)
        refresh_logins()
        TOKEN_TIME[0] = time.time()
        say("4. Keycloak: stopped for 60 s, then started")
        KC_DOWN.set()
        tf = time.time()
        stack("kc-stop")
        time.sleep(5)
        login_during = new_login_answer()
        say("   a new login during the outage: %s" % login_during)
        time.sleep(55)
        stack("kc-start")
        tb = time.time()
        KC_DOWN.clear()
        # Keycloak runs start-dev with an in-memory database: its signing keys are new after the start, so sessions
        # and tokens of before end (not so with a persistent database, as in production): log in again
        t_login = None
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                login("carmen")
                t_login = time.time()
                break
            except Exception:
                time.sleep(0.5)
        refresh_logins()
        TOKEN_TIME[0] = time.time()
        r = measure("Keycloak stopped 60 s", tf, tb, note="new login during the outage: " + login_during)
        r["new_login_during_outage"] = login_during
        r["new_login_after_back_s"] = None if t_login is None else round(t_login - tb, 2)
        with LOCK:
            during = [e for e in EVENTS if tf + 1 <= e[0] <= tb - 1]
        r["members_during_outage"] = kinds(during)
        results["faults"].append(r)

        # 5. SMTP down during a digest run
        say("5. SMTP down during a digest run (%d digests due), back after 20 s" % DIGEST_MEMBERS)
        plan_digests("f5", DIGEST_MEMBERS)
        deadline = time.time() + 60
        while digest_status("f5").get("sent", 0) < DIGEST_MEMBERS // 10 and time.time() < deadline:
            time.sleep(0.1)
        tf = time.time()
        sink.down()
        time.sleep(20)
        sink.up()
        tb = time.time()
        done, st = wait_digests_done("f5", DIGEST_MEMBERS, 300)
        r = measure("SMTP down 20 s during a digest run", tf, tb, settle=0)
        r["digests"] = digest_result("f5", DIGEST_MEMBERS, sink)
        r["digests_done_after_back_s"] = None if done is None else round(done - tb, 1)
        say("   digests: %s, all done %s s after SMTP was back" % (json.dumps(r["digests"]), r["digests_done_after_back_s"]))
        results["faults"].append(r)

        # 6. one instance killed in the middle of a digest run
        say("6. app2 killed (kill -9) in the middle of a digest run (%d digests due)" % DIGEST_MEMBERS)
        plan_digests("f6", DIGEST_MEMBERS)
        deadline = time.time() + 60
        while time.time() < deadline:
            rows = sql("select count(distinct regexp_replace(claimed_by, '-[0-9]+$', '')), count(*) filter (where status = 'sent') "
                       "from digest d join member m on m.id = d.member_id where m.subject like 'f6-%'")
            if int(rows[0][0]) >= 2 and int(rows[0][1]) >= DIGEST_MEMBERS // 5:
                break
            time.sleep(0.1)
        tf = time.time()
        os.kill(PROCS["app2"].pid, signal.SIGKILL)
        PROCS["app2"].wait()
        say("   killed app2 with %s" % json.dumps(digest_status("f6")))
        done, st = wait_digests_done("f6", DIGEST_MEMBERS, 400)
        r = measure("one of two instances kill -9 mid digest run", tf, tf, settle=5,
                    note="the load goes to app1; app2's claimed digests wait for their lease (roundtable.digest.lease)")
        r["digests"] = digest_result("f6", DIGEST_MEMBERS, sink)
        r["digests_done_after_kill_s"] = None if done is None else round(done - tf, 1)
        say("   digests: %s, all done %s s after the kill" % (json.dumps(r["digests"]), r["digests_done_after_kill_s"]))
        results["faults"].append(r)

        time.sleep(5)
        STOP.set()
        for w in workers:
            w.join(30)

        # acknowledged writes
        posts, threads_, reactions = sorted(ACKS["post"]), sorted(ACKS["thread"]), sorted(ACKS["reaction"])
        found_posts = int(sql_retry("select count(*) from post where id = any('{%s}'::bigint[])" % ",".join(map(str, posts)))[0][0]) if posts else 0
        found_threads = int(sql("select count(*) from thread where id = any('{%s}'::bigint[])" % ",".join(map(str, threads_)))[0][0])
        found_reactions = 0
        if reactions:
            values = ",".join("(%d,'%s','%s')" % r for r in reactions)
            found_reactions = int(sql("select count(*) from (values %s) v(post_id, kind, username) join member m on m.username = v.username "
                                      "join reaction r on r.post_id = v.post_id and r.kind = v.kind and r.member_id = m.id" % values)[0][0])
        results["acknowledged"] = {"posts": len(posts), "posts_found": found_posts, "threads": len(threads_),
                                   "threads_found": found_threads, "reactions": len(reactions), "reactions_found": found_reactions,
                                   "lost": (len(posts) - found_posts) + (len(threads_) - found_threads) + (len(reactions) - found_reactions)}
        say("acknowledged writes: %s" % json.dumps(results["acknowledged"]))

        # mention mails: every mention of bob in an acknowledged reply mailed once
        deadline = time.time() + 120
        while time.time() < deadline:
            left = int(sql("select count(*) from notification n join member m on m.id = n.member_id where m.username = 'bob' "
                           "and n.kind = 'mention' and n.emailed_at is null")[0][0])
            if left == 0:
                break
            time.sleep(1)
        mentioned = [int(r[0]) for r in sql("select n.post_id from notification n join member m on m.id = n.member_id "
                                            "where m.username = 'bob' and n.kind = 'mention'")]
        with sink.lock:
            mailed = {}
            mailed_ids = {}
            for m in sink.mails:
                if m["to"].startswith("bob@"):
                    for p in m["posts"]:
                        mailed[p] = mailed.get(p, 0) + 1
                        mailed_ids.setdefault(p, set()).add(m["message_id"])
        acked_mentions = [p for p in MENTION_POSTS]
        results["mention_mails"] = {
            "acknowledged_mentions": len(acked_mentions),
            "notifications": len(mentioned),
            "mailed_once": sum(1 for p in mentioned if mailed.get(p, 0) == 1),
            "duplicated": sum(1 for p in mentioned if mailed.get(p, 0) > 1),
            # of the duplicates, those whose mails carry different Message-IDs (a mailbox shows both)
            "duplicated_distinct_message_id": sum(1 for p in mentioned if len(mailed_ids.get(p, ())) > 1),
            "not_mailed": sum(1 for p in mentioned if mailed.get(p, 0) == 0),
            "acknowledged_without_notification": len(set(acked_mentions) - set(mentioned)),
            "failed_state": int(sql("select count(*) from mention_mail_retry where failed_at is not null")[0][0])
            if sql("select count(*) from information_schema.tables where table_name = 'mention_mail_retry'")[0][0] != "0" else None,
        }
        results["page_relogins"] = RELOGINS["page"]
        say("mention mails: %s" % json.dumps(results["mention_mails"]))
    finally:
        STOP.set()
        stop_apps()
        sink.down()
        results["load"] = machine_load()
        with open(os.path.join(WORK, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        with open(os.path.join(WORK, "results.md"), "w") as f:
            f.write(table(results))
        sys.stderr.write(table(results))


def machine_load():
    try:
        with open("/proc/loadavg") as f:
            load = f.read().split()[:3]
        top = subprocess.run(["ps", "-eo", "pcpu,comm", "--sort=-pcpu"], capture_output=True, text=True).stdout.splitlines()[1:8]
        samples = [v for _, v in LOAD_SAMPLES]
        during = {"samples": len(samples), "min": min(samples), "max": max(samples),
                  "mean": round(sum(samples) / len(samples), 1)} if samples else None
        return {"loadavg_at_end": load, "loadavg_1min_during_run": during, "cpus": os.cpu_count(),
                "top_at_end": [" ".join(l.split()) for l in top]}
    except Exception as e:
        return {"error": repr(e)}


def fmt_answers(by):
    parts = []
    for kind in ("write", "read", "page"):
        if kind in by:
            parts.append("%s: %s" % (kind, ", ".join("%s %d" % (k, n) for k, n in sorted(by[kind].items(), key=lambda x: -x[1]))))
    return "; ".join(parts)


def table(results):
    out = ["| Fault | Outage (s) | Answers during it (requests started in the outage and 10 s after) | Bad answers | "
           "Recovery after the part is back (s) | Readiness down | Mails |", "|---|---|---|---|---|---|---|"]
    for r in results.get("faults", []):
        mails = ""
        if "digests" in r:
            d = r["digests"]
            mails = "digests: %d due, %d once, %d twice+ (%s of them with two Message-IDs), %d none; %s" % (
                d["members"], d["one_mail"], d["duplicated"], d.get("duplicated_distinct_message_id"), d["none"],
                ("all done %s s after back" % r.get("digests_done_after_back_s")) if "digests_done_after_back_s" in r
                else ("all done %s s after the kill" % r.get("digests_done_after_kill_s")))
        out.append("| %s | %s | %s | %d | %s (write %s, ready %s) | %s | %s |" % (
            r["fault"], r["outage_s"], fmt_answers(r["answers"]), r["bad_answers"], r["recovery_s"],
            r["first_write_after_s"], r["ready_after_s"], "yes" if r["readiness_down_during_outage"] else "no", mails or r.get("note", "")))
    a = results.get("acknowledged")
    if a:
        out.append("")
        out.append("Acknowledged writes: %d posts (%d found), %d threads (%d found), %d reactions (%d found): **%d lost**." % (
            a["posts"], a["posts_found"], a["threads"], a["threads_found"], a["reactions"], a["reactions_found"], a["lost"]))
    if "page_relogins" in results:
        out.append("Page sessions ended by a fault (the reader logged in again): %d." % results["page_relogins"])
    m = results.get("mention_mails")
    if m:
        out.append("Mention mails: %d notifications, %d mailed once, %d duplicated (%s of them with two Message-IDs), %d not mailed." % (
            m["notifications"], m["mailed_once"], m["duplicated"], m.get("duplicated_distinct_message_id"), m["not_mailed"]))
    for r in results.get("faults", []):
        if "new_login_during_outage" in r:
            out.append("Keycloak outage: members already logged in: %s. A new login: %s. New login works %s s after Keycloak is back." % (
                fmt_answers(r["members_during_outage"]), r["new_login_during_outage"], r["new_login_after_back_s"]))
    if "baseline" in results:
        out.append("Baseline load: %s writes/s, %s reads/s (%s)." % (results["baseline"]["writes_per_s"],
                                                                  results["baseline"]["reads_per_s"], fmt_answers(results["baseline"]["answers"])))
    out.append("Machine: %s" % json.dumps(results.get("load")))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
