-- Fault injection over plain TCP (SPEC 7: "a peer that misbehaves").
--
-- One conversation: the client sends a request; the peer answers with three
-- lines, a sized body, a part that ends with a receiveuntil pattern, a part
-- read with a sized iterator, and a tail read with '*a'. build/peer breaks
-- that answer at a byte offset (after:N:FAULT): reset, close, half-close,
-- stall, drip, flood or flip one byte. A model of the reads, written from
-- ngx_lua's documented behaviour (t/diff/FACTS.md), says what each call
-- must return for the bytes that the client really gets; every call is
-- compared with it, including the error string and the partial data, and
-- every call is timed.
--
-- By default every offset is tried for the faults that cost no waiting and
-- a selection for stall and drip (each costs time); FAULT_FULL=1 or
-- FAULT_TCP_FULL=1 tries every offset of every fault (the `fault` suite of
-- tests/run.sh sets FAULT_TCP_FULL).

local native = require "resty.luasocket.native"
local helper = require "helper"

local FULL = os.getenv("FAULT_FULL") == "1" or os.getenv("FAULT_TCP_FULL") == "1"

local REQUEST = "GET /x\r\n"
local PAT = "--END--"
local ANSWER = "200 OK\r\nsize: 10\r\n\r\n0123456789abc-def\r\n" .. PAT
               .. "xyz-" .. PAT .. "tail"
local LONG = 5000       -- ms: every timeout that must not expire
local STALL = 100       -- ms: the read timeout of the call that meets a stall
local FLOOD = 200000    -- bytes a flood inserts

-- the client's calls, in order: {kind, arg}; the two iterators are made
-- once per conversation (u1: no size; u2: size 2)
local CALLS = {
    {"line"}, {"line"}, {"line"}, {"size", 10},
    {"until", "u1"},
    {"until", "u2", 2}, {"until", "u2", 2}, {"until", "u2", 2}, {"until", "u2", 2},
    {"all"},
}

local ERRTEXT = {closed = "closed", reset = "connection reset by peer", timeout = "timeout"}

-- ---- the model ---------------------------------------------------------------

-- the first position j >= p where s:sub(j) is a (proper, non-empty) prefix
-- of pat: the bytes a receiveuntil iterator holds back; #s + 1 if none
local function hold_at(s, p, pat)
    for j = math.max(p, #s - #pat + 2), #s do
        local rest = s:sub(j)
        if #rest < #pat and pat:sub(1, #rest) == rest then return j end
    end
    return #s + 1
end

-- expected(s, term): what each call of CALLS returns when the client gets
-- exactly the bytes s, then term ("closed": EOF, "reset": RST, "timeout":
-- nothing more). A list of packed results; it ends at the first error.
local function expected(s, term)
    local p, ended, out = 1, {}, {}
    local function fail(partial)
        out[#out + 1] = helper.pack(nil, ERRTEXT[term], partial)
        return true
    end
    for _, c in ipairs(CALLS) do
        local kind, stop = c[1], false
        if kind == "line" then
            local nl = s:find("\n", p, true)
            if nl then
                out[#out + 1] = helper.pack((s:sub(p, nl - 1):gsub("\r", "")))
                p = nl + 1
            else
                stop = fail((s:sub(p):gsub("\r", "")))
            end
        elseif kind == "size" then
            if #s - p + 1 >= c[2] then
                out[#out + 1] = helper.pack(s:sub(p, p + c[2] - 1))
                p = p + c[2]
            else
                stop = fail(s:sub(p))
            end
        elseif kind == "until" then
            local size = c[3] or 0
            if ended[c[2]] then
                ended[c[2]] = false
                out[#out + 1] = helper.pack(nil, nil, nil)
            else
                local m = s:find(PAT, p, true)
                if m and size > 0 and m - p >= size then
                    out[#out + 1] = helper.pack(s:sub(p, p + size - 1))
                    p = p + size
                elseif m then
                    out[#out + 1] = helper.pack(s:sub(p, m - 1))
                    p = m + #PAT
                    ended[c[2]] = size > 0
                else
                    local h = hold_at(s, p, PAT)
                    if size > 0 and h - p >= size then
                        out[#out + 1] = helper.pack(s:sub(p, p + size - 1))
                        p = p + size
                    else
                        stop = fail(s:sub(p, h - 1))
                    end
                end
            end
        elseif kind == "all" then
            if term == "closed" then
                out[#out + 1] = helper.pack(s:sub(p))
            else
                stop = fail(s:sub(p))
            end
        end
        if stop then break end
    end
    return out
end

-- ---- the faults ----------------------------------------------------------------

local function flip_at(s, k)
    if k >= #s then return s end
    return s:sub(1, k) .. string.char(255 - s:byte(k + 1)) .. s:sub(k + 2)
end

-- name -> {fault = the after:N: part, stream = what the client gets for
-- offset k, term = how the stream ends}
local FAULTS = {
    reset = {fault = "reset", term = "reset"},
    close = {fault = "close", term = "closed"},
    shutdown = {fault = "shutdown", term = "closed"},
    stall = {fault = "stall", term = "timeout"},
    drip = {fault = "drip:1", term = "closed", whole = true},
    flood = {fault = "flood:" .. FLOOD, term = "closed",
             stream = function(k) return ANSWER:sub(1, k) .. ("x"):rep(FLOOD) .. ANSWER:sub(k + 1) end},
    flip = {fault = "flip", term = "closed", stream = function(k) return flip_at(ANSWER, k) end},
}

local function escape(s)
    return (s:gsub("[^%w]", function(c) return string.format("\\x%02x", c:byte()) end))
end

-- the offsets tried: all of them, or (stall, drip: each costs time) those
-- at and just before the ends of the answer's parts and two inside the
-- patterns, and for drip every 6th too
local BOUNDS = {0, 8, 18, 20, 30, 39, 46, 50, 57, #ANSWER}
local function offsets(name)
    local pick = {}
    for k = 0, #ANSWER do
        pick[k] = FULL or (name ~= "stall" and name ~= "drip") or (name == "drip" and k % 6 == 0)
    end
    for _, b in ipairs(BOUNDS) do
        pick[b] = true
        if b > 0 then pick[b - 1] = true end
    end
    pick[42], pick[53] = true, true
    local list = {}
    for k = 0, #ANSWER do
        if pick[k] then list[#list + 1] = k end
    end
    return list
end

-- a value for a message, the same under every interpreter
local function show(v)
    if type(v) ~= "string" then return tostring(v) end
    local function quote(s)
        return '"' .. s:gsub("[^%w%s%p]", function(c) return string.format("\\x%02x", c:byte()) end)
                        :gsub("[\r\n]", {["\r"] = "\\r", ["\n"] = "\\n"}) .. '"'
    end
    if #v > 40 then return string.format("<%d bytes %s...>", #v, quote(v:sub(1, 20))) end
    return quote(v)
end

local function show_pack(r)
    local parts = {}
    for i = 1, r.n do parts[i] = show(r[i]) end
    return "(" .. table.concat(parts, ", ") .. ")"
end

local function same(a, b)
    if a.n ~= b.n then return false end
    for i = 1, a.n do
        if a[i] ~= b[i] then return false end
    end
    return true
end

local function call(sock, iters, c)
    local kind = c[1]
    if kind == "line" then return helper.pack(sock:receive()) end
    if kind == "size" then return helper.pack(sock:receive(c[2])) end
    if kind == "all" then return helper.pack(sock:receive("*a")) end
    if c[3] then return helper.pack(iters[c[2]](c[3])) end
    return helper.pack(iters[c[2]]())
end

-- one conversation against a peer that breaks the answer at offset k;
-- returns nil, or a description of what went wrong
local function converse(peer_port, spec, k)
    local stream = spec.whole and ANSWER or spec.stream and spec.stream(k) or ANSWER:sub(1, k)
    local want = expected(stream, spec.term)
    local sock = native.tcp()
    sock:settimeout(LONG)
    local ok, err = sock:connect("127.0.0.1", peer_port)
    if ok ~= 1 then return "connect: " .. tostring(err) end
    local iters = {u1 = sock:receiveuntil(PAT), u2 = sock:receiveuntil(PAT)}
    local t0 = native.now()
    if sock:send(REQUEST) ~= #REQUEST then
        sock:close()
        return "send failed"
    end
    for i, w in ipairs(want) do
        local stalls = spec.term == "timeout" and w[1] == nil and w[2] == "timeout"
        if stalls then sock:settimeout(STALL) end
        local t1 = native.now()
        local got = call(sock, iters, CALLS[i])
        local took = native.now() - t1
        if not same(got, w) then
            sock:close()
            return string.format("call %d (%s): got %s, want %s", i, CALLS[i][1],
                                 show_pack(got), show_pack(w))
        end
        if stalls and (took < STALL / 1000 - 0.02 or took > STALL / 1000 + 1.5) then
            sock:close()
            return string.format("call %d timed out after %.3f s (timeout %d ms)", i, took, STALL)
        end
    end
    local last = want[#want]
    if last[1] == nil and last[2] ~= "timeout" then
        -- a read error other than a timeout closed the reading half
        local again = helper.pack(sock:receive())
        if not same(again, helper.pack(nil, "closed")) then
            sock:close()
            return "the read after the error: " .. show_pack(again)
        end
    end
    local took = native.now() - t0
    local closed = helper.pack(sock:close())
    if not same(closed, helper.pack(1)) then return "close(): " .. show_pack(closed) end
    -- nothing waited for a timeout it should not have met
    local bound = 3 + (spec.term == "timeout" and STALL / 1000 or 0)
                  + (spec.whole and #ANSWER * 0.02 or 0)
    if took > bound then return string.format("took %.3f s", took) end
end

describe("fault injection (TCP): the answer broken at every byte offset", function()
    it("the model agrees with an answer that arrives whole", function()
        local want = expected(ANSWER, "closed")
        local values = {}
        for i, r in ipairs(want) do values[i] = show_pack(r) end
        assert.equal(table.concat({'("200 OK")', '("size: 10")', '("")', '("0123456789")',
                                   '("abc-def\\r\\n")', '("xy")', '("z-")', '("")',
                                   '(nil, nil, nil)', '("tail")'}, " "),
                     table.concat(values, " "))
        -- and a stream cut inside the pattern holds the partial match back
        local cut = expected(ANSWER:sub(1, 45), "reset")
        assert.equal('(nil, "connection reset by peer", "abc-def\\r\\n")', show_pack(cut[#cut]))
    end)

    for _, name in ipairs({"reset", "close", "shutdown", "stall", "drip", "flood", "flip"}) do
        local spec = FAULTS[name]
        local list = offsets(name)
        it(name .. " at " .. #list .. " offsets: the documented error, the partial data, in time",
           function()
            helper.collect()
            local before = helper.socket_count()
            local problems = {}
            -- one peer: its connection number N gets the fault at offset N;
            -- offsets not tried get a connection closed at once
            local peer = helper.peer("recvline;after:#:" .. spec.fault .. ";send:"
                                     .. escape(ANSWER) .. ";close", {max_seconds = 120})
            local next_conn = 0
            for _, k in ipairs(list) do
                while next_conn < k do
                    local skip = native.tcp()
                    skip:settimeout(LONG)
                    assert.returns({1}, skip:connect("127.0.0.1", peer.port))
                    skip:close()
                    next_conn = next_conn + 1
                end
                local why = converse(peer.port, spec, k)
                next_conn = next_conn + 1
                if why then problems[#problems + 1] = "offset " .. k .. ": " .. why end
                if #problems >= 5 then break end
            end
            peer.stop()
            assert.equal("", table.concat(problems, "\n"))
            helper.collect()
            assert.equal(before, helper.socket_count(), "sockets before and after")
        end)
    end
end)
