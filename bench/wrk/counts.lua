dofile(os.getenv("KIZUNA_WRK_DIR") .. "/common.lua")
request = function()
  return wrk.format("GET", "/api/v1/views/counts")
end
