-- wrk script for mixed load: each connection cycles through the paths given after "--".
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local paths = {}
local next_index = 0

init = function(args)
  for _, p in ipairs(args) do paths[#paths + 1] = p end
  if #paths == 0 then paths[1] = "/" end
end

request = function()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end
