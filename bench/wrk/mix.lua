-- 90 % reads, 10 % writes, as members use a forum: thread pages (the 50-post threads and the threads
-- being replied to), channel pages and the home page as pages (Cookie); replies through the API (bearer).
-- data = { reads = { {weight, {paths}}, ... }, targets = { {thread id, {post ids}}, ... }, write_share = 0.1 }
dofile(os.getenv("BENCH_DIR") .. "/wrk/common.lua")

local read_sets = {}
local cumulative = {}
local total = 0

function init(args)
  common_init()
  for i, set in ipairs(data.reads) do
    local reqs = {}
    for j, path in ipairs(set[2]) do reqs[j] = wrk.format("GET", path, page_headers) end
    read_sets[i] = reqs
    total = total + set[1]
    cumulative[i] = total
  end
end

function request()
  if math.random() < data.write_share then
    return reply_request(data.targets[math.random(1, #data.targets)])
  end
  local r = math.random() * total
  for i, c in ipairs(cumulative) do
    if r <= c then
      local reqs = read_sets[i]
      return reqs[math.random(1, #reqs)]
    end
  end
  local reqs = read_sets[#read_sets]
  return reqs[math.random(1, #reqs)]
end
