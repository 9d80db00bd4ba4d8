-- Shared by the scenario scripts (loaded with dofile): credentials from the environment, a count of
-- every answer that is not 2xx (wrk itself counts only >= 400, so a redirect to the login page would
-- pass unseen), and a JSON summary written to $BENCH_WRK_OUT when the run is done.
--
-- Environment: BENCH_COOKIE (Cookie header for pages), BENCH_TOKEN (bearer token for /api reads),
-- BENCH_WRITERS_FILE (a Lua file returning the writers' bearer tokens; replies are posted as one of them,
-- each wrk thread taking its share in turn), BENCH_THREADS (wrk's threads, to share the writers out),
-- BENCH_WRK_OUT (where done() writes its JSON), BENCH_DATA (a Lua file returning the scenario's data),
-- BENCH_IDEMPOTENCY_KEY=1 (replies carry an Idempotency-Key, as the page composer's do).

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
  table.insert(threads, thread)
end

cookie = os.getenv("BENCH_COOKIE")
token = os.getenv("BENCH_TOKEN")
data = nil
if os.getenv("BENCH_DATA") and os.getenv("BENCH_DATA") ~= "" then
  data = dofile(os.getenv("BENCH_DATA"))
end

page_headers = { ["Cookie"] = cookie, ["Accept"] = "text/html" }
api_headers = { ["Authorization"] = "Bearer " .. (token or ""), ["Accept"] = "application/json" }
writers = { token or "" }
if os.getenv("BENCH_WRITERS_FILE") and os.getenv("BENCH_WRITERS_FILE") ~= "" then
  writers = dofile(os.getenv("BENCH_WRITERS_FILE"))
end

-- BENCH_IDEMPOTENCY_KEY=1: every reply carries an Idempotency-Key, as the page composer's form does.
send_key = os.getenv("BENCH_IDEMPOTENCY_KEY") == "1"

non2xx = 0
statuses = {}

function common_init()
  math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
  for _ = 1, 10 do math.random() end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
  end
end

local hex = "0123456789abcdef"
function uuid()
  local out = {}
  for i = 1, 32 do
    local r = math.random(1, 16)
    if i == 13 then r = 5 end -- version 4
    if i == 17 then r = 9 + (r % 4) end -- variant 10xx
    out[i] = hex:sub(r, r)
  end
  local s = table.concat(out)
  return s:sub(1, 8) .. "-" .. s:sub(9, 12) .. "-" .. s:sub(13, 16) .. "-" .. s:sub(17, 20) .. "-" .. s:sub(21, 32)
end

-- Reply bodies: markdown of the sizes people write (about 150 to 900 characters), no mentions.
local sentences = {
  "We tried something similar last spring and the biggest lesson was to start with the team leads.",
  "Our attendance team now meets every Tuesday with a short data protocol, and it has made a difference.",
  "I would **not** skip the family survey: it told us more than the walkthrough data did.",
  "Have you looked at how the master schedule protects common planning time for the grade-level teams?",
  "One thing that helped: a one-page summary for the board, with the three numbers that matter.",
  "Our coaches use a six-week cycle, with a short *reflection* at the end of each cycle.",
  "Happy to share our template, it is nothing fancy but it keeps the conversation honest.",
  "The union contract language was the sticking point for us; we solved it with a memorandum of understanding.",
}

function reply_body()
  local n = math.random(2, 7)
  local parts = {}
  for i = 1, n do parts[i] = sentences[math.random(1, #sentences)] end
  local text = table.concat(parts, " ")
  if math.random() < 0.3 then
    text = text .. "\\n\\n- first, agree on the goal\\n- then, on the measure"
  end
  return text
end

-- The writer of the next reply. Each wrk thread posts as its own share of the writers, in turn: with as many
-- writers as connections, a member has one reply in flight at a time, as a person at a keyboard does. (Drawn at
-- random, two of the 64 replies in flight were often one member's, and the second waited for the first's row locks
-- on that member's posting counters: a queue no real load forms. docs/benchmarks.md, "The reply's writers".)
local writer_turn = 0
function next_writer()
  local threads = tonumber(os.getenv("BENCH_THREADS") or "") or 1
  local share = math.max(1, math.floor(#writers / threads))
  local first = (((thread_id or 1) - 1) * share) % #writers
  writer_turn = writer_turn % share + 1
  return writers[(first + writer_turn - 1) % #writers + 1]
end

function reply_request(target)
  local tid, posts = target[1], target[2]
  local reply_to = "null"
  if math.random() < 0.5 and #posts > 0 then reply_to = tostring(posts[math.random(1, #posts)]) end
  local headers = { ["Authorization"] = "Bearer " .. next_writer(),
                    ["Accept"] = "application/json", ["Content-Type"] = "application/json" }
  if send_key then headers["Idempotency-Key"] = uuid() end
  local body = '{"body": "' .. reply_body() .. '", "replyTo": ' .. reply_to .. '}'
  return wrk.format("POST", "/api/threads/" .. tid .. "/posts", headers, body)
end

local function json_number(v) return string.format("%.3f", v) end

function done(summary, latency, requests)
  local total_non2xx = 0
  local all = {}
  for _, t in ipairs(threads) do
    total_non2xx = total_non2xx + (t:get("non2xx") or 0)
    local s = t:get("statuses") or {}
    for k, v in pairs(s) do all[k] = (all[k] or 0) + v end
  end
  local status_parts = {}
  for k, v in pairs(all) do table.insert(status_parts, '"' .. k .. '": ' .. v) end
  local e = summary.errors
  local secs = summary.duration / 1e6
  local out = "{" ..
    '"requests": ' .. summary.requests .. ", " ..
    '"duration_s": ' .. json_number(secs) .. ", " ..
    '"rps": ' .. json_number(summary.requests / secs) .. ", " ..
    '"bytes": ' .. summary.bytes .. ", " ..
    '"p50_ms": ' .. json_number(latency:percentile(50) / 1000) .. ", " ..
    '"p90_ms": ' .. json_number(latency:percentile(90) / 1000) .. ", " ..
    '"p99_ms": ' .. json_number(latency:percentile(99) / 1000) .. ", " ..
    '"max_ms": ' .. json_number(latency.max / 1000) .. ", " ..
    '"mean_ms": ' .. json_number(latency.mean / 1000) .. ", " ..
    '"non2xx": ' .. total_non2xx .. ", " ..
    '"statuses": {' .. table.concat(status_parts, ", ") .. "}, " ..
    '"errors": {"connect": ' .. e.connect .. ', "read": ' .. e.read .. ', "write": ' .. e.write ..
    ', "status": ' .. e.status .. ', "timeout": ' .. e.timeout .. "}}"
  local path = os.getenv("BENCH_WRK_OUT")
  if path and path ~= "" then
    local f = assert(io.open(path, "w"))
    f:write(out, "\n")
    f:close()
  else
    print(out)
  end
end
