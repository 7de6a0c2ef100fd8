-- wrk script: cycles through realistic /search request paths, one per line of the file
-- given after "--" (default bench/perf/queries.txt, relative to the working directory).
-- Each thread starts at a different offset so that the threads do not move in lockstep.
--   wrk -t2 -c32 -d20s --latency -s bench/perf/search.lua http://127.0.0.1:PORT -- FILE

local paths = {}
local next_index = 1
local thread_count = 0

function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local file_name = args[1] or "bench/perf/queries.txt"
  local file = assert(io.open(file_name, "r"), "search.lua: cannot open " .. file_name)
  for line in file:lines() do
    if line ~= "" then paths[#paths + 1] = line end
  end
  file:close()
  assert(#paths > 0, "search.lua: no queries in " .. file_name)
  next_index = ((thread_number or 0) * 997) % #paths + 1
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end
