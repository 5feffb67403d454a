dofile(os.getenv("KIZUNA_WRK_DIR") .. "/common.lua")
request = function()
  local body = '{"subject":"Bench 注文が届きません","body":"Where is my order?","requester":{"email":"bench'
      .. math.random(1, 100000) .. '@example.com"},"team_id":' .. math.random(1, 10) .. ',"tags":["bench"]}'
  return wrk.format("POST", "/api/v1/tickets", nil, body)
end
