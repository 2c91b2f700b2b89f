-- peer: none
-- The core methods exist and are functions (pool and TLS methods come with
-- their own issues).
local ctx = ...
local s = ctx.tcp()
for _, name in ipairs({ "bind", "close", "connect", "receive", "receiveany", "receiveuntil",
                        "send", "setoption", "settimeout", "settimeouts" }) do
  ctx.say(name, ": ", type(s[name]))
end
