-- resty.socket: the same module table as resty.luasocket, under the name
-- that the earlier lua-resty-socket used, so its users need not change code.
return require "resty.luasocket"
