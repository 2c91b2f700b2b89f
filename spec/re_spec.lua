-- ngx.re of the plain-Lua ngx (resty.luasocket.ngx.re, on PCRE2): what the
-- differential cases (t/diff/cases/210-226) cannot compare with Debian's
-- nginx, which runs PCRE1: our exact error strings (those of ngx_lua built
-- with PCRE2), NUL bytes in patterns, the `o` cache and its bound, JIT on
-- and off giving the same answers, and inputs that must not crash.

local native = require "resty.luasocket.native"
local re = require "resty.luasocket.ngx.re"
local nre = native.re

local rep = string.rep
local SCALE = require("helper").SCALE

-- the captures table as a plain table (for assert.same)
local function m(...)
    return {n = select("#", ...), ...}
end

describe("ngx.re module", function()
    it("has the five functions of ngx.re and nothing else", function()
        local names = {}
        for k, v in pairs(re) do
            assert.is_type("function", v)
            names[#names + 1] = k
        end
        table.sort(names)
        assert.same({"find", "gmatch", "gsub", "match", "sub"}, names)
        assert.equal(nre.match, re.match)
    end)

    it("is the ngx stand-in's ngx.re", function()
        assert.equal(re, require("resty.luasocket.ngx").re)
    end)
end)

describe("ngx.re errors", function()
    it("compile errors name pcre2_compile() and quote the pattern", function()
        assert.returns({nil, 'pcre2_compile() failed: missing closing '
                             .. 'parenthesis in "("'}, re.match("a", "("))
        assert.returns({nil, nil, 'pcre2_compile() failed: missing closing '
                                  .. 'parenthesis in "("'}, re.find("a", "("))
        assert.returns({nil, 'pcre2_compile() failed: missing closing '
                             .. 'parenthesis in "("'}, re.gmatch("a", "("))
        assert.returns({nil, nil, 'pcre2_compile() failed: missing closing '
                                  .. 'parenthesis in "("'},
                       re.sub("a", "(", "x"))
        assert.returns({nil, nil, 'pcre2_compile() failed: missing closing '
                                  .. 'parenthesis in "("'},
                       re.gsub("a", "(", "x"))
    end)

    it("an error before the end shows the rest of the pattern", function()
        assert.returns({nil, 'pcre2_compile() failed: unmatched closing '
                             .. 'parenthesis in "a)b" at ")b"'},
                       re.match("a", "a)b"))
        assert.returns({nil, 'pcre2_compile() failed: two named subpatterns '
                             .. 'have the same name (PCRE2_DUPNAMES not set) '
                             .. 'in "(?<n>a)(?<n>b)" at "b)"'},
                       re.match("a", "(?<n>a)(?<n>b)"))
    end)

    it("messages stop at a NUL of the pattern and at 255 bytes", function()
        assert.returns({nil, 'pcre2_compile() failed: missing closing '
                             .. 'parenthesis in "a'}, re.match("a", "a\0("))
        local _, err = re.match("a", rep("x", 300) .. "(")
        local head = 'pcre2_compile() failed: missing closing parenthesis in "'
        assert.equal(head .. rep("x", 255 - #head), err)
    end)

    it("exec errors carry PCRE2's code", function()
        local evil, evil_re = rep("a", 32) .. "!", "^(\\w+\\s?)*$"
        -- the default limit is ten million steps: minutes under valgrind
        if SCALE > 1 then nre.set_match_limit(100000) end
        -- PCRE2_ERROR_MATCHLIMIT, with and without the JIT
        assert.returns({nil, "pcre_exec() failed: -47"}, re.match(evil, evil_re))
        assert.returns({nil, "pcre_exec() failed: -47"}, re.match(evil, evil_re, "j"))
        assert.returns({nil, nil, "pcre_exec() failed: -47"}, re.find(evil, evil_re))
        assert.returns({nil, nil, "pcre_exec() failed: -47"},
                       re.gsub(evil, evil_re, "x"))
        assert.returns({nil, "pcre_exec() failed: -47"}, re.gmatch(evil, evil_re)())
        -- PCRE2_ERROR_BADOFFSET: ctx.pos past the end
        assert.returns({nil, "pcre_exec() failed: -33"},
                       re.match("abc", "x", nil, {pos = 5}))
        -- UTF-8 errors of the subject with u
        assert.returns({nil, "pcre_exec() failed: -23"}, re.match("\255", "a", "u"))
        assert.returns({nil, "pcre_exec() failed: -3"}, re.match("a\192", "a", "u"))
        -- PCRE2_ERROR_BADUTFOFFSET: an empty match steps into a character
        assert.returns({nil, nil, "pcre_exec() failed: -36"},
                       re.gsub("\195\169", "", "-", "u"))
        -- PCRE2_ERROR_DFA_WSSIZE: ngx_lua's 100-int DFA workspace
        assert.returns({nil, "pcre_exec() failed: -43"},
                       re.match(rep("a", 50), "(a|aa|aaa|aaaa|b)*", "d"))
        nre.set_match_limit(0)
    end)

    it("set_match_limit bounds the steps of a match, as lua_regex_match_limit", function()
        local subject, pattern = rep("a", 20) .. "!", "^(\\w+\\s?)*$"
        nre.set_match_limit(1000)
        assert.returns({nil, "pcre_exec() failed: -47"}, re.match(subject, pattern))
        assert.returns({nil, "pcre_exec() failed: -47"}, re.match(subject, pattern, "j"))
        assert.returns({nil, "pcre_exec() failed: -47"}, re.gmatch(subject, pattern)())
        assert.returns({nil, nil, "pcre_exec() failed: -47"}, re.gsub(subject, pattern, ""))
        assert.same({[0] = "aaa"}, re.match("aaa", "a+"))
        nre.set_match_limit(0)
        -- PCRE2's default (ten million) lets this one finish without a match
        assert.returns({n = 1}, re.match(subject, pattern))
        assert.has_error(function() nre.set_match_limit(-1) end)
        assert.has_error(function() nre.set_match_limit(2^32) end)
    end)

    it("argument errors are raised with lua-resty-core's words", function()
        assert.has_error(function() re.match("a", nil) end,
                         "attempt to get length of local 'regex' (a nil value)")
        assert.has_error(function() re.match("a", nil, "o") end,
                         "attempt to concatenate local 'regex' (a nil value)")
        assert.has_error(function() re.sub("a", nil, "x", "o") end,
                         "attempt to get length of local 'regex' (a nil value)")
        assert.has_error(function() re.match("a", "a", 5) end,
                         "attempt to get length of local 'opts' (a number value)")
        assert.has_error(function() re.match("a", "a", "iZq") end,
                         'unknown flag "Z" (flags "iZq")')
        assert.has_error(function() re.match("a", "a", "i\0") end,
                         'unknown flag "\0" (flags "i\0")')
        assert.has_error(function() re.match("a", "a", nil, 5) end,
                         "attempt to index local 'ctx' (a number value)")
        assert.has_error(function() re.match("a", "a", nil, "s") end,
                         "attempt to index local 'ctx' (a string value)")
        assert.has_error(function() re.match("a", "a", nil, {pos = "1"}) end,
                         "attempt to compare string with number")
        assert.has_error(function() re.match("a", "a", nil, nil, 5) end,
                         "attempt to index local 'res' (a number value)")
        assert.has_error(function() re.find("a", "a", nil, nil, "1") end,
                         "attempt to compare string with number")
        assert.has_error(function() re.gsub("a", "a", function() end) end,
                         "bad argument #1 to 'tostring' (value expected)")
    end)

    it("a failing replacement function's error goes through as it is", function()
        local t = {}
        local ok, err = pcall(re.gsub, "a", "a", function() error(t) end)
        assert.is_false(ok)
        assert.equal(t, err)
    end)

    it("bad templates are refused before any match", function()
        for _, t in ipairs({"$", "${", "${}", "${1", "${1a}", "$a", "${a}", "$-"}) do
            assert.returns({nil, nil, "failed to compile the replacement template"},
                           re.sub("x", "y", t))
        end
    end)
end)

describe("ngx.re NUL bytes", function()
    it("a pattern may hold NULs (PCRE1 builds stop at the first)", function()
        assert.same({[0] = "a\0b"}, re.match("xa\0by", "a\0b"))
        assert.same({[0] = "\0\0"}, re.match("a\0\0", "\0+"))
        assert.returns({2, 3}, re.find("x\0\0y", "[\0]+"))
        assert.returns({"x--y", 2}, re.gsub("x\0\0y", "\0", "-"))
        assert.returns({n = 1}, re.match("a", "a\0"))
    end)

    it("subjects, templates and results keep their NULs", function()
        assert.same({[0] = "\0b\0", "b"}, re.match("a\0b\0c", "\\0(b)\\0"))
        assert.returns({"a\0\0c", 1}, re.sub("abc", "b", "\0\0"))
        assert.returns({"\0a\0\0b\0", 2}, re.gsub("ab", "\\w", "\0$0\0"))
    end)

    it("named groups and D with NULs around", function()
        local got = re.match("\0a\0b", "(?<x>a)\\0(?<x>b)", "D")
        assert.same({"a", "b"}, got.x)
    end)
end)

describe("ngx.re templates", function()
    local function sub(t) return (re.sub("xaby", "(a)(b)", t)) end

    it("$0, $N, ${N} and $$", function()
        assert.equal("x[ab]y", sub("[$0]"))
        assert.equal("x[ba]y", sub("[$2$1]"))
        assert.equal("x[a1]y", sub("[${1}1]"))
        assert.equal("x[$1]y", sub("[$$1]"))
        assert.equal("x[aa]y", sub("[$1a]"))
        assert.equal("x[]y", sub("[$3]"))
        assert.equal("x[]y", sub("[$10]"))
    end)

    it("group numbers wrap as ngx_lua's unsigned arithmetic does", function()
        assert.equal("x[ab]y", sub("[$18446744073709551616]")) -- 2^64
        assert.equal("x[ab]y", sub("[$9223372036854775808]"))  -- 2^63
        assert.equal("x[a]y", sub("[$9223372036854775809]"))
        assert.equal("x[]y", sub("[$4294967296]"))
    end)
end)

describe("ngx.re cache (o)", function()
    after_each(function()
        nre.set_cache_max_entries(1024)
    end)

    it("keeps compiled regexes, up to lua_regex_cache_max_entries", function()
        nre.set_cache_max_entries(0)
        nre.set_cache_max_entries(1024)
        assert.equal(0, nre.cache_entries())
        for i = 1, 1100 do
            assert.equal(tostring(i), re.match("x" .. i, "\\d+", "o" .. rep("i", i % 2))[0]
                         and re.match("x" .. i, "x(" .. i .. ")", "o")[1])
        end
        assert.equal(1024, nre.cache_entries())
    end)

    it("drops the least recently used one", function()
        nre.set_cache_max_entries(3)
        re.match("a", "a", "o")
        re.match("b", "b", "o")
        re.match("c", "c", "o")
        re.match("a", "a", "o") -- a is now the most recent
        re.find("d", "d", "o")  -- b goes
        assert.is_true(nre.cached("a", "o"))
        assert.is_false(nre.cached("b", "o"))
        assert.is_true(nre.cached("c", "o"))
        assert.is_true(nre.cached("d", "o"))
        assert.equal(3, nre.cache_entries())
    end)

    it("keys on the options, not on their spelling", function()
        nre.set_cache_max_entries(10)
        nre.set_cache_max_entries(0)
        nre.set_cache_max_entries(10)
        re.match("a", "a", "io")
        re.match("a", "a", "oi")
        re.match("a", "a", "o")
        re.match("a", "a", "jo")
        assert.equal(3, nre.cache_entries())
        assert.is_true(nre.cached("a", "i"))
        assert.is_false(nre.cached("a", "m"))
    end)

    it("only with o, and never a pattern that does not compile", function()
        nre.set_cache_max_entries(0)
        nre.set_cache_max_entries(10)
        re.match("a", "a")
        re.gsub("a", "a", "b")
        re.match("a", "(", "o")
        assert.equal(0, nre.cache_entries())
        re.gsub("a", "a", "b", "o")
        re.gmatch("a", "b", "o")
        assert.equal(2, nre.cache_entries())
    end)

    it("0 turns it off; shrinking drops the oldest", function()
        nre.set_cache_max_entries(4)
        for _, p in ipairs({"p", "q", "r", "s"}) do re.match(p, p, "o") end
        nre.set_cache_max_entries(2)
        assert.equal(2, nre.cache_entries())
        assert.is_true(nre.cached("s", "o"))
        assert.is_false(nre.cached("q", "o"))
        nre.set_cache_max_entries(0)
        assert.equal(0, nre.cache_entries())
        assert.same({[0] = "p"}, re.match("p", "p", "o"))
        assert.equal(0, nre.cache_entries())
        assert.has_error(function() nre.set_cache_max_entries(-1) end)
    end)

    it("an iterator outlives its regex's eviction", function()
        nre.set_cache_max_entries(1)
        local it = re.gmatch("abc", "\\w", "o")
        assert.equal("a", it()[0])
        re.match("x", "x", "o")
        collectgarbage()
        collectgarbage()
        assert.is_false(nre.cached("\\w", "o"))
        assert.equal("b", it()[0])
        assert.equal("c", it()[0])
        assert.is_nil(it())
    end)

    it("a replacement function may evict the regex in use", function()
        nre.set_cache_max_entries(2)
        local r, n = re.gsub("a-b-c", "-", function()
            for i = 1, 5 do re.match("x", "x" .. i .. "?", "o") end
            collectgarbage()
            return "+"
        end, "o")
        assert.equal("a+b+c", r)
        assert.equal(2, n)
    end)

    it("ctx and res metamethods may run the same cached regex", function()
        local function rerun(t, k, v)
            assert.truthy(re.match("zzzzzzzzzzzzab", "(a)(b)", "o"))
            rawset(t, k, v)
        end
        local res = setmetatable({}, {__newindex = rerun})
        local ctx = setmetatable({}, {__newindex = rerun})
        local got = re.match("ab", "(a)(b)", "o", ctx, res)
        assert.equal(res, got)
        assert.same(m("ab", "a", "b"), m(rawget(res, 0), rawget(res, 1), rawget(res, 2)))
        assert.equal(3, rawget(ctx, "pos"))
        ctx = setmetatable({}, {__newindex = rerun})
        assert.returns({2, 2}, re.find("ab", "(a)(b)", "o", ctx, 2))
    end)

    it("the same cached regex run inside its own replacement", function()
        local r = re.gsub("ab-ab", "(a)(b)", function(c)
            local inner = re.match("zzab", "(a)(b)", "o")
            return c[2] .. c[1] .. inner[1]
        end, "o")
        assert.equal("baa-baa", r)
    end)
end)

describe("ngx.re JIT", function()
    local cases = {
        {"hello world", "(\\w+) (?<w>\\w+)"}, {"abc", ""}, {"abc", "b*"},
        {"a1b22c333", "\\d+"}, {"ABab", "a", "i"}, {"a\nb", "^b", "m"},
        {"h\195\169llo", ".", "u"}, {"x\0y", "[^x]+"}, {"aaa", "(a)|(b)"},
        {"abcabc", "(abc)\\1"}, {"one two", "(?<x>o)|(?<x>t)", "D"},
        {rep("ab", 1000), "(ab)+$"}, {"abab", "(?=ab)"},
    }

    it("is what PCRE2 says", function()
        assert.is_type("boolean", nre.jit)
    end)

    it("gives the same answers as the interpreter", function()
        for _, c in ipairs(cases) do
            for _, extra in ipairs({"j", "jo"}) do
                local o = (c[3] or "") .. extra
                assert.same(m(re.match(c[1], c[2], c[3])), m(re.match(c[1], c[2], o)))
                assert.same(m(re.find(c[1], c[2], c[3], nil, 1)),
                            m(re.find(c[1], c[2], o, nil, 1)))
                assert.same(m(re.gsub(c[1], c[2], "<$0|$1>", c[3])),
                            m(re.gsub(c[1], c[2], "<$0|$1>", o)))
                local a, b, got = re.gmatch(c[1], c[2], c[3]), re.gmatch(c[1], c[2], o), 0
                repeat
                    local x, y = a(), b()
                    assert.same(x, y)
                    got = got + 1
                until x == nil
            end
        end
    end)
end)

describe("ngx.re limits", function()
    it("a deep backtrack on a large subject does not crash", function()
        local big = rep("a", 1000000 / SCALE)
        -- PCRE2 backtracks on the heap: no match, no stack overflow
        assert.returns({n = 1}, re.match(big, "(?:a|b)*c"))
        assert.same({[0] = big .. "c", "a"}, re.match(big .. "c", "(a|b)*c"))
        -- the JIT's stack is 32 KiB, as in ngx_lua without
        -- ngx.re.opt("jit_stack_size"): PCRE2_ERROR_JIT_STACKLIMIT
        if nre.jit and SCALE == 1 then
            assert.returns({nil, "pcre_exec() failed: -46"},
                           re.match(big .. "c", "(a|b)*c", "j"))
        end
    end)

    it("catastrophic patterns stop at the match limit", function()
        local evil = rep("a", 40) .. "!"
        if SCALE > 1 then nre.set_match_limit(100000) end
        for _, o in ipairs({"", "j", "d"}) do
            local r = m(re.match(evil, "^(\\w+\\s?)*$", o))
            assert.is_nil(r[1])
            if o ~= "d" then
                assert.equal("pcre_exec() failed: -47", r[2])
            end
        end
        nre.set_match_limit(0)
    end)

    it("large subjects and results", function()
        local n0 = 2000000 / SCALE
        local big = rep("abc", n0)
        local r, n = re.gsub(big, "b", "xyz")
        assert.equal(5 * n0, #r)
        assert.equal(n0, n)
        assert.equal("axyzcaxyzc", r:sub(1, 10))
        assert.returns({3 * n0 - 1, 3 * n0}, re.find(big, "bc$"))
        local count = 0
        for _ in re.gmatch(big, "c", "jo") do count = count + 1 end
        assert.equal(n0, count)
    end)

    it("U never reads invalid UTF-8 as characters, nor crashes", function()
        -- PCRE2_MATCH_INVALID_UTF: invalid bytes match nothing, and an
        -- empty match moves on to the next character, not into one
        assert.returns({"[\228\184\173]\255[x]", 2},
                       re.gsub("\228\184\173\255x", ".", "[$0]", "U"))
        assert.returns({"-\228\184\173-x-", 3},
                       re.gsub("\228\184\173x", "", "-", "U"))
        assert.returns({n = 1}, re.match("\255\254", ".", "U"))
        -- the DFA matcher cannot: there the subject is checked
        assert.returns({nil, "pcre_exec() failed: -23"}, re.match("\255", ".", "dU"))
        assert.same({[0] = "\228\184\173"}, re.match("\228\184\173", ".", "dU"))
    end)

    it("many capture groups", function()
        local got = re.match(rep("a", 5000), rep("(a)", 5000))
        assert.equal(5000, #got)
        assert.equal("a", got[5000])
    end)
end)

describe("ngx.re gmatch iterator", function()
    it("is a callable table that stays done", function()
        local it = re.gmatch("ab", "\\w")
        assert.is_type("table", it)
        assert.equal("a", it()[0])
        assert.equal("b", it()[0])
        assert.returns({n = 1}, it())
        assert.returns({n = 1}, it())
    end)

    it("does not trust a tampered iterator", function()
        local it = re.gmatch("ab", "\\w")
        it[1] = {}
        assert.returns({n = 1}, it())
        it = re.gmatch("ab", "\\w")
        it[3] = "x"
        assert.returns({n = 1}, it())
        assert.has_error(function() getmetatable(it).__call(5) end)
    end)
end)
