-- POST a reply through the API (bearer token), to a random open thread, to the thread itself (replyTo
-- null) or to one of its existing posts, with an Idempotency-Key as the composer sends one.
-- data = { targets = { {thread id, {post ids}}, ... } }
dofile(os.getenv("BENCH_DIR") .. "/wrk/common.lua")

function init(args)
  common_init()
end

function request()
  return reply_request(data.targets[math.random(1, #data.targets)])
end
