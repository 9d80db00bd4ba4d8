-- GET one of a set of addresses, uniformly at random: a page (Cookie) or the JSON API (bearer).
-- data = { paths = {"/threads/1", ...}, api = false }
dofile(os.getenv("BENCH_DIR") .. "/wrk/common.lua")

local requests = {}

function init(args)
  common_init()
  local headers = data.api and api_headers or page_headers
  for i, path in ipairs(data.paths) do
    requests[i] = wrk.format("GET", path, headers)
  end
end

function request()
  return requests[math.random(1, #requests)]
end
