#!/usr/bin/env python3
"""The checks of deploy/local/two-instances (Python 3 standard library only): two production instances of Roundtable
behind HAProxy (TLS, self-signed, loopback), on one local stack. Run by that script, which starts everything; every
address and secret comes from the environment it sets. Prints one line per finding and a summary; exits 1 when a
check fails.

  1. login    a member logs in through the proxy: Keycloak gets an https redirect_uri, the session cookies are Secure
  2. cards    a thread posted through one instance is read through the other; an edit shows at once on both
  3. digests  both instances run their digest jobs on the same due digests: every member gets exactly one mail
  4. limits   the posting limit counts across instances: posts beyond it are refused by both
  5. failover one instance is killed (SIGKILL) under load: HAProxy sends the rest to the other, and every post the
              clients were told was saved (201) is there, once
"""
import base64
import html
import http.cookiejar
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

E = os.environ
PROXY = E["TWO_PROXY_URL"]                     # https://localhost:8563
KC = E["TWO_KC_URL"]                           # http://localhost:18561
MAIL_API = E["TWO_MAIL_API"]                   # http://127.0.0.1:18564/api
PSQL = E["TWO_PSQL"].split("\x1f")             # psql command line (unit-separated)
APP_PIDS = {"app1": int(E["TWO_APP1_PID"]), "app2": int(E["TWO_APP2_PID"])}
LIMIT = int(E["TWO_POSTS_PER_MINUTE"])
DIGEST_MEMBERS = int(E.get("TWO_DIGEST_MEMBERS", "600"))
LOAD_SECONDS = int(E.get("TWO_LOAD_SECONDS", "30"))
KILL_AFTER = int(E.get("TWO_KILL_AFTER", "10"))
CA = ssl.create_default_context(cafile=E["TWO_CA_FILE"])
RESULTS = {}
failed = []


def say(msg):
    print("[two-instances] " + msg, flush=True)


def check(name, ok, detail):
    say(("PASS " if ok else "FAIL ") + name + ": " + detail)
    if not ok:
        failed.append(name)


def sql(statement):
    out = subprocess.run(PSQL + ["-At", "-c", statement], check=True, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.strip().splitlines() if line]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def request(method, url, body=None, headers=None, opener=None, timeout=30):
    """(status, headers, text); HTTP errors are answers, not exceptions."""
    data = None
    hdrs = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, headers=hdrs, method=method)
    op = opener or urllib.request.build_opener(urllib.request.HTTPSHandler(context=CA), NoRedirect())
    try:
        with op.open(req, timeout=timeout) as r:
            return r.status, r.headers, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace")


def token(username):
    data = urllib.parse.urlencode({"grant_type": "password", "client_id": "roundtable-cli", "username": username,
                                   "password": "demo"}).encode()
    with urllib.request.urlopen(KC + "/realms/roundtable/protocol/openid-connect/token", data, timeout=30) as r:
        return json.load(r)["access_token"]


def api(method, path, username, body=None, headers=None):
    h = {"Authorization": "Bearer " + TOKENS[username]}
    h.update(headers or {})
    return request(method, PROXY + path, body, h)


TOKENS = {}

# ---------------------------------------------------------------------------------------------------- 1. login


def login():
    jar = http.cookiejar.CookieJar()
    no_redirect = urllib.request.build_opener(urllib.request.HTTPSHandler(context=CA),
                                              urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    status, headers, _ = request("GET", PROXY + "/me", opener=no_redirect)
    location = headers.get("Location", "")
    redirect_uri = urllib.parse.parse_qs(urllib.parse.urlparse(location).query).get("redirect_uri", [""])[0]
    check("login: redirect_uri", status == 302 and redirect_uri == PROXY + "/me",
          "the app sends Keycloak redirect_uri=%s (status %s)" % (redirect_uri, status))
    state_cookies = [c for c in jar if c.name.startswith("q_auth")]
    check("login: state cookie Secure", bool(state_cookies) and all(c.secure for c in state_cookies),
          ", ".join("%s secure=%s" % (c.name, c.secure) for c in state_cookies))
    # Keycloak's login form, then back to the app through the proxy
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=CA),
                                         urllib.request.HTTPCookieProcessor(jar))
    with opener.open(location, timeout=30) as r:
        form = r.read().decode()
    action = html.unescape(re.search(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]*)"', form).group(1))
    # Keycloak marks its cookies Secure; browsers (and curl) send them to http://localhost anyway, as a secure
    # context, Python's cookie jar does not: Keycloak's own cookies only (the app's are checked as they are)
    for c in jar:
        if c.path.startswith("/realms/"):
            c.secure = False
    data = urllib.parse.urlencode({"username": "alice", "password": "demo", "credentialId": ""}).encode()
    with opener.open(urllib.request.Request(action, data=data), timeout=30) as r:
        final_url, page = r.geturl(), r.read().decode()
    session = [c for c in jar if c.name.startswith("q_session")]
    check("login: back on the app", final_url.startswith(PROXY + "/me") and "Alice" in page,
          "landed on %s, the page names Alice: %s" % (final_url, "Alice" in page))
    check("login: session cookies Secure", bool(session) and all(c.secure for c in session),
          ", ".join("%s secure=%s" % (c.name, c.secure) for c in session))
    RESULTS["login"] = {"redirect_uri": redirect_uri, "session_cookies": [c.name for c in session]}
    return jar


# ---------------------------------------------------------------------------------------------------- 2. cards


def page_through(jar, path, want_server):
    """GETs a page through the proxy until the wanted instance answers it (round robin: at most a few tries)."""
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=CA),
                                         urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    for _ in range(6):
        status, headers, text = request("GET", PROXY + path, opener=opener)
        if headers.get("X-Served-By") == want_server:
            return status, text
    raise AssertionError("no answer from %s for %s" % (want_server, path))


def cards(jar, channel):
    status, headers, body = api("POST", "/api/channels/%s/threads" % channel, "alice",
                                {"title": "Two instances " + uuid.uuid4().hex[:8], "body": "First words, before the edit.",
                                 "tags": []})
    posted_on = headers.get("X-Served-By")
    thread = json.loads(body)["id"]
    other = "app2" if posted_on == "app1" else "app1"
    s, text = page_through(jar, "/threads/%d" % thread, other)
    check("cards: read on the other instance", s == 200 and "First words, before the edit." in text,
          "thread %d posted through %s, read through %s: %s" % (thread, posted_on, other, s))
    # both instances have rendered (and kept) the opening card now
    page_through(jar, "/threads/%d" % thread, posted_on)
    _, _, tj = api("GET", "/api/threads/%d" % thread, "alice")
    post = json.loads(tj)["posts"][0]
    s, h, _ = api("PATCH", "/api/posts/%d" % post["id"], "alice", {"body": "Second words, after the edit.",
                                                                     "version": post["version"]})
    edited_on = h.get("X-Served-By")
    seen = {}
    for server in ("app1", "app2"):
        s2, text = page_through(jar, "/threads/%d" % thread, server)
        seen[server] = ("Second words, after the edit." in text and "First words" not in text
                        and 'class="edited"' in text)
    check("cards: an edit shows at once on both", s == 200 and all(seen.values()),
          "edited through %s (%s); right on app1: %s, on app2: %s" % (edited_on, s, seen["app1"], seen["app2"]))
    RESULTS["cards"] = {"thread": thread, "posted_on": posted_on, "edited_on": edited_on, "seen": seen}
    return thread


# ---------------------------------------------------------------------------------------------------- 3. digests


def digests():
    members = DIGEST_MEMBERS
    # members who joined a month ago, daily digests at this hour (UTC), watching one channel with a thread of
    # posts from two hours ago: every one of them is due now, with something to read
    sql("""
        do $$
        declare ch bigint; author bigint; t bigint; hour int := extract(hour from now() at time zone 'UTC');
        begin
          insert into member (subject, username, name, email, created_at)
          select 'two-' || g, 'two-' || g, 'Two ' || g, 'two-' || g || '@two.roundtable.test', now() - interval '30 days'
          from generate_series(1, %(n)d) g;
          insert into member_preference (member_id, digest_frequency, digest_hour, time_zone, updated_at)
          select id, 'daily', hour, 'UTC', now() - interval '30 days' from member where subject like 'two-%%';
          insert into channel (slug, name, kind) values ('two-digests', 'Digests of two instances', 'network')
          returning id into ch;
          select id into author from member where username = 'alice';
          insert into thread (channel_id, title, author_id, tags, created_at, last_posted_at, post_count)
          values (ch, 'What two instances sent', author, '{}', now() - interval '3 hours', now() - interval '2 hours', 2)
          returning id into t;
          insert into post (thread_id, number, path, author_id, source, html, created_at)
          values (t, 1, '{}', author, 'Opening words for the digest.', '<p>Opening words for the digest.</p>', now() - interval '3 hours'),
                 (t, 2, '{}', author, 'A reply for the digest.', '<p>A reply for the digest.</p>', now() - interval '2 hours');
          update post set path = array[id] where thread_id = t and number = 2;
          insert into follow (member_id, channel_id, level, reason)
          select id, ch, 'watching', 'member_changed' from member where subject like 'two-%%';
        end $$
    """ % {"n": members})
    t0 = time.time()
    deadline = t0 + 300
    while time.time() < deadline:
        rows = sql("select status, count(*) from digest d join member m on m.id = d.member_id "
                   "where m.subject like 'two-%' group by status")
        counts = {r[0]: int(r[1]) for r in rows}
        if counts.get("sent", 0) + counts.get("empty", 0) >= members:
            break
        time.sleep(2)
    seconds = time.time() - t0
    # a worker's id is "<host>-<instance id>-<n>": the instance is the id without its worker number
    by_instance = {r[0]: int(r[1]) for r in sql(
        "select regexp_replace(claimed_by, '-[0-9]+$', ''), count(*) from digest d "
        "join member m on m.id = d.member_id where m.subject like 'two-%' group by 1 order by 1")}
    # the mails GreenMail received, per address
    with urllib.request.urlopen(MAIL_API + "/user", timeout=60) as r:
        users = [u["email"] for u in json.load(r) if u["email"].endswith("@two.roundtable.test")]
    per_address = {}
    for address in users:
        with urllib.request.urlopen(MAIL_API + "/user/%s/messages/INBOX" % urllib.parse.quote(address), timeout=60) as r:
            per_address[address] = len(json.load(r))
    once = sum(1 for n in per_address.values() if n == 1)
    more = sum(1 for n in per_address.values() if n > 1)
    check("digests: each sent exactly once", counts.get("sent", 0) == members and once == members and more == 0,
          "%d members due; %s; %d addresses got one mail, %d more than one, %d none (%.0f s)"
          % (members, counts, once, more, members - len(per_address), seconds))
    check("digests: both instances worked", len(by_instance) == 2 and min(by_instance.values()) > 0,
          "digests sent per instance: %s" % by_instance)
    RESULTS["digests"] = {"members": members, "status": counts, "one_mail": once, "more_than_one": more,
                          "per_instance": by_instance, "seconds": round(seconds)}


# ---------------------------------------------------------------------------------------------------- 4. limits


def limits(thread):
    # all in one minute window of the limit: start early in a minute
    while time.gmtime().tm_sec > 40:
        time.sleep(1)
    answers = []
    for i in range(LIMIT + 6):
        s, h, _ = api("POST", "/api/threads/%d/posts" % thread, "carmen", {"body": "Counted reply %d." % i})
        answers.append((s, h.get("X-Served-By")))
    saved = [a for a in answers if a[0] == 201]
    refused = [a for a in answers if a[0] == 429]
    check("limits: shared across instances",
          len(saved) == LIMIT and len(refused) == 6 and {a[1] for a in saved} == {"app1", "app2"}
          and {a[1] for a in refused} == {"app1", "app2"},
          "limit %d a minute; %d posts saved (through %s), %d refused with 429 (through %s)"
          % (LIMIT, len(saved), sorted({a[1] for a in saved}), len(refused), sorted({a[1] for a in refused})))
    RESULTS["limits"] = {"limit": LIMIT, "saved": len(saved), "refused": len(refused)}


# ---------------------------------------------------------------------------------------------------- 5. failover


def failover(jar, thread):
    stop = threading.Event()
    lock = threading.Lock()
    acked = {}            # idempotency key -> post id (201 answered to the client)
    client_errors = []    # answers that were not 201 (before the client's own retry)
    reads = {"ok": 0, "failed": 0, "by": {}}
    posters = ["alice", "bob", "fran", "ada"]

    def poster(username):
        n = 0
        while not stop.is_set():
            key = str(uuid.uuid4())
            body = {"body": "Load reply %s %d (%s)." % (username, n, key[:8])}
            for attempt in range(6):        # a client retries with the same key: the server makes the post once
                try:
                    s, h, text = api("POST", "/api/threads/%d/posts" % thread, username, body,
                                     {"Idempotency-Key": key}, )
                except Exception as e:      # connection reset while the instance dies
                    s, text = 0, repr(e)
                if s == 201:
                    with lock:
                        acked[key] = json.loads(text)["id"]
                    break
                with lock:
                    client_errors.append((username, s))
                time.sleep(0.5 * (attempt + 1))
            n += 1
            time.sleep(60.0 / (LIMIT - 5))  # under the posting limit

    def reader():
        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=CA),
                                             urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        while not stop.is_set():
            try:
                s, h, _ = request("GET", PROXY + "/threads/%d" % thread, opener=opener, timeout=10)
            except Exception:
                s, h = 0, {}
            with lock:
                if s == 200:
                    reads["ok"] += 1
                    by = h.get("X-Served-By")
                    reads["by"][by] = reads["by"].get(by, 0) + 1
                else:
                    reads["failed"] += 1

    workers = [threading.Thread(target=poster, args=(u,)) for u in posters]
    workers += [threading.Thread(target=reader) for _ in range(4)]
    for w in workers:
        w.start()
    time.sleep(KILL_AFTER)
    os.kill(APP_PIDS["app2"], signal.SIGKILL)
    killed_at = time.time()
    say("killed app2 (pid %d, SIGKILL) after %d s of load" % (APP_PIDS["app2"], KILL_AFTER))
    time.sleep(max(0, LOAD_SECONDS - KILL_AFTER))
    stop.set()
    for w in workers:
        w.join(60)
    keys = list(acked)
    ids = list(acked.values())
    found = sql("select count(*), count(distinct id) from post where id = any('{%s}'::bigint[])" % ",".join(map(str, ids))) \
        if ids else [["0", "0"]]
    # posts made by the load (their bodies name the key): none twice, none without an acknowledgement's key
    made = sql("select count(*), count(distinct substring(source from '\\(([0-9a-f]{8})\\)')) from post "
               "where thread_id = %d and source like 'Load reply %%'" % thread)
    check("failover: no acknowledged post lost",
          int(found[0][0]) == len(ids) and len(set(ids)) == len(ids),
          "%d posts acknowledged (201), %d of them in the database; %d client-visible errors before retries %s"
          % (len(ids), int(found[0][0]), len(client_errors), summarize(client_errors)))
    check("failover: no post made twice", int(made[0][0]) == int(made[0][1]),
          "%s load posts in the thread, %s distinct keys" % (made[0][0], made[0][1]))
    check("failover: reads went on", reads["ok"] > 0 and reads["by"].get("app1", 0) > 0,
          "%d page reads answered (%s), %d failed" % (reads["ok"], reads["by"], reads["failed"]))
    RESULTS["failover"] = {"acknowledged": len(ids), "in_database": int(found[0][0]), "client_errors": len(client_errors),
                           "error_statuses": summarize(client_errors), "reads_ok": reads["ok"],
                           "reads_failed": reads["failed"], "reads_by": reads["by"],
                           "load_posts": int(made[0][0]), "load_keys": int(made[0][1])}


def summarize(errors):
    counts = {}
    for _, s in errors:
        counts[s] = counts.get(s, 0) + 1
    return counts


def main():
    for user in ("alice", "bob", "carmen", "fran", "ada"):
        TOKENS[user] = token(user)
        api("GET", "/api/me", user)           # member rows
    sql("insert into channel (slug, name, kind) values ('two-instances', 'Two instances', 'network') "
        "on conflict do nothing")
    jar = login()
    thread = cards(jar, "two-instances")
    digests()
    for user in TOKENS:
        TOKENS[user] = token(user)
    limits(thread)
    for user in TOKENS:
        TOKENS[user] = token(user)
    failover(jar, thread)
    with open(E["TWO_RESULTS"], "w") as f:
        json.dump(RESULTS, f, indent=1)
    say("%d checks failed: %s" % (len(failed), ", ".join(failed)) if failed else "all checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
