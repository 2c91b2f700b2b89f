-- The LuaJIT FFI path of the native socket's hot methods (the C side is
-- src/lua/tcp_ffi.c): calling a lua_CFunction ends a trace, so a loop of
-- requests compiles whole only if every method it calls each time goes
-- through the FFI: receive, send, receiveuntil's iterators, receiveany,
-- and settimeout, settimeouts, getreusedtimes, connect (when the pool has
-- a connection) and setkeepalive, which clients call around every
-- request. The native module requires this file when it
-- loads; under LuaJIT with the FFI it returns the installer, elsewhere nil
-- and the methods stay tcp.c's.
--
-- Only well-formed calls take the FFI path: receive() / receive("*l") /
-- receive("*a") / receive(n) with an integer n >= 1, send(s) of a string,
-- the calls () / (size) of an iterator of receiveuntil(pattern[,
-- options]), receiveany(max), settimeout(ms) and settimeouts(c, s, r) with
-- numbers (the C side reads them with tcp.c's conversions and declines
-- what tcp.c refuses), getreusedtimes(), connect(host, port) with a
-- string host and an integer port from 1 to 65535, setkeepalive() with
-- up to two numbers of 0 and above, on a native socket. Anything
-- else, and every outcome but plain success, goes through tcp.c's code, so
-- that errors, logging and partial data have one implementation.
--
-- LRLS_NO_FFI=1 in the environment keeps tcp.c's methods (for comparing
-- the two paths).

if type(jit) ~= "table" or os.getenv("LRLS_NO_FFI") == "1" then
    return nil
end
local ok, ffi = pcall(require, "ffi")
if not ok then
    return nil
end

local getmetatable, select, type, tonumber = getmetatable, select, type, tonumber
local jit_off = jit.off
local ffi_string, ffi_cast, ffi_new = ffi.string, ffi.cast, ffi.new

if not pcall(ffi.typeof, "lrls_tcp_ffi_api_t") then
    ffi.cdef [[
typedef struct {
    int (*receive)(void *ud, int kind, double size, const char **p, size_t *n);
    int (*send)(void *ud, const char *p, size_t n, size_t *sent);
    int (*until)(void *ud, void *state, double size, const char **p,
                 size_t *n);
    int (*receiveany)(void *ud, double max, const char **p, size_t *n);
    int (*settimeouts)(void *ud, double connect_ms, double send_ms,
                       double read_ms);
    int (*getreusedtimes)(void *ud, size_t *times);
    int (*connect)(void *ud, const char *host, size_t len, double port);
    int (*setkeepalive)(void *ud, double timeout, double size);
    void (*renew)(void *ud);
} lrls_tcp_ffi_api_t;
]]
end

local DONE, FINISH, ENDED = 0, 1, 3
local LINE, ALL, SIZE = 0, 1, 2
local SIZE_MAX = 2 ^ 31 - 1 -- larger sizes take tcp.c's path
local AHEAD = 16 -- sockets tcp() makes at a time

-- methods: the socket's method table; mt: its metatable; parts: the C side;
-- native: the module
return function(methods, mt, parts, native_module)
    local api = ffi_cast("const lrls_tcp_ffi_api_t *", parts.api)
    local c_receive, c_send = methods.receive, methods.send
    local c_receiveuntil, c_receiveany = methods.receiveuntil, methods.receiveany
    local c_settimeout, c_settimeouts = methods.settimeout, methods.settimeouts
    local c_getreusedtimes = methods.getreusedtimes
    local c_connect, c_setkeepalive = methods.connect, methods.setkeepalive
    local finish_receive, finish_send = parts.finish_receive, parts.finish_send
    local finish_keepalive = parts.finish_keepalive
    local until_state = parts.until_state
    -- out-parameters: read right after the call, before anything can run
    local out_p = ffi_new("const char *[1]")
    local out_n = ffi_new("size_t[1]")

    -- a native socket: a table given the socket's metatable is not one,
    -- and the FFI cannot take it (tcp.c says what ngx_lua would)
    local function native(self)
        return type(self) == "userdata" and getmetatable(self) == mt
    end

    -- the string of a read that ended DONE (the C side consumed its
    -- bytes, which stay in place until the socket's next read)
    local function take()
        return ffi_string(out_p[0], out_n[0])
    end

    -- every way out to tcp.c is a tail call with the arguments as given,
    -- so that its errors name the caller's line and count the arguments
    -- the caller passed
    methods.receive = function(...)
        local n = select("#", ...)
        local self, pat = ...
        local kind, size = LINE, 0
        if n == 2 then
            if pat == "*l" then
                kind = LINE
            elseif pat == "*a" then
                kind = ALL
            elseif type(pat) == "number" and pat >= 1 and pat <= SIZE_MAX
                   and pat % 1 == 0 then
                kind, size = SIZE, pat
            else
                return c_receive(...)
            end
        elseif n ~= 1 then
            return c_receive(...)
        end
        if not native(self) then
            return c_receive(...)
        end
        local st = api.receive(self, kind, size, out_p, out_n)
        if st == DONE then
            return take()
        elseif st == FINISH then
            return finish_receive(self)
        end
        return c_receive(...)
    end

    methods.send = function(...)
        if select("#", ...) == 2 then
            local self, data = ...
            if type(data) == "string" and native(self) then
                local st = api.send(self, data, #data, out_n)
                if st == DONE then
                    return tonumber(out_n[0])
                elseif st == FINISH then
                    return finish_send(self)
                end
            end
        end
        return c_send(...)
    end
    -- receiveuntil(pattern[, {inclusive = bool}]) with a non-empty string
    -- pattern: tcp.c makes the iterator (and checks everything), then its
    -- well-formed calls, () and (size) with an integer size, take the FFI
    methods.receiveuntil = function(...)
        local n = select("#", ...)
        local self, pat, opts = ...
        if type(pat) ~= "string" or #pat == 0 or not native(self)
           or not (n == 2 or n == 3 and type(opts) == "table"
                   and getmetatable(opts) == nil
                   and (opts.inclusive == nil
                        or type(opts.inclusive) == "boolean")) then
            return c_receiveuntil(...)
        end
        local iter = c_receiveuntil(...)
        local state = until_state(iter)
        return function(...)
            local k = select("#", ...)
            local size = 0
            if k == 1 then
                size = ...
                if type(size) ~= "number" or size < 0 or size > SIZE_MAX
                   or size % 1 ~= 0 then
                    return iter(...)
                end
            elseif k ~= 0 then
                return iter(...)
            end
            local st = api["until"](self, state, size, out_p, out_n)
            if st == DONE then
                return take()
            elseif st == FINISH then
                return finish_receive(self)
            elseif st == ENDED then
                return nil, nil, nil
            end
            return iter(...)
        end
    end

    methods.receiveany = function(...)
        if select("#", ...) == 2 then
            local self, max = ...
            if type(max) == "number" and native(self) then
                local st = api.receiveany(self, max, out_p, out_n)
                if st == DONE then
                    return take()
                elseif st == FINISH then
                    return finish_receive(self)
                end
            end
        end
        return c_receiveany(...)
    end

    -- both return nothing, as tcp.c's (and ngx_lua's) do
    methods.settimeout = function(...)
        if select("#", ...) == 2 then
            local self, ms = ...
            if type(ms) == "number" and native(self)
               and api.settimeouts(self, ms, ms, ms) == DONE then
                return
            end
        end
        return c_settimeout(...)
    end

    methods.settimeouts = function(...)
        if select("#", ...) == 4 then
            local self, c, s, r = ...
            if type(c) == "number" and type(s) == "number"
               and type(r) == "number" and native(self)
               and api.settimeouts(self, c, s, r) == DONE then
                return
            end
        end
        return c_settimeouts(...)
    end

    -- connect(host, port): only a pooled connection is taken here; tcp.c
    -- makes a new one (and does the rest: names, options, errors)
    methods.connect = function(...)
        if select("#", ...) == 3 then
            local self, host, port = ...
            if type(host) == "string" and type(port) == "number"
               and port >= 1 and port <= 65535 and port % 1 == 0
               and native(self)
               and api.connect(self, host, #host, port) == DONE then
                return 1
            end
        end
        return c_connect(...)
    end

    -- setkeepalive([timeout[, size]]) with numbers of 0 and above; the C
    -- side takes -1 for an argument not given
    methods.setkeepalive = function(...)
        local n = select("#", ...)
        if n >= 1 and n <= 3 then
            local self, timeout, size = ...
            if (timeout == nil or type(timeout) == "number" and timeout >= 0)
               and (size == nil or type(size) == "number" and size >= 0)
               and native(self) then
                local st = api.setkeepalive(self, timeout or -1, size or -1)
                if st == DONE then
                    return 1
                elseif st == FINISH then
                    return finish_keepalive(self)
                end
            end
        end
        return c_setkeepalive(...)
    end

    -- tcp(): making a socket is a classic call, and a loop that makes one
    -- per request would stitch its trace there (and now and then runs
    -- interpreted whole, FFI calls included, when the stitched trace is
    -- lost). Sockets are made AHEAD at a time, in one call, and handed out
    -- one by one; renew gives each the read settings of a socket made now.
    -- Anything but a call with no arguments is the C function's to refuse.
    local c_tcp, new_sockets = native_module.tcp, parts.new_sockets
    local ahead, nahead = {}, 0
    -- never compiled: a trace being recorded through a refill aborts, and
    -- is recorded again from another call, rather than end stitched at
    -- new_sockets (a loop whose trace was recorded that way never closes)
    local function refill()
        return new_sockets(ahead, AHEAD)
    end
    jit_off(refill)
    native_module.tcp = function(...)
        if select("#", ...) ~= 0 then
            return c_tcp(...)
        end
        if nahead == 0 then
            nahead = refill()
        end
        local s = ahead[nahead]
        ahead[nahead] = nil
        nahead = nahead - 1
        api.renew(s)
        return s
    end

    methods.getreusedtimes = function(...)
        if select("#", ...) == 1 then
            local self = ...
            if native(self) and api.getreusedtimes(self, out_n) == DONE then
                return tonumber(out_n[0])
            end
        end
        return c_getreusedtimes(...)
    end
    return true
end
