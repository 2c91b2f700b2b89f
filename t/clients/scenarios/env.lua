-- What load() gives a module in every context: one environment for the
-- module and what it requires (the same ngx, each loaded once, package.loaded
-- untouched), coroutines that work in init_worker, set and log (where
-- ngx_lua disables its own), and an ngx.sleep that waits in them.
return function(ctx)
  local probe = ctx.load("envprobe")
  ctx.show("load() twice gives the same table", ctx.load("envprobe") == probe)
  ctx.show("package.loaded untouched", package.loaded.envprobe == nil,
           package.loaded["envprobe.part"] == nil)
  ctx.show("the required module shares the environment's ngx",
           probe.part.ngx == probe.ngx)
  ctx.show("load() of the required module gives the same table",
           ctx.load("envprobe.part") == probe.part)
  ctx.show("ngx.socket.tcp is this library's",
           probe.part.tcp == require("resty.luasocket").tcp)
  local sock = probe.part.tcp()
  ctx.show("its socket", ctx.sock_ok(sock), sock:close())
  ctx.show("create/resume/yield/status", probe.numbers(3))
  ctx.show("wrap", probe.echo({"a", "b", "stop"}))
  ctx.show("isyieldable and running inside a coroutine", probe.yieldable())
  ctx.show("ngx.sleep(0.05) waited", probe.nap(0.05))
end
