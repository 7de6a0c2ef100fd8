-- wrk script: GET /recommendations as a shop's product pages and cart ask for their slots:
-- a quarter each of similar and also_bought for a random product, complements and reduced
-- for a random visitor "v1".."vN" (after events.lua has run, most have profiles).
--   wrk ... -s bench/perf/recommendations.lua URL -- IDS [VISITORS]
-- Paths are built once in init(), so Lua costs little per request.

local paths = {}
local next_path = 1
local thread_count = 0
local kPaths = 2000

function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

local function escape(text)
  return (string.gsub(text, "[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function init(args)
  local file_name = args[1] or "ids.txt"
  local visitors = tonumber(args[2] or "100000")
  local ids = {}
  local file = assert(io.open(file_name, "r"), "recommendations.lua: cannot open " .. file_name)
  for line in file:lines() do
    if line ~= "" then ids[#ids + 1] = line end
  end
  file:close()
  assert(#ids > 0, "recommendations.lua: no ids in " .. file_name)
  math.randomseed(13 + (thread_number or 0))
  for p = 1, kPaths do
    local visitor = "v" .. math.random(visitors)
    local item = escape(ids[math.random(#ids)])
    local kind = p % 4
    if kind == 0 then
      paths[p] = "/recommendations?type=similar&item=" .. item .. "&visitor=" .. visitor
    elseif kind == 1 then
      paths[p] = "/recommendations?type=also_bought&item=" .. item .. "&visitor=" .. visitor
    elseif kind == 2 then
      paths[p] = "/recommendations?type=complements&visitor=" .. visitor
    else
      paths[p] = "/recommendations?type=reduced&visitor=" .. visitor
    end
  end
end

function request()
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", path)
end
