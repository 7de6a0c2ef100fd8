-- wrk script: the /search paths of search.lua, each for a random visitor "v1".."vN", so
-- that (after events.lua has run) most searches are personalized.
--   wrk ... -s bench/perf/personal_search.lua URL -- QUERIES [VISITORS [EXTRA]]
-- EXTRA is appended to every query string, e.g. "personalize=false" for the same visitors'
-- searches ranked without their profiles.

local paths = {}
local next_index = 1
local thread_count = 0
local visitors = 100000
local extra = ""

function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local file_name = args[1] or "bench/perf/queries.txt"
  visitors = tonumber(args[2] or "100000")
  if args[3] and args[3] ~= "" then extra = "&" .. args[3] end
  local file = assert(io.open(file_name, "r"), "personal_search.lua: cannot open " .. file_name)
  for line in file:lines() do
    if line ~= "" then paths[#paths + 1] = line end
  end
  file:close()
  math.randomseed(11 + (thread_number or 0))
  next_index = ((thread_number or 0) * 997) % #paths + 1
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  local separator = string.find(path, "?", 1, true) and "&" or "?"
  return wrk.format("GET", path .. separator .. "visitor=v" .. math.random(visitors) .. extra)
end
