-- The nginx side of the differential suite: content_by_lua handler.
-- GET /case?name=NAME&port=N&path=P runs t/diff/cases/NAME.lua with
-- ngx.socket.tcp and answers with what the case printed.

local harness = require "harness"

local M = {}

function M.handle()
  local args = ngx.req.get_uri_args()
  local name = args.name
  local lines = {}
  local function emit(line) lines[#lines + 1] = line end
  if type(name) ~= "string" or not name:match("^[%w_]+$") then
    ngx.status = 400
    ngx.say("bad case name")
    return
  end
  local ctx = harness.context(ngx.socket.tcp, tonumber(args.port), args.path,
                              emit, ngx.sleep)
  ctx.ngx = ngx
  harness.run(ngx.var.diff_root, name, ctx, emit)
  lines[#lines + 1] = ""
  ngx.print(table.concat(lines, "\n"))
end

return M
