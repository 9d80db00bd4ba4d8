#!/usr/bin/env python3
"""Helpers of bench/run (Python 3 standard library only). Subcommands:

  realm SRC DST APP_PORT            the local realm, with redirect URIs for the bench app's port
  data MANIFEST KIND OUT.lua        the Lua data a wrk scenario draws from (ids, paths, reply targets)
  capture ...                       pgbench scripts from the statements the app ran for one page view
  wrk ...                           one scenario: warm-up, measured run, CPU and RSS; appends a JSON line
  pgbench ...                       the database's limit for one page: warm-up, measured run; appends a JSON line
  urls MANIFEST KIND OUT --base URL the full addresses of a GET scenario, one a line (for the fixed-rate runs)
  rate ...                          one fixed-rate (open-loop) run with bench/lib/FixedRate.java; appends a JSON line
  peak RESULTS.jsonl NAME           the req/s a wrk scenario reached (the fixed rates take shares of it)
  report RESULTS.jsonl ...          the markdown table
  json RESULTS.jsonl OUT.json       the results as {"scenarios": [...], "limits": [...]} (bench/results/<date>.json)
  jfr-top FILE.jfr                  where the app's CPU time went (execution samples, summarized)
"""
import argparse
import collections
import glob
import hashlib
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

CLK = os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------------------------------ realm

def cmd_realm(a):
    realm = json.load(open(a.src))
    for client in realm.get("clients", []):
        if client.get("clientId") == "roundtable-web":
            # the production jar refuses the local realm's public secret: the run's own (bench/run exports it)
            client["secret"] = os.environ.get("BENCH_OIDC_CLIENT_SECRET", client.get("secret"))
            for host in ("localhost", "127.0.0.1"):
                uri = "http://%s:%s/*" % (host, a.port)
                if uri not in client["redirectUris"]:
                    client["redirectUris"].append(uri)
            attrs = client.setdefault("attributes", {})
            logout = attrs.get("post.logout.redirect.uris", "")
            attrs["post.logout.redirect.uris"] = "##".join(
                x for x in logout.split("##") + ["http://localhost:%s/*" % a.port] if x)
    json.dump(realm, open(a.dst, "w"), indent=1)


# ------------------------------------------------------------------------------------------ scenario data

def lua(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dict):
        return "{" + ", ".join("%s = %s" % (k, lua(v)) for k, v in value.items()) + "}"
    return "{" + ", ".join(lua(v) for v in value) + "}"


def thread_paths(manifest, key, fmt):
    lo, hi = manifest[key]
    return [fmt % i for i in range(lo, hi + 1)]


def cmd_data(a):
    data = data_for(json.load(open(a.manifest)), a.kind)
    with open(a.out, "w") as f:
        f.write("return " + lua(data) + "\n")


def cmd_urls(a):
    """The addresses of a GET scenario, one full URL a line, for the fixed-rate generator (bench/lib/FixedRate.java)."""
    data = data_for(json.load(open(a.manifest)), a.kind)
    if "paths" not in data:
        sys.exit("urls: %s is not a GET scenario" % a.kind)
    with open(a.out, "w") as f:
        for path in data["paths"]:
            f.write(a.base.rstrip("/") + path + "\n")


def data_for(m, kind):
    targets = [[int(tid), posts] for tid, posts in sorted(m["reply_posts"].items(), key=lambda kv: int(kv[0]))]
    channels = ["/channels/%s" % s for s in m["visible_channels"]]
    if kind == "thread50":
        data = dict(paths=thread_paths(m, "thread50", "/threads/%d"), api=False)
    elif kind == "thread500":
        data = dict(paths=thread_paths(m, "thread500", "/threads/%d"), api=False)
    elif kind == "thread-json":
        data = dict(paths=thread_paths(m, "thread50", "/api/threads/%d"), api=True)
    elif kind == "channel":
        data = dict(paths=channels, api=False)
    elif kind == "home":
        data = dict(paths=["/"], api=False)
    elif kind == "search":
        # the search page for each query of the mix (bench/run writes them, one a line: BENCH_SEARCH_QUERIES)
        queries = [q for q in open(os.environ["BENCH_SEARCH_QUERIES"]).read().split("\n") if q]
        data = dict(paths=["/search?q=" + urllib.parse.quote(q, safe="") for q in queries], api=False)
    elif kind == "insights-network":
        data = dict(paths=["/insights"], api=False)
    elif kind == "insights-cohort":
        data = dict(paths=["/cohorts/%s/insights" % c for c in m["cohorts"]], api=False)
    elif kind == "reply":
        data = dict(targets=targets)
    elif kind == "mix":
        data = dict(reads=[[50, thread_paths(m, "thread50", "/threads/%d")],
                           [15, ["/threads/%d" % t for t, _ in targets]],
                           [15, channels],
                           [10, ["/"]]],
                    targets=targets, write_share=0.10)
    else:
        sys.exit("data: unknown kind " + kind)
    return data


# ------------------------------------------------------------------------------------------ writers

def http(url, data=None, headers=None, method=None):
    body = None
    if isinstance(data, dict) and headers and headers.get("Content-Type") == "application/json":
        body = json.dumps(data).encode()
    elif isinstance(data, dict):
        body = urllib.parse.urlencode(data).encode()
    req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def password_token(kc, username, password):
    status, body = http(kc + "/realms/roundtable/protocol/openid-connect/token",
                        dict(grant_type="password", client_id="roundtable-cli", username=username, password=password))
    if status != 200:
        sys.exit("writers: no token for %s (%d): %s" % (username, status, body[:300]))
    return json.loads(body)["access_token"]


def cmd_writers(a):
    """Members who write in the write scenarios: alice and count-1 more, created in Keycloak (admin API) when asked,
    each with a fresh token, and known to the app (GET /api/me creates the member row). Writes the tokens as Lua.

    Many writers, as in a forum: one member's posts are counted in one rate-counter row, so 64 connections
    posting as one member would queue on that row, which no real load does."""
    names = ["alice"] + ["bench-writer-%02d" % i for i in range(1, a.count)]
    if a.create and a.count > 1:
        status, body = http(a.kc + "/realms/master/protocol/openid-connect/token",
                            dict(grant_type="password", client_id="admin-cli", username="admin", password="admin"))
        if status != 200:
            sys.exit("writers: no Keycloak admin token (%d)" % status)
        admin = json.loads(body)["access_token"]
        for name in names[1:]:
            user = dict(username=name, enabled=True, emailVerified=True, firstName="Bench",
                        lastName="Writer " + name[-2:], email=name + "@bench.roundtable.test",
                        credentials=[dict(type="password", value="bench", temporary=False)])
            status, body = http(a.kc + "/admin/realms/roundtable/users", user,
                                {"Authorization": "Bearer " + admin, "Content-Type": "application/json"})
            if status not in (201, 409):
                sys.exit("writers: could not create %s in Keycloak (%d): %s" % (name, status, body[:300]))
    tokens = []
    for name in names:
        token = password_token(a.kc, name, "demo" if name == "alice" else "bench")
        status, body = http(a.app + "/api/me", headers={"Authorization": "Bearer " + token})
        if status != 200:
            sys.exit("writers: GET /api/me as %s answered %d: %s" % (name, status, body[:300]))
        tokens.append(token)
    with open(a.out, "w") as f:
        f.write("return " + lua(tokens) + "\n")


# ------------------------------------------------------------------------------------------ capture

ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (LOG|DETAIL|ERROR|STATEMENT|HINT|CONTEXT|WARNING):  ")
EXECUTE = re.compile(r"duration: [\d.]+ ms  execute [^:]*: ", re.S)
PARAM = re.compile(r"\$(\d+) = (NULL|'((?:[^']|'')*)')")


def log_statements(path, offset):
    """The statements executed (extended protocol) after byte offset, as (sql, {n: value or None})."""
    with open(path, "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    entries = []
    for line in text.split("\n"):
        if ENTRY.match(line):
            entries.append([line])
        elif entries:
            entries[-1].append(line)
    out = []
    for i, entry in enumerate(entries):
        head = ENTRY.match(entry[0])
        body = "\n".join([entry[0][head.end():]] + entry[1:])
        if head.group(2) != "LOG":
            continue
        m = EXECUTE.match(body)
        if not m:
            continue
        sql = body[m.end():].strip()
        params = {}
        if i + 1 < len(entries) and ENTRY.match(entries[i + 1][0]).group(2) == "DETAIL":
            detail = "\n".join(entries[i + 1])
            if "parameters:" in detail:
                for pm in PARAM.finditer(detail.split("parameters:", 1)[1]):
                    params[int(pm.group(1))] = None if pm.group(2) == "NULL" else pm.group(3).replace("''", "'")
        out.append((sql, params))
    return out


def substitute(sql, mapping):
    return re.sub(r"\$(\d+)(?!\d)", lambda m: mapping[int(m.group(1))], sql)


def cmd_capture(a):
    """Writes pgbench scripts replaying, statement for statement, what the app ran for one page view.

    Parameters are mapped back to what varies between views (the thread id drawn from the same range as
    the load script, the channel slug drawn from the same list, values read by an earlier statement);
    everything else is bound as the constant the app bound. NULL parameters (pgbench cannot bind NULL)
    are written as NULL literals.
    """
    stmts = log_statements(a.log, a.offset)
    if not stmts:
        sys.exit("capture: no statements found in %s after offset %d (is log_min_duration_statement on?)" % (a.log, a.offset))
    m = json.load(open(a.manifest))
    viewer = str(m["alice_id"])
    lines, defines, notes = [], [], []
    out_sql = []

    def constant(si, n, value):
        name = "k%d_%d" % (si, n)
        if re.fullmatch(r"-?\d+", value):
            lines.append("\\set %s %s" % (name, value))
        elif value in ("t", "f"):
            lines.append("\\set %s %s" % (name, "true" if value == "t" else "false"))
        else:
            defines.append((name, value))
        return ":" + name

    if a.kind == "thread":
        lo, hi = m[a.range]
        tid = str(a.id)
        lines.append("\\set tid random(%d, %d)" % (lo, hi))
        head_seen = False
        for si, (sql, params) in enumerate(stmts, 1):
            role = "other"
            # the head: the statement that reads the thread (by its id, wherever it is bound: Guardian's named
            # parameters put the viewer first) with its post count and the viewer's read marker
            if (not head_seen and tid in params.values() and re.search(r"\bfrom thread t\b", sql)
                    and re.search(r"\bpost_count\b", sql) and re.search(r"\blast_read\b", sql)):
                role = "head"
            elif sql.lower().startswith("insert into thread_read"):
                role = "mark"
            mapping = {}
            for n, value in params.items():
                if value is None:
                    mapping[n] = "NULL"
                elif value == tid:
                    mapping[n] = ":tid"
                elif value == viewer:
                    mapping[n] = ":viewer"
                elif role == "mark" and n == 3 and head_seen:
                    mapping[n] = ":h_post_count"
                elif role == "other" and n == 5 and sql.lower().startswith("with branch as") and value != "-1":
                    sys.exit("capture: the thread's accepted answer (%s) is bound as a parameter; the bench threads "
                             "must have none (bench/generate), so that pgbench binds -1 as the app does" % value)
                else:
                    mapping[n] = constant(si, n, value)
            text = substitute(sql, mapping)
            out_sql.append("-- statement %d (%s), parameters as the app bound them: %s\n%s;" % (
                si, role, json.dumps(params), sql))
            if role == "head":
                if not re.search(r"\bpost_count\b", sql) or not re.search(r"\blast_read\b", sql):
                    sys.exit("capture: the thread head statement no longer returns post_count and last_read: "
                             "update bench/lib/bench.py (capture) to the app's new read marker logic")
                lines.append(text + "\n\\gset h_")
                head_seen = True
            elif role == "mark":
                if not head_seen:
                    sys.exit("capture: read marker statement before the thread head")
                lines.append("\\if :h_post_count > :h_last_read\n" + text + ";\n\\endif")
                notes.append("the read marker runs only when the thread has posts the viewer has not read, as in the app")
            else:
                lines.append(text + ";")
        if not head_seen:
            sys.exit("capture: no thread head statement (select ... post_count ... last_read ... from thread t ... with the "
                     "thread id %s bound) among %d statements"
                     % (tid, len(stmts)))
        scripts = [(a.out + ".sql", 1)]
        with open(a.out + ".sql", "w") as f:
            f.write("\n".join(lines) + "\n")
    elif a.kind == "channel":
        slug = a.slug
        chan_id = str(a.id)
        slugs = m["visible_channels"]
        head_seen = False
        body = []
        for si, (sql, params) in enumerate(stmts, 1):
            role = "other"
            if not head_seen and slug in params.values() and re.search(r"\bfrom channel c\b", sql):
                role = "head"
            mapping = {}
            for n, value in params.items():
                if value is None:
                    mapping[n] = "NULL"
                elif value == slug:
                    mapping[n] = ":SLUG"
                elif value == viewer:
                    mapping[n] = ":viewer"
                elif head_seen and value == chan_id:
                    mapping[n] = ":c_id"
                else:
                    mapping[n] = constant(si, n, value)
            text = substitute(sql, mapping)
            out_sql.append("-- statement %d (%s), parameters as the app bound them: %s\n%s;" % (
                si, role, json.dumps(params), sql))
            if role == "head":
                body.append(text + "\n\\gset c_")
                head_seen = True
            else:
                body.append(text + ";")
        if not head_seen:
            sys.exit("capture: no channel statement with the slug %s among %d statements" % (slug, len(stmts)))
        # One script that draws the channel in each transaction, as the load script does. (One script per channel made
        # pgbench prepare every statement once per channel on each of its connections, in each of its runs: 36 x 64
        # preparations of a statement that takes ~2 ms to plan cost more than the page itself, where the app prepares
        # each statement once per pooled connection; docs/benchmarks.md, "Channel page: one channel's counts".)
        # The draw is one small statement of its own per transaction, counted in the limit.
        path = "%s.sql" % a.out
        draw = ["\\set ch random(1, %d)" % len(slugs),
                "select (array[%s]::text[])[:ch] as slug\n\\gset p_" % ", ".join("'%s'" % x.replace("'", "''") for x in slugs)]
        with open(path, "w") as f:
            f.write("\n".join(lines + draw + [b.replace(":SLUG", ":p_slug") for b in body]) + "\n")
        scripts = [(path, 1)]
        notes.append("one script; the channel drawn uniformly among %d in each transaction (one small statement),"
                     " as the load script does" % len(slugs))
    elif a.kind == "search":
        # One search page: its statements replayed with the values the app bound (the viewer as :viewer). bench/run
        # captures each query of the mix into a script of its own and gives pgbench all of them, at equal weights, as
        # wrk draws the queries uniformly.
        prefix = a.prefix or "s"
        # The app's background jobs may run a statement while the page is captured (the hourly row shuffle's check):
        # not the page's.
        stmts = [(sql, params) for sql, params in stmts
                 if "row_shuffle" not in sql and "shuffle_rows" not in sql
                 and not sql.lower().startswith("set local lock_timeout")]
        for si, (sql, params) in enumerate(stmts, 1):
            mapping = {}
            for n, value in params.items():
                if value is None:
                    mapping[n] = "NULL"
                elif value == viewer:
                    mapping[n] = ":viewer"
                else:
                    name = "%s_%d_%d" % (prefix, si, n)
                    if re.fullmatch(r"-?\d+", value):
                        lines.append("\\set %s %s" % (name, value))
                    elif value in ("t", "f"):
                        lines.append("\\set %s %s" % (name, "true" if value == "t" else "false"))
                    else:
                        defines.append((name, value))
                    mapping[n] = ":" + name
            out_sql.append("-- statement %d, parameters as the app bound them: %s\n%s;" % (si, json.dumps(params), sql))
            lines.append(substitute(sql, mapping) + ";")
        if not any("websearch_to_tsquery" in sql or "from post p" in sql for sql, _ in stmts):
            sys.exit("capture: no search statement among %d statements" % len(stmts))
        # In one transaction, as the app runs them: the first statement's settings (the search's timeout, a plan for
        # each search's values) are for its transaction only.
        lines = ["begin;"] + lines + ["commit;"]
        scripts = [(a.out + ".sql", 1)]
        with open(a.out + ".sql", "w") as f:
            f.write("\n".join(lines) + "\n")
        notes.append("the search page's statements, values as bound, in one transaction as the app runs them")
    else:
        sys.exit("capture: unknown kind")

    with open(a.out + ".args", "w") as f:
        for path, weight in scripts:
            f.write("-f\n%s@%d\n" % (path, weight))
        f.write("-D\nviewer=%s\n" % viewer)
        for name, value in defines:
            f.write("-D\n%s=%s\n" % (name, value))
    with open(a.out + ".statements.sql", "w") as f:
        f.write("\n\n".join(out_sql) + "\n")
    print("capture: %s page: %d statements -> %s (%s)" % (a.kind, len(stmts), a.out, "; ".join(notes) or "as captured"))


# ------------------------------------------------------------------------------------------ measuring

def proc_cpu(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0


def children_cpu(parent):
    total = proc_cpu(parent)
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                total += (int(fields[11]) + int(fields[12])) / CLK
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            pass
    return total


def pg_cpu_by_pid(parent):
    out = {parent: proc_cpu(parent)}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                out[int(d)] = (int(fields[11]) + int(fields[12])) / CLK
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            pass
    return out


def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return (sum(v[:8]) - idle) / CLK


def rss_kib(pid, field="VmRSS"):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def postmaster_pid(pgdata):
    with open(os.path.join(pgdata, "postmaster.pid")) as f:
        return int(f.readline())


def wrk_run(a, duration, out):
    env = dict(os.environ, BENCH_WRK_OUT=out, BENCH_DATA=a.data, BENCH_DIR=a.bench_dir)
    cmd = ["wrk", "-t", str(a.threads), "-c", str(a.connections), "-d", "%ss" % duration,
           "--timeout", a.timeout, "-s", a.script, a.url]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=float(duration) + 120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 or not os.path.exists(out):
        sys.exit("wrk failed (exit %d): %s %s" % (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:]))
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return json.load(open(out)), cpu, proc.stdout


def calibrate(reps=3):
    """The machine's speed just now: CPU milliseconds (this process's own, not wall time) of a fixed single-threaded
    workload (SHA-256 of 192 MiB and 1.5 million integer operations), the median of reps runs. Identical work, so a
    higher figure means a slower core, whatever the app and PostgreSQL do: on these virtual machines the host's other
    tenants slow every process down by a third for minutes at a time (docs/benchmarks.md, "A slower machine"), which
    moves a run's figures, its tail most of all. Taken right before and right after each measured run."""
    buf = b"x" * 65536
    runs = []
    for _ in range(reps):
        t = time.process_time()
        h = hashlib.sha256()
        for _ in range(3000):
            h.update(buf)
        acc = 0
        for i in range(1500000):
            acc += i * i % 7
        runs.append((time.process_time() - t) * 1000.0)
    runs.sort()
    return round(runs[len(runs) // 2], 0)


def cmd_wrk(a):
    pm = postmaster_pid(a.pgdata)
    if float(a.warmup) > 0:
        wrk_run(a, a.warmup, a.out + ".warmup.json")
    if a.before:
        subprocess.run(a.before, shell=True, check=True)
    speed_before = calibrate()
    app0, pg0, busy0, t0 = proc_cpu(a.app_pid), children_cpu(pm), machine_busy(), time.time()
    result, wrk_cpu, stdout = wrk_run(a, a.duration, a.out + ".json")
    app1, pg1, busy1, t1 = proc_cpu(a.app_pid), children_cpu(pm), machine_busy(), time.time()
    rss = rss_kib(a.app_pid)
    speed = [speed_before, calibrate()]
    if a.after:
        subprocess.run(a.after, shell=True, check=True)
    wall = t1 - t0
    cpu = dict(app=(app1 - app0) / wall, pg=(pg1 - pg0) / wall, wrk=wrk_cpu / wall)
    cpu["other"] = max(0.0, (busy1 - busy0) / wall - cpu["app"] - cpu["pg"] - cpu["wrk"])
    row = dict(type="wrk", name=a.name, label=a.label, limit=a.limit, connections=a.connections,
               threads=a.threads, duration=float(a.duration), rss_mib=rss / 1024.0,
               hwm_mib=rss_kib(a.app_pid, "VmHWM") / 1024.0, cpu=cpu, load=os.getloadavg()[0], machine_ms=speed,
               **result)
    with open(a.results, "a") as f:
        f.write(json.dumps(row) + "\n")
    err = sum(result["errors"][k] for k in ("connect", "read", "write", "timeout"))
    print("  %-22s %8.1f req/s  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  non-2xx %d  socket errors %d  RSS %.0f MiB"
          "  CPU app %.2f pg %.2f wrk %.2f other %.2f  machine %.0f/%.0f ms" % (
              a.label, result["rps"], result["p50_ms"], result["p90_ms"], result["p99_ms"], result["non2xx"], err,
              rss / 1024.0, cpu["app"], cpu["pg"], cpu["wrk"], cpu["other"], speed[0], speed[1]), flush=True)
    if result["non2xx"]:
        print("    non-2xx answers by status: %s" % json.dumps(result["statuses"]), flush=True)


def fixed_rate_classpath(a):
    """The classpath and main class (or source file) to start FixedRate with: compiled once into target/bench-classes
    with the javac beside a.java, again when FixedRate.java is newer; the source launcher when there is no javac."""
    src = os.path.join(a.bench_dir, "lib", "FixedRate.java")
    classes = os.path.join(os.path.dirname(os.path.abspath(a.bench_dir)), "target", "bench-classes")
    cls = os.path.join(classes, "FixedRate.class")
    javac = os.path.join(os.path.dirname(a.java), "javac") if os.path.dirname(a.java) else "javac"
    if not os.path.exists(cls) or os.path.getmtime(cls) < os.path.getmtime(src):
        try:
            subprocess.run([javac, "-nowarn", "-cp", a.classpath, "-d", classes, src], check=True, capture_output=True,
                           text=True)
        except (OSError, subprocess.CalledProcessError) as e:
            print("  FixedRate: javac failed (%s), using the source launcher" % getattr(e, "stderr", e), file=sys.stderr)
            return [a.classpath, src]
    return [classes + os.pathsep + a.classpath, "FixedRate"]


def cmd_rate(a):
    """One fixed-rate (open-loop) run of a GET scenario with bench/lib/FixedRate.java; a row like wrk's, type "rate"."""
    pm = postmaster_pid(a.pgdata)
    out = a.out + ".json"
    # the generator shares the 2 cores with the app and PostgreSQL: compile it once (the source launcher runs javac in
    # every run, ~2-3 s of CPU) and keep its JVM small (one thread of work; C1 only, serial GC, a small heap)
    cmd = [a.java, "-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
           "-cp"] + fixed_rate_classpath(a) + ["--urls", a.urls,
           "--rate", str(a.rate), "--duration", str(a.duration), "--warmup", str(a.warmup), "--timeout", "10"]
    for h in a.header or []:
        cmd += ["--header", h]
    speed_before = calibrate()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    app0, pg0, busy0, t0 = proc_cpu(a.app_pid), children_cpu(pm), machine_busy(), time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=float(a.duration) + float(a.warmup) + 120)
    app1, pg1, busy1, t1 = proc_cpu(a.app_pid), children_cpu(pm), machine_busy(), time.time()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    speed = [speed_before, calibrate()]
    if proc.returncode != 0:
        sys.exit("FixedRate failed (exit %d): %s %s" % (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:]))
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    with open(out, "w") as f:
        json.dump(result, f)
    # CPU over the whole run (warm-up included: the generator cannot be split), per second of it
    wall = t1 - t0
    gen_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    cpu = dict(app=(app1 - app0) / wall, pg=(pg1 - pg0) / wall, wrk=gen_cpu / wall)
    cpu["other"] = max(0.0, (busy1 - busy0) / wall - cpu["app"] - cpu["pg"] - cpu["wrk"])
    kinds = result.get("error_kinds", {})
    errors = dict(connect=sum(v for k, v in kinds.items() if "Connect" in k), timeout=kinds.get("HttpTimeoutException", 0),
                  write=0)
    errors["read"] = result["errors"] - errors["connect"] - errors["timeout"]
    rss = rss_kib(a.app_pid)
    row = dict(type="rate", name=a.name, label=a.label, limit=a.limit, offered_rps=float(a.rate),
               duration=float(a.duration), rss_mib=rss / 1024.0, hwm_mib=rss_kib(a.app_pid, "VmHWM") / 1024.0, cpu=cpu,
               load=os.getloadavg()[0], requests=result["completed"], rps=result["rps"], p50_ms=result["p50_ms"],
               p90_ms=result["p90_ms"], p99_ms=result["p99_ms"], p999_ms=result["p999_ms"], max_ms=result["max_ms"],
               non2xx=result["non2xx"], statuses=result.get("statuses", {}), errors=errors, machine_ms=speed)
    with open(a.results, "a") as f:
        f.write(json.dumps(row) + "\n")
    print("  %-22s offered %.0f/s: %8.1f req/s  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  non-2xx %d  errors %d"
          "  CPU app %.2f pg %.2f generator %.2f other %.2f  machine %.0f/%.0f ms" % (
              a.label, float(a.rate), result["rps"], result["p50_ms"], result["p90_ms"], result["p99_ms"],
              result["non2xx"], result["errors"], cpu["app"], cpu["pg"], cpu["wrk"], cpu["other"], speed[0], speed[1]),
          flush=True)


def cmd_peak(a):
    """The req/s of a scenario already in the results (for the fixed rates at a share of the peak)."""
    rows = [json.loads(x) for x in open(a.results) if x.strip()]
    found = [r for r in rows if r["type"] == "wrk" and r["name"] == a.name]
    if not found:
        sys.exit("peak: no wrk run named %s in %s" % (a.name, a.results))
    print("%.0f" % found[-1]["rps"])


def served_rps(r):
    """Requests per second answered 2xx: what a ratio to the limit counts (a refusal is not a page served). A fixed-rate
    row's rps and requests already count 2xx answers only (cmd_rate)."""
    if r.get("type") == "rate":
        return r["rps"]
    if not r.get("requests"):
        return 0.0
    return r["rps"] * (r["requests"] - r["non2xx"]) / r["requests"]


def cmd_json(a):
    """The results as bench/results/<date>.json: {"scenarios": [{name, rps, p50_ms, ..., rss_mib}], ...}."""
    rows = [json.loads(x) for x in open(a.results) if x.strip()]
    pg = {r["name"]: r for r in rows if r["type"] == "pgbench"}
    scenarios = []
    for r in rows:
        if r["type"] not in ("wrk", "rate"):
            continue
        lim = pg.get(r.get("limit") or "")
        per = lambda cores: round(1000.0 * cores / r["rps"], 3) if r["rps"] > 0 else None
        e = r["errors"]
        item = dict(name=r["label"], rps=round(r["rps"], 1), p50_ms=r["p50_ms"], p90_ms=r["p90_ms"], p99_ms=r["p99_ms"],
                    limit_tps=round(lim["tps"], 1) if lim else None,
                    ratio=round(served_rps(r) / lim["tps"], 3) if lim and lim["tps"] > 0 else None,
                    rps_2xx=round(served_rps(r), 1),
                    app_cpu_ms=per(r["cpu"]["app"]), pg_cpu_ms=per(r["cpu"]["pg"]), rss_mib=round(r["rss_mib"], 1),
                    non2xx=r["non2xx"], errors=e["connect"] + e["read"] + e["write"] + e["timeout"],
                    other_cores=round(r["cpu"]["other"], 2), load_average=round(r.get("load", 0), 1),
                    machine_ms=r.get("machine_ms"))
        if r["type"] == "rate":
            item["offered_rps"] = r["offered_rps"]
            item["p999_ms"] = r["p999_ms"]
        scenarios.append(item)
    limits = [dict(name=r["label"], tps=round(r["tps"], 1), p50_ms=r["p50_ms"], p90_ms=r["p90_ms"], p99_ms=r["p99_ms"],
                   pg_cpu_ms=r.get("pg_ms_per_tx"), machine_ms=r.get("machine_ms")) for r in pg.values()]
    doc = dict(date=a.date, commit=a.commit, machine=a.machine, scenarios=scenarios, limits=limits)
    with open(a.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def cmd_quiet(a):
    """Waits (bounded) until the machine is quiet: CPU busy outside the app and PostgreSQL below a threshold.

    The bench shares a 2-core machine with whatever else runs there; a figure measured while another
    process takes a core says little. Prints what it saw; never fails (the table's CPU column shows the rest).
    """
    pm = postmaster_pid(a.pgdata)
    deadline = time.time() + a.timeout
    waited = False
    while True:
        app0, pg0, busy0, t0 = proc_cpu(a.app_pid), children_cpu(pm), machine_busy(), time.time()
        time.sleep(a.sample)
        app1, pg1, busy1, t1 = proc_cpu(a.app_pid), children_cpu(pm), machine_busy(), time.time()
        other = ((busy1 - busy0) - (app1 - app0) - (pg1 - pg0)) / (t1 - t0)
        if other <= a.max_other:
            if waited:
                print("  quiet now (other processes use %.2f cores)" % other, flush=True)
            return
        if time.time() >= deadline:
            print("  WARNING: other processes still use %.2f cores after waiting %d s: measuring anyway"
                  % (other, a.timeout), flush=True)
            return
        if not waited:
            print("  waiting for the machine to be quiet (other processes use %.2f cores; up to %d s)"
                  % (other, a.timeout), flush=True)
            waited = True


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    k = (len(sorted_values) - 1) * p / 100.0
    f = int(k)
    c = min(f + 1, len(sorted_values) - 1)
    return sorted_values[f] + (sorted_values[c] - sorted_values[f]) * (k - f)


def pgbench_run(a, duration, log_prefix=None):
    args = [x for x in open(a.args).read().split("\n") if x]
    cmd = [a.pgbench, "-n", "-M", "prepared", "-c", str(a.connections), "-j", str(a.threads), "-T", str(duration),
           "-h", a.host, "-p", str(a.port), "-U", a.user] + args
    if log_prefix:
        cmd += ["-l", "--log-prefix", log_prefix]
    cmd.append(a.db)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=float(duration) + 120)
    if proc.returncode != 0:
        sys.exit("pgbench failed (exit %d):\n%s\n%s" % (proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:]))
    return proc.stdout


def cmd_pgbench(a):
    check = subprocess.run([a.pgbench, "-n", "-M", "prepared", "-c", "1", "-t", "3", "-h", a.host, "-p", str(a.port),
                            "-U", a.user] + [x for x in open(a.args).read().split("\n") if x] + [a.db],
                           capture_output=True, text=True, timeout=120)
    if check.returncode != 0 or "failed transactions: 0" not in check.stdout:
        sys.exit("pgbench script check failed:\n%s\n%s" % (check.stdout[-3000:], check.stderr[-3000:]))
    if float(a.warmup) > 0:
        pgbench_run(a, a.warmup)
    prefix = a.out + ".log"
    for old in glob.glob(prefix + ".*"):
        os.remove(old)
    # PostgreSQL's CPU: pgbench's backends exit with it, so their CPU time is sampled while they run (every
    # second, the last sample of each backend counts: at most a second of the run is missed).
    pm = postmaster_pid(a.pgdata)
    baseline = pg_cpu_by_pid(pm)
    latest = dict(baseline)
    stop = threading.Event()

    def sample():
        while not stop.wait(1.0):
            latest.update(pg_cpu_by_pid(pm))
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    speed_before = calibrate()
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    out = pgbench_run(a, a.duration, prefix)
    wall = time.time() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    speed = [speed_before, calibrate()]
    stop.set()
    sampler.join()
    pg_cpu = sum(v - baseline.get(pid, 0.0) for pid, v in latest.items())
    client_cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", out).group(1))
    failed = int(re.search(r"number of failed transactions: (\d+)", out).group(1))
    lat = []
    for path in glob.glob(prefix + ".*"):
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3:
                    lat.append(int(parts[2]) / 1000.0)
    lat.sort()
    row = dict(type="pgbench", name=a.name, label=a.label, connections=a.connections, threads=a.threads,
               duration=float(a.duration), tps=tps, failed=failed, transactions=len(lat),
               p50_ms=percentile(lat, 50), p90_ms=percentile(lat, 90), p99_ms=percentile(lat, 99), wall=wall,
               pg_ms_per_tx=1000.0 * pg_cpu / max(1, len(lat)), client_ms_per_tx=1000.0 * client_cpu / max(1, len(lat)),
               machine_ms=speed)
    with open(a.results, "a") as f:
        f.write(json.dumps(row) + "\n")
    with open(a.out + ".txt", "w") as f:
        f.write(out)
    print("  %-22s %8.1f tps    p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  failed %d" % (
        a.label, tps, row["p50_ms"], row["p90_ms"], row["p99_ms"], failed), flush=True)


# ------------------------------------------------------------------------------------------ report

def fmt_ms(v):
    return "%.1f" % v if v >= 10 else "%.2f" % v


def machine(r):
    """A row's machine calibration (see calibrate), "before / after" in CPU ms; "—" for rows measured without it."""
    m = r.get("machine_ms")
    return "%.0f / %.0f" % (m[0], m[1]) if m else "—"


def cmd_report(a):
    rows = [json.loads(x) for x in open(a.results) if x.strip()]
    wrk = [r for r in rows if r["type"] in ("wrk", "rate")]
    pg = {r["name"]: r for r in rows if r["type"] == "pgbench"}
    out = []
    out.append("| scenario | req/s | p50 ms | p90 ms | p99 ms | non-2xx | socket errors | app RSS MiB "
               "| pgbench limit (tx/s) | app ÷ limit (2xx only) | CPU ms per request: app / PostgreSQL / wrk | other processes (cores) "
               "| machine: calibration ms before / after |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|")
    for r in wrk:
        e = r["errors"]
        sock = e["connect"] + e["read"] + e["write"] + e["timeout"]
        sock_txt = str(sock) + (" (%d timeouts)" % e["timeout"] if e["timeout"] else "")
        lim = pg.get(r.get("limit") or "")
        limit_txt = ("%.0f" % lim["tps"] if lim["tps"] >= 10 else "%.1f" % lim["tps"]) if lim else "—"
        ratio = "%.0f %%" % (100.0 * served_rps(r) / lim["tps"]) if lim and lim["tps"] > 0 else "—"
        c = r["cpu"]
        non2xx = str(r["non2xx"])
        if r["non2xx"]:
            non2xx += " (" + ", ".join("%s: %d" % kv for kv in sorted(r["statuses"].items())) + ")"
        pcts = [fmt_ms(r[k]) if r["requests"] else "—" for k in ("p50_ms", "p90_ms", "p99_ms")]
        per = lambda cores: ("%.2f" % (1000.0 * cores / r["rps"])) if r["rps"] > 0 else "—"
        out.append("| %s | %s | %s | %s | %s | %s | %s | %.0f | %s | %s | %s / %s / %s | %.2f | %s |" % (
            r["label"], "%.0f" % r["rps"] if r["rps"] >= 10 else "%.1f" % r["rps"], pcts[0], pcts[1], pcts[2], non2xx, sock_txt,
            r["rss_mib"], limit_txt, ratio, per(c["app"]), per(c["pg"]), per(c["wrk"]), c["other"], machine(r)))
    if pg:
        out.append("")
        out.append("| pgbench limit (the page's statements, -M prepared) | tx/s | p50 ms | p90 ms | p99 ms | failed "
                   "| CPU ms per transaction: PostgreSQL / pgbench | machine: calibration ms before / after |")
        out.append("|---|---:|---:|---:|---:|---:|---|---|")
        for r in pg.values():
            out.append("| %s | %s | %s | %s | %s | %d | %.2f / %.2f | %s |" % (
                r["label"], "%.0f" % r["tps"] if r["tps"] >= 10 else "%.1f" % r["tps"], fmt_ms(r["p50_ms"]),
                fmt_ms(r["p90_ms"]), fmt_ms(r["p99_ms"]), r["failed"], r.get("pg_ms_per_tx", 0), r.get("client_ms_per_tx", 0),
                machine(r)))
    if wrk:
        hwm = max(r["hwm_mib"] for r in wrk)
        out.append("")
        out.append("App RSS sampled (VmRSS) at the end of each scenario; peak over the run (VmHWM): %.0f MiB." % hwm)
    print("\n".join(out))


# ------------------------------------------------------------------------------------------ JFR

FRAME = re.compile(r"^\s+(.+?)(?:\s+line: \d+)?(?:\s+bci: \d+)?\s*$")


def cmd_jfr_top(a):
    proc = subprocess.Popen([a.jfr, "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", a.file],
                            stdout=subprocess.PIPE, text=True)
    self_c, incl_c, pkg_c, thread_c = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
    comp_c = collections.Counter()
    total = 0
    stack, in_stack, thread = [], False, None
    for line in proc.stdout:
        s = line.strip()
        if s.startswith("sampledThread"):
            m = re.search(r'"([^"]*)"', s)
            thread = re.sub(r"\d+", "N", m.group(1)) if m else "?"
        elif s.startswith("stackTrace = ["):
            in_stack, stack = True, []
        elif in_stack and s == "]":
            in_stack = False
            if stack:
                total += 1
                top = stack[0]
                self_c[top] += 1
                pkg_c[package(top)] += 1
                thread_c[thread] += 1
                for f in set(stack):
                    incl_c[f] += 1
                comp_c[component(stack)] += 1
        elif in_stack and s and s != "...":
            m = FRAME.match(line)
            if m:
                stack.append(re.sub(r"\(.*\)", "()", m.group(1)))
    proc.wait()
    if total == 0:
        print("jfr-top: no execution samples in %s" % a.file)
        return
    pct = lambda n: 100.0 * n / total
    jvm_summary(a)
    print("JFR execution samples: %d (app threads running Java code)\n" % total)
    print("By component (the innermost frame of a known component decides, %):")
    for c, n in comp_c.most_common():
        print("  %5.1f %%  %s" % (pct(n), c))
    print()
    print("By thread (samples %):")
    for t, n in thread_c.most_common(8):
        print("  %5.1f %%  %s" % (pct(n), t))
    print("\nSelf time by package (top of stack, %):")
    for p, n in pkg_c.most_common(15):
        print("  %5.1f %%  %s" % (pct(n), p))
    print("\nHot methods, self time (top of stack, %):")
    for f, n in self_c.most_common(a.top):
        print("  %5.1f %%  %s" % (pct(n), f))
    print("\nHot methods, total time (on the stack, %), application and framework entry points:")
    shown = 0
    for f, n in incl_c.most_common():
        if re.match(r"(org\.roundtable|io\.quarkus\.(oidc|qute|vertx\.http\.runtime\.security|security)|"
                    r"io\.vertx\.(pgclient|sqlclient)|io\.smallrye\.jwt|org\.jose4j|com\.fasterxml|"
                    r"org\.jboss\.resteasy\.reactive\.server\.(core|handlers))", f):
            print("  %5.1f %%  %s" % (pct(n), f))
            shown += 1
            if shown >= a.top:
                break


COMPONENTS = [
    ("Qute rendering", r"io\.quarkus\.qute\."),
    ("OIDC: session cookie and token checks (jose4j, RSA)", r"(io\.quarkus\.oidc\.|org\.jose4j\.|io\.smallrye\.jwt\.)"),
    ("PostgreSQL client (decoding rows)", r"io\.vertx\.(pgclient|sqlclient)\."),
    ("JSON (Jackson)", r"com\.fasterxml\."),
    ("the app's own code", r"org\.roundtable\."),
    ("RESTEasy Reactive", r"org\.jboss\.resteasy\."),
    ("HTTP (Vert.x, Netty)", r"io\.(vertx|netty)\."),
]


def component(stack):
    for frame in stack:
        for name, pattern in COMPONENTS:
            if re.match(pattern, frame):
                return name
    return "other (JDK)"


def jvm_summary(a):
    """Where the app's CPU went beyond the sampled Java code: per-thread CPU, GC pauses, JIT compilation."""
    out = subprocess.run([a.jfr, "print", "--events", "jdk.ThreadCPULoad,jdk.GarbageCollection,jdk.Compilation", a.file],
                         capture_output=True, text=True).stdout
    threads, gc_ms, gcs, comp_ms = collections.defaultdict(list), 0.0, 0, 0.0
    for ev in out.split("\n}"):
        if "jdk.ThreadCPULoad" in ev:
            u = re.search(r"user = ([\d.]+)%", ev); sy = re.search(r"system = ([\d.]+)%", ev)
            t = re.search(r'eventThread = "([^"]*)"', ev)
            if u and sy and t:
                threads[re.sub(r"\d+", "N", t.group(1))].append(float(u.group(1)) + float(sy.group(1)))
        elif "jdk.GarbageCollection" in ev:
            m = re.search(r"sumOfPauses = ([\d.]+) (ms|s)", ev)
            if m:
                gcs += 1
                gc_ms += float(m.group(1)) * (1000 if m.group(2) == "s" else 1)
        elif "jdk.Compilation" in ev:
            m = re.search(r"duration = ([\d.]+) (ms|s)", ev)
            if m:
                comp_ms += float(m.group(1)) * (1000 if m.group(2) == "s" else 1)
    if threads:
        print("CPU by thread (jdk.ThreadCPULoad, share of the machine, averaged; threads of one kind summed):")
        sums = collections.Counter()
        for t, v in threads.items():
            sums[t] = sum(v) / len(v)
        for t, v in sums.most_common(8):
            print("  %5.1f %%  %s" % (v, t))
    print("GC: %d collections, %.0f ms of pauses; JIT: %.0f ms in compilations of 100 ms or more\n" % (gcs, gc_ms, comp_ms))


def package(frame):
    name = frame.split("(")[0]
    parts = name.split(".")
    # class = first capitalised part; package = what precedes it, cut to 3 levels
    for i, p in enumerate(parts):
        if p[:1].isupper():
            return ".".join(parts[:min(i, 3)]) or name
    return ".".join(parts[:3])


# ------------------------------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("realm"); p.add_argument("src"); p.add_argument("dst"); p.add_argument("port")
    p = sub.add_parser("data"); p.add_argument("manifest"); p.add_argument("kind"); p.add_argument("out")
    p = sub.add_parser("capture")
    for k in ("log", "manifest", "kind", "out"):
        p.add_argument("--" + k, required=True)
    p.add_argument("--offset", type=int, required=True)
    p.add_argument("--range", default="thread50")
    p.add_argument("--id", type=int, default=0)
    p.add_argument("--slug")
    p.add_argument("--prefix", help="search: names of this capture's pgbench variables")
    p = sub.add_parser("wrk")
    for k in ("name", "label", "script", "data", "url", "out", "results", "pgdata", "bench-dir"):
        p.add_argument("--" + k, required=True)
    p.add_argument("--app-pid", type=int, required=True)
    p.add_argument("--limit", default="")
    p.add_argument("--connections", default="64"); p.add_argument("--threads", default="2")
    p.add_argument("--duration", default="30"); p.add_argument("--warmup", default="10")
    p.add_argument("--timeout", default="10s")
    p.add_argument("--before", help="shell command run after the warm-up, right before the measured run")
    p.add_argument("--after", help="shell command run right after the measured run")
    p = sub.add_parser("pgbench")
    for k in ("name", "label", "args", "out", "results", "pgbench", "host", "port", "user", "db", "pgdata"):
        p.add_argument("--" + k, required=True)
    p.add_argument("--connections", default="64"); p.add_argument("--threads", default="2")
    p.add_argument("--duration", default="30"); p.add_argument("--warmup", default="10")
    p = sub.add_parser("writers")
    p.add_argument("--kc", required=True); p.add_argument("--app", required=True); p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=64); p.add_argument("--create", action="store_true")
    p = sub.add_parser("quiet")
    p.add_argument("--pgdata", required=True); p.add_argument("--app-pid", type=int, required=True)
    p.add_argument("--max-other", type=float, default=0.25); p.add_argument("--timeout", type=int, default=300)
    p.add_argument("--sample", type=float, default=3.0)
    p = sub.add_parser("urls"); p.add_argument("manifest"); p.add_argument("kind"); p.add_argument("out")
    p.add_argument("--base", required=True)
    p = sub.add_parser("rate")
    for k in ("name", "label", "urls", "out", "results", "pgdata", "bench-dir", "java", "classpath"):
        p.add_argument("--" + k, required=True)
    p.add_argument("--app-pid", type=int, required=True)
    p.add_argument("--rate", type=float, required=True)
    p.add_argument("--limit", default="")
    p.add_argument("--duration", default="30"); p.add_argument("--warmup", default="10")
    p.add_argument("--header", action="append")
    p = sub.add_parser("peak"); p.add_argument("results"); p.add_argument("name")
    p = sub.add_parser("json"); p.add_argument("results"); p.add_argument("out")
    for k in ("date", "commit", "machine"):
        p.add_argument("--" + k, default="")
    p = sub.add_parser("report"); p.add_argument("results")
    p = sub.add_parser("jfr-top"); p.add_argument("file"); p.add_argument("--jfr", default="jfr")
    p.add_argument("--top", type=int, default=25)
    a = ap.parse_args()
    {"realm": cmd_realm, "data": cmd_data, "capture": cmd_capture, "wrk": cmd_wrk, "pgbench": cmd_pgbench,
     "quiet": cmd_quiet, "writers": cmd_writers, "report": cmd_report, "jfr-top": cmd_jfr_top, "urls": cmd_urls,
     "rate": cmd_rate, "peak": cmd_peak, "json": cmd_json}[a.cmd](a)


if __name__ == "__main__":
    main()
