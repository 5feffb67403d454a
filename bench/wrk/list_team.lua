dofile(os.getenv("KIZUNA_WRK_DIR") .. "/common.lua")
request = function()
  return wrk.format("GET", "/api/v1/tickets?team_id=" .. math.random(1, 10) .. "&status=unsolved&sort=updated_at&limit=25")
end
