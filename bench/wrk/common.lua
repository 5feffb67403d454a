-- Shared by the Kizuna wrk scripts: bearer token and ticket count from the arguments.
token = nil
tickets = 1
function init(args)
  token = args[1]
  tickets = tonumber(args[2] or "1")
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
