-- The codecs, digests, clock, argument helpers and constants of the
-- plain-Lua ngx (resty.luasocket.ngx): what the t/diff cases 230-249
-- cannot compare with nginx (the current time, large inputs, random
-- garbage) and the published test vectors.

local ngx = require "resty.luasocket.ngx"
local native = require "resty.luasocket.native"
local SCALE = require("helper").SCALE

local math_type = math.type -- luacheck: ignore 143

local function hex(s)
    return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

-- a fixed pseudo-random sequence, the same under every interpreter
local seed = 20230
local function rnd(n)
    seed = (seed * 16807) % 2147483647
    return seed % n
end
local function random_bytes(n)
    local t = {}
    for i = 1, n do t[i] = string.char(rnd(256)) end
    return table.concat(t)
end

describe("plain-Lua ngx codecs", function()
    it("are native.codec's functions", function()
        for _, name in ipairs({"encode_base64", "decode_base64", "md5", "md5_bin",
                               "sha1_bin", "hmac_sha1", "crc32_short", "crc32_long"}) do
            assert.equal(native.codec[name], ngx[name], name)
        end
    end)

    it("encode and decode RFC 4648's base64 vectors", function()
        local vectors = {[""] = "", f = "Zg==", fo = "Zm8=", foo = "Zm9v",
                         foob = "Zm9vYg==", fooba = "Zm9vYmE=", foobar = "Zm9vYmFy"}
        for plain, encoded in pairs(vectors) do
            assert.equal(encoded, ngx.encode_base64(plain))
            assert.equal((encoded:gsub("=", "")), ngx.encode_base64(plain, true))
            assert.equal(plain, ngx.decode_base64(encoded))
            assert.equal(plain, ngx.decode_base64((encoded:gsub("=", ""))))
        end
    end)

    it("digest RFC 1321's and FIPS 180's vectors", function()
        assert.equal("d41d8cd98f00b204e9800998ecf8427e", ngx.md5(""))
        assert.equal("900150983cd24fb0d6963f7d28e17f72", ngx.md5("abc"))
        assert.equal("57edf4a22be3c955ac49da2e2107b67a",
                     ngx.md5(string.rep("1234567890", 8)))
        assert.equal("900150983cd24fb0d6963f7d28e17f72", hex(ngx.md5_bin("abc")))
        assert.equal("a9993e364706816aba3e25717850c26c9cd0d89d", hex(ngx.sha1_bin("abc")))
        assert.equal("84983e441c3bd26ebaae4aa1f95129e5e54670f1",
                     hex(ngx.sha1_bin("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))
        assert.equal("34aa973cd4c4daa4f61eeb2bdbad27316534016f",
                     hex(ngx.sha1_bin(string.rep("a", 1000000))))
        assert.equal("b617318655057264e28bc0b6fb378c8ef146be00",
                     hex(ngx.hmac_sha1(string.rep("\11", 20), "Hi There")))
        assert.equal("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
                     hex(ngx.hmac_sha1("Jefe", "what do ya want for nothing?")))
    end)

    it("compute zlib's CRC-32 as an unsigned whole number", function()
        assert.equal(0xcbf43926, ngx.crc32_short("123456789"))
        assert.equal(0xcbf43926, ngx.crc32_long("123456789"))
        assert.equal(0x414fa339, ngx.crc32_long("The quick brown fox jumps over the lazy dog"))
        assert.equal(0, ngx.crc32_long(""))
        assert.equal("3421780262", tostring(ngx.crc32_long("123456789")))
        if math_type then
            assert.equal("integer", math_type(ngx.crc32_short("x")))
        end
    end)

    it("handle inputs of several MiB", function()
        local chunk = random_bytes(4096)
        local big = string.rep(chunk, 2048 / SCALE) -- 8 MiB
        local e = ngx.encode_base64(big)
        local b64 = math.floor((#big + 2) / 3) * 4
        assert.equal(b64, #e)
        assert.equal(big, ngx.decode_base64(e))
        assert.equal(b64 - (3 - #big % 3) % 3, #ngx.encode_base64(big, true))
        assert.equal(big, ngx.decode_base64(ngx.encode_base64(big, true)))
        assert.equal(32, #ngx.md5(big))
        assert.equal(20, #ngx.sha1_bin(big))
        assert.equal(20, #ngx.hmac_sha1(big, big))
        assert.equal(ngx.crc32_short(big), ngx.crc32_long(big))
        -- a digest of the parts differs from the whole: nothing is cut off
        assert.not_equal(ngx.md5(big:sub(1, -2)), ngx.md5(big))
    end)

    it("refuse garbage without crashing", function()
        for _ = 1, 2000 do
            local s = random_bytes(rnd(40))
            local d = ngx.decode_base64(s)
            assert.truthy(d == nil or type(d) == "string")
            assert.is_string(ngx.encode_base64(s))
            assert.is_number(ngx.crc32_long(s))
        end
        assert.is_nil(ngx.decode_base64(string.rep("A", 1000001)))
        assert.equal(750000, #ngx.decode_base64(string.rep("A", 1000000)))
    end)
end)

describe("plain-Lua ngx clock", function()
    -- two reads in the same second, or give up after a few tries
    local function same_second(f)
        for _ = 1, 5 do
            local before = os.time()
            local a, b = f()
            if os.time() == before then return a, b end
        end
        error("the clock kept moving")
    end

    it("reads the clock at each call", function()
        local t = ngx.time()
        assert.is_number(t)
        assert.equal(math.floor(t), t)
        assert.truthy(math.abs(t - os.time()) <= 1)
        assert.truthy(math.abs(ngx.now() - t) < 2)
        if math_type then assert.equal("integer", math_type(t)) end
        assert.equal(0, select("#", ngx.update_time()))
    end)

    it("gives today, localtime and utctime as os.date does", function()
        assert.equal(same_second(function() return os.date("%Y-%m-%d"), ngx.today() end))
        assert.equal(same_second(function()
            return os.date("%Y-%m-%d %H:%M:%S"), ngx.localtime()
        end))
        assert.equal(same_second(function()
            return os.date("!%Y-%m-%d %H:%M:%S"), ngx.utctime()
        end))
        assert.matches("^%d%d%d%d%-%d%d%-%d%d$", ngx.today())
    end)

    it("formats http_time and cookie_time as os.date does, 1970 to 9999", function()
        for i = 1, 3000 do
            local t = i < 1500 and rnd(2 ^ 31 - 1) * 2 + rnd(2)
                      or rnd(2 ^ 31 - 1) * 118 + rnd(118)
            assert.equal(os.date("!%a, %d %b %Y %H:%M:%S GMT", t), ngx.http_time(t))
            local y = tonumber(os.date("!%Y", t))
            local cookie = y > 2037 and "!%a, %d-%b-%Y %H:%M:%S GMT"
                           or "!%a, %d-%b-%y %H:%M:%S GMT"
            assert.equal(os.date(cookie, t), ngx.cookie_time(t))
        end
        -- every day of four years around a leap century
        for day = 10957 - 800, 10957 + 800 do
            local t = day * 86400 + 43210
            assert.equal(os.date("!%a, %d %b %Y %H:%M:%S GMT", t), ngx.http_time(t))
        end
    end)

    it("parses what http_time, cookie_time and asctime write", function()
        for _ = 1, 3000 do
            local t = rnd(2 ^ 31 - 1) * (rnd(4) == 0 and 100 or 1)
            assert.equal(t, ngx.parse_http_time(ngx.http_time(t)))
            assert.equal(t, ngx.parse_http_time(os.date("!%a %b %e %H:%M:%S %Y", t)))
            if t < 2145916800 then -- two year digits up to 2037
                assert.equal(t, ngx.parse_http_time(ngx.cookie_time(t)))
            end
        end
    end)

    it("refuses garbage without crashing", function()
        for _ = 1, 3000 do
            local s = random_bytes(rnd(40))
            local t = ngx.parse_http_time(s)
            assert.truthy(t == nil or type(t) == "number")
        end
        assert.is_nil(ngx.parse_http_time(string.rep(" ", 100000)))
        assert.is_nil(ngx.parse_http_time(string.rep(",", 100000)))
    end)
end)

describe("plain-Lua ngx sleep", function()
    it("sleeps what it is asked, in milliseconds", function()
        local t = native.now()
        ngx.sleep(0.05)
        local took = native.now() - t
        assert.truthy(took >= 0.045 and took < 1, "took " .. took)
        t = native.now()
        ngx.sleep(-0.0005) -- 0 ms, as ngx_lua truncates
        assert.truthy(native.now() - t < 5)
    end)

    -- Found: sleep(1e300) returned at once (its milliseconds, cast to an
    -- integer, were negative, and poll() took the deadline's difference
    -- truncated to int). Durations that long sleep; ngx_lua refuses them
    -- by accident of the same cast (t/diff/cases/252_ngx_sleep_durations).
    it("a huge duration sleeps (a child still sleeps after 1 s, then is killed)", function()
        local interp = arg and arg[-1]
        assert.truthy(interp, "the interpreter's name (arg[-1])")
        local helper = require "helper"
        local children = {}
        for _, d in ipairs({"1e300", "1/0", "2^31", "2^62"}) do
            -- popen's shell prints its pid, then becomes the interpreter;
            -- timeout: the backstop should the kill below never come
            local pipe = assert(io.popen(helper.child_env() .. "echo $$; exec timeout 60 " .. interp
                                         .. " -e 'require(\"resty.luasocket.native\").sleep("
                                         .. d .. ") print(\"returned\")' 2>&1", "r"))
            children[#children + 1] = {d = d, pipe = pipe, pid = pipe:read("*l")}
        end
        native.sleep(1)
        local still = {}
        for _, c in ipairs(children) do
            still[#still + 1] = c.d .. "=" .. tostring(helper.running(c.pid))
            os.execute("kill " .. c.pid .. " 2>/dev/null")
        end
        local said = {}
        for _, c in ipairs(children) do
            said[#said + 1] = c.d .. ":" .. c.pipe:read("*a")
            c.pipe:close()
        end
        assert.equal("1e300=true 1/0=true 2^31=true 2^62=true", table.concat(still, " "),
                     table.concat(said, " "))
        assert.equal("1e300: 1/0: 2^31: 2^62:", table.concat(said, " "))
    end)
end)

describe("plain-Lua ngx arguments", function()
    it("encode several keys and decode them back", function()
        local args = {a = "1", b = "x y", c = true, d = false, e = {"p", "q"},
                      ["k&="] = "v=&"}
        local s = ngx.encode_args(args)
        local parts = {}
        for part in s:gmatch("[^&]+") do parts[#parts + 1] = part end
        table.sort(parts)
        assert.equal({"a=1", "b=x%20y", "c", "e=p", "e=q", "k%26%3D=v%3D%26"}, parts)
        local back = ngx.decode_args(s)
        assert.equal({a = "1", b = "x y", c = true, e = {"p", "q"}, ["k&="] = "v=&"},
                     back)
    end)

    it("escape and unescape every byte with every type", function()
        local bytes = {}
        for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
        bytes = table.concat(bytes)
        for kind = 0, 6 do
            local e = ngx.escape_uri(bytes, kind)
            -- "+" unescapes to a space: only types 1 and 2 escape it
            local back = (kind == 1 or kind == 2) and bytes or bytes:gsub("+", " ")
            assert.equal(back, ngx.unescape_uri(e), "type " .. kind)
            -- every "%" starts two uppercase hex digits (type 4 keeps "%")
            if kind ~= 4 then
                assert.falsy(e:find("%%%x?[^%x]"), "type " .. kind)
                assert.falsy(e:find("%%%x?[a-f]"), "type " .. kind)
            end
        end
        assert.equal("%20", ngx.escape_uri(" "))
        assert.equal(" ", ngx.unescape_uri("+"))
    end)

    it("handle megabytes", function()
        local big = random_bytes(65536):rep(16) -- 1 MiB
        local e = ngx.escape_uri(big)
        assert.equal(big, ngx.unescape_uri(e))
        local q = ngx.quote_sql_str(big)
        assert.equal("'", q:sub(1, 1))
        assert.truthy(#q > #big)
        local many = string.rep("k=v&", 200000 / SCALE)
        assert.equal(200000 / SCALE, #ngx.decode_args(many, 0).k)
        assert.equal(100, #ngx.decode_args(many).k)
        local list, want = {}, -1
        for i = 1, 100000 / SCALE do
            list[i] = i
            want = want + #"k=" + #tostring(i) + 1 -- and a "&" between
        end
        assert.equal(want, #ngx.encode_args({k = list}))
    end)

    it("decode random strings without crashing", function()
        for _ = 1, 2000 do
            local s = random_bytes(rnd(30))
            assert.is_string(ngx.unescape_uri(s))
            assert.is_string(ngx.escape_uri(s, rnd(7)))
            assert.is_string(ngx.quote_sql_str(s))
            assert.equal("table", type(ngx.decode_args(s, rnd(5) - 1)))
        end
    end)
end)

describe("plain-Lua ngx constants", function()
    it("are ngx_lua's", function()
        assert.equal(200, ngx.HTTP_OK)
        assert.equal(404, ngx.HTTP_NOT_FOUND)
        assert.equal(451, ngx.HTTP_ILLEGAL)
        assert.equal(2, ngx.HTTP_GET)
        assert.equal(32768, ngx.HTTP_TRACE)
        assert.equal({0, -1, -2, -4, -5}, {ngx.OK, ngx.ERROR, ngx.AGAIN, ngx.DONE,
                                          ngx.DECLINED})
        assert.equal(4, ngx.ERR)
        local count = 0
        for _, v in pairs(ngx) do
            if type(v) == "number" then count = count + 1 end
        end
        -- t/diff case 246 compares the names and values with nginx's
        assert.equal(65, count)
    end)
end)
