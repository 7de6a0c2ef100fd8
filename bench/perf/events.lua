-- wrk script: POSTs /events in batches of 100 events, as a shop's front end sends them.
--   wrk -t2 -c32 -d20s --latency -s bench/perf/events.lua http://127.0.0.1:PORT -- IDS [VISITORS]
-- IDS: a file of product ids, one per line; VISITORS: visitors "v1".."vN" (default 100000).
-- The mix per event: 70 % view, 18 % click, 7 % add_to_cart, 2 % remove_from_cart,
-- 3 % purchase; carts and purchases carry a size. Bodies are built once in init(), so Lua
-- costs little per request; each thread starts at a different body.

local bodies = {}
local next_body = 1
local thread_count = 0
local kBodies = 400
local kBatch = 100
local sizes = {"S", "M", "L", "XL"}

function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

local function event_type(r)
  if r < 0.70 then return "view" end
  if r < 0.88 then return "click" end
  if r < 0.95 then return "add_to_cart" end
  if r < 0.97 then return "remove_from_cart" end
  return "purchase"
end

function init(args)
  local file_name = args[1] or "ids.txt"
  local visitors = tonumber(args[2] or "100000")
  local ids = {}
  local file = assert(io.open(file_name, "r"), "events.lua: cannot open " .. file_name)
  for line in file:lines() do
    if line ~= "" then ids[#ids + 1] = line end
  end
  file:close()
  assert(#ids > 0, "events.lua: no ids in " .. file_name)
  math.randomseed(7 + (thread_number or 0))
  for b = 1, kBodies do
    local events = {}
    for e = 1, kBatch do
      local kind = event_type(math.random())
      local item = ids[math.random(#ids)]
      local event = string.format('{"type":"%s","visitor":"v%d","item":"%s"', kind,
                                  math.random(visitors), item)
      if kind == "add_to_cart" or kind == "purchase" or kind == "remove_from_cart" then
        event = event .. string.format(',"size":"%s"', sizes[math.random(#sizes)])
      end
      if kind == "click" then
        event = event .. string.format(',"query":"q","position":%d', math.random(20) - 1)
      end
      events[e] = event .. "}"
    end
    bodies[b] = '{"events":[' .. table.concat(events, ",") .. "]}"
  end
  next_body = ((thread_number or 0) * 97) % kBodies + 1
end

function request()
  local body = bodies[next_body]
  next_body = next_body % kBodies + 1
  return wrk.format("POST", "/events", {["Content-Type"] = "application/json"}, body)
end
