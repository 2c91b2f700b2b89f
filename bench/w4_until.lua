-- W4 (issue 6): a receiveuntil(boundary) reader. One stream: "UNTIL
-- <STREAM>" to build/bench-server, which sends STREAM bytes of text (lines
-- of 62 letters and digits and CRLF, so the boundary's first byte comes
-- every 64 bytes; a counter every 4 KiB, so that no two chunks are equal
-- strings, which Lua 5.1 and LuaJIT would intern), then BOUNDARY, then closes the connection. One step: one
-- call of the reader with 65536, which returns the next 65536 bytes before
-- the boundary (fewer just before it), then nil and no error once it is
-- reached; the stream's length is then checked and the next step opens
-- another. Units: bytes of body. MODE: until. Plain Lua (native socket):
--   <interp> bench/w4_until.lua until PORT SECONDS MAX   (see harness.lua)
-- and with BENCH_SOCKET=luasocket, LuaSocket's objects (W.luasocket), which
-- have no receiveuntil: the reader is written in Lua over receive(65536)
-- and string.find (as a shim over LuaSocket would).

local W = { modes = { ["until"] = true } }

local STREAM = 64 * 1048576 -- bench/client.c: BODY
local BOUNDARY = "\r\n--bench-boundary-3f9c2a" -- bench/server.c: BOUNDARY
local CHUNK = 65536
local TIMEOUT_MS = 5000

local find, sub = string.find, string.sub

local function fail(what, err)
  error("w4_until: " .. what .. ": " .. tostring(err), 0)
end

-- reader(sock): the iterator of a body. The calls in between are the same
-- on all three sockets.
local function streams(new_socket, port, luasocket, reader)
  local harness = require "harness"
  local function start(sock)
    local ok, err = sock:send("UNTIL " .. STREAM .. "\r\n")
    if not ok then fail("send", err) end
    local read = reader(sock)
    return function()
      local data, rerr = read(CHUNK)
      if data then return #data end
      if rerr then fail("reader", rerr) end
      return 0, true
    end
  end
  return harness.streams(harness.opener(new_socket, port, TIMEOUT_MS, luasocket, fail),
                         start, STREAM, "bytes", fail)
end

local function receiveuntil(sock)
  local read, err = sock:receiveuntil(BOUNDARY)
  if not read then fail("receiveuntil", err) end
  return read
end

function W.new(tcp, _, port)
  return streams(tcp, port, false, receiveuntil)
end

-- The reader over LuaSocket: what receive(CHUNK) brought and no call took
-- yet is `pending`; no boundary starts before its byte `from`.
local function luasocket_reader(sock)
  local pending, from, ended = "", 1, false
  local blen = #BOUNDARY
  return function(size)
    if ended then return nil end
    while true do
      local at = find(pending, BOUNDARY, from, true)
      local ready = at and at - 1 or #pending - blen + 1
      if at and ready == 0 then
        ended = true
        return nil
      end
      if ready >= size or at then
        local take = ready < size and ready or size
        local data = sub(pending, 1, take)
        pending = sub(pending, take + 1)
        from = (at or ready + 1) - take
        return data
      end
      from = ready > 0 and ready + 1 or 1
      local data, err, partial = sock:receive(CHUNK)
      if not data then
        if err ~= "closed" or partial == "" then return nil, err end
        data = partial
      end
      pending = pending .. data
    end
  end
end

function W.luasocket(socket, _, port)
  return streams(socket, port, true, luasocket_reader)
end

if ngx then
  return W -- required by harness.ngx_main
end
require("harness").main(W, arg)
