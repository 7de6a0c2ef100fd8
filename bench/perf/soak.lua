-- wrk script of scripts/soak: a shop's mixed traffic, each request drawn at random:
--   40 % GET /search (bench/perf/queries.txt), anonymous
--   25 % the same, for a visitor "s1".."sN" (personalized once they have events)
--   15 % POST /events, a batch of 20 events of one visitor (views, clicks, carts, purchases)
--   20 % GET /recommendations of the four types for a visitor and a product
--   and one request in DELETE_EVERY a DELETE /profiles/{visitor}, of a visitor this thread
--   sent events for (a forget rewrites the logs without the visitor: rare in a shop).
--   scripts/soak passes DELETE_EVERY 0 and deletes from a side client of its own, which
--   times each delete (seconds on gigabytes of logs) apart from the mix's latencies.
--   wrk ... -s bench/perf/soak.lua URL -- QUERIES IDS [VISITORS [DELETE_EVERY]]
-- DELETE_EVERY: one request in that many is a DELETE (default 5000; 0: none).
-- Every answer is counted by status, and done() prints one line per status ("soak: 200
-- 12345"), which scripts/soak reads. The only 4xx a soak expects is the 404 of a DELETE for
-- a visitor forgotten before (its body names the profile), counted as "404-forgotten".

local paths, ids = {}, {}
counts = {}  -- a global: done() reads each thread's with thread:get
local visitors = 10000
local delete_share = 1 / 5000
local sent_events = {}  -- visitors this thread sent events for, a DELETE picks one
local thread_count = 0
local threads = {}
local types = {"view", "view", "view", "click", "click", "add_to_cart", "purchase"}
local slots = {"similar", "also_bought", "complements", "reduced"}

function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
  threads[#threads + 1] = thread
end

local function read_lines(name)
  local lines = {}
  local file = assert(io.open(name, "r"), "soak.lua: cannot open " .. name)
  for line in file:lines() do
    if line ~= "" then lines[#lines + 1] = line end
  end
  file:close()
  return lines
end

function init(args)
  paths = read_lines(args[1] or "bench/perf/queries.txt")
  ids = read_lines(args[2] or "ids.txt")
  visitors = tonumber(args[3] or "10000")
  local every = tonumber(args[4] or "5000")
  delete_share = every > 0 and 1 / every or 0
  math.randomseed(101 + (thread_number or 0))
  counts = {}
end

local function visitor()
  return "s" .. math.random(visitors)
end

local function events_body(who)
  local events = {}
  for i = 1, 20 do
    local t = types[math.random(#types)]
    local event = '{"type":"' .. t .. '","visitor":"' .. who .. '","item":"' ..
                  ids[math.random(#ids)] .. '"'
    if t == "add_to_cart" or t == "purchase" then event = event .. ',"size":"M"' end
    events[i] = event .. "}"
  end
  return '{"events":[' .. table.concat(events, ",") .. "]}"
end

function request()
  local r = math.random()
  if r < 0.40 then
    return wrk.format("GET", paths[math.random(#paths)])
  elseif r < 0.65 then
    local path = paths[math.random(#paths)]
    local separator = string.find(path, "?", 1, true) and "&" or "?"
    return wrk.format("GET", path .. separator .. "visitor=" .. visitor())
  elseif r < 0.80 then
    local who = visitor()
    sent_events[#sent_events + 1] = who
    return wrk.format("POST", "/events", {["Content-Type"] = "application/json"},
                      events_body(who))
  elseif r < 1 - delete_share or #sent_events == 0 then
    return wrk.format("GET", "/recommendations?type=" .. slots[math.random(#slots)] ..
                      "&visitor=" .. visitor() .. "&item=" .. ids[math.random(#ids)] ..
                      "&limit=10")
  else
    local who = table.remove(sent_events, math.random(#sent_events))
    return wrk.format("DELETE", "/profiles/" .. who)
  end
end

function response(status, headers, body)
  local key = tostring(status)
  if status == 404 and string.find(body, "profile", 1, true) then key = "404-forgotten" end
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for key, n in pairs(c) do total[key] = (total[key] or 0) + n end
  end
  for key, n in pairs(total) do io.write("soak: " .. key .. " " .. n .. "\n") end
end
