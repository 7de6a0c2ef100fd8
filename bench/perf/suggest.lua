-- wrk script: GET /suggest as a search box sends it, one request per keystroke: every prefix
-- (from 2 characters) of the q of each /search path in the file given after "--" (default
-- bench/perf/queries.txt), for a random visitor "v1".."vN".
--   wrk ... -s bench/perf/suggest.lua URL -- QUERIES [VISITORS]
-- Paths are built once in init(), so Lua costs little per request.

local paths = {}
local next_index = 1
local thread_count = 0

function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

local function unescape(text)
  text = string.gsub(text, "%+", " ")
  return (string.gsub(text, "%%(%x%x)", function(hex) return string.char(tonumber(hex, 16)) end))
end

local function escape(text)
  return (string.gsub(text, "[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function init(args)
  local file_name = args[1] or "bench/perf/queries.txt"
  local visitors = tonumber(args[2] or "100000")
  local file = assert(io.open(file_name, "r"), "suggest.lua: cannot open " .. file_name)
  math.randomseed(29 + (thread_number or 0))
  for line in file:lines() do
    local q = string.match(line, "[?&]q=([^&]*)")
    if q then
      q = string.lower(unescape(q))
      for n = 2, #q do
        paths[#paths + 1] = "/suggest?q=" .. escape(string.sub(q, 1, n)) .. "&visitor=v" ..
                            math.random(visitors)
      end
    end
  end
  file:close()
  assert(#paths > 0, "suggest.lua: no queries in " .. file_name)
  next_index = ((thread_number or 0) * 997) % #paths + 1
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end
