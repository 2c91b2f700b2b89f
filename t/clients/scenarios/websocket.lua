-- Debian's lua-nginx-websocket client (nginx.websocket.client 0.08,
-- unmodified; it requires nginx.websocket.protocol, which needs LuaJIT's
-- FFI) against an nginx websocket echo server (the same package's server
-- module): text, binary, ping/pong, a fragmented message, 200 KB frames,
-- close codes, and wss with verification.
return function(ctx)
  local client = ctx.load("nginx.websocket.client")
  ctx.say("version ", client._VERSION)

  local function open(uri, opts, max)
    local wb = assert(client:new({timeout = 5000,
                                  max_payload_len = max or 1048576}))
    local ok, err = wb:connect(uri, opts)
    ctx.say("connect ", uri:match("^%a+"), ": ", ok, " ", err, ", socket ",
            wb.sock and ctx.sock_ok(wb.sock))
    return ok and wb
  end

  local function echo(wb, what)
    local data, typ, err = wb:recv_frame()
    ctx.say(what, ": ", data, " ", typ, " ", err)
  end

  local wb = open("ws://127.0.0.1:" .. ctx.env.http_port .. "/ws")
  if wb then
    ctx.show("send_text", wb:send_text("hello"))
    echo(wb, "text")
    ctx.show("send_binary", wb:send_binary("\0\1\2\255"))
    echo(wb, "binary")
    ctx.show("send_ping", wb:send_ping("are you there"))
    echo(wb, "pong")
    ctx.say("fragments: ", wb:send_frame(false, 0x1, "frag1 "),
            wb:send_frame(false, 0x0, "frag2 "), wb:send_frame(true, 0x0, "frag3"))
    echo(wb, "fragment 1")
    echo(wb, "fragment 2")
    echo(wb, "fragment 3")
    local big = ("0123456789abcdef"):rep(12800)
    ctx.show("send 200 KB", wb:send_binary(big))
    echo(wb, "200 KB echo")
    wb:close()
  end

  -- the client's own bound: 200 KB over a max_payload_len of 100000
  wb = open("ws://127.0.0.1:" .. ctx.env.http_port .. "/ws", nil, 100000)
  if wb then
    ctx.show("send 200 KB", wb:send_binary(("0123456789abcdef"):rep(12800)))
    echo(wb, "over max_payload_len")
  end

  wb = open("ws://127.0.0.1:" .. ctx.env.http_port .. "/ws")
  if wb then
    ctx.show("send_close", wb:send_close(4001, "bye"))
    echo(wb, "close echo")
    ctx.show("closed", wb:send_text("after close"))
  end

  wb = open("wss://localhost:" .. ctx.env.https_port .. "/ws",
            {ssl_verify = true})
  if wb then
    ctx.show("wss send_text", wb:send_text("over tls"))
    echo(wb, "wss text")
    ctx.show("wss close", wb:send_close(1000, "done"))
    echo(wb, "wss close echo")
  end
  ctx.say("bad uri: ", assert(client:new()):connect("http://x/"))
end
