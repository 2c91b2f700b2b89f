/* ngx.re for plain Lua: match, find, gmatch, sub and gsub with ngx_lua's
 * arguments, return values and errors; the regex work is src/core/regex.c.
 *
 * The reference is ngx_lua 0.10.23 with lua-resty-core, whose ngx.re is
 * written in Lua: its argument "checks" are Lua's own runtime errors
 * ("attempt to get length of local 'regex' (a nil value)"), raised here
 * with LuaJIT's wording so that every interpreter says the same.
 *
 * Where the PCRE version shows, this is ngx_lua built with PCRE2 (which it
 * supports since 0.10.25), not Debian's 0.10.23 on PCRE1: compile errors
 * read "pcre2_compile() failed: <PCRE2's text> in ...", and "pcre_exec()
 * failed: N" carries PCRE2's error code. Both come from the library that
 * ran, so a message never pairs one library's name or number with the
 * other's text: PCRE1's "pcre_compile() failed" with PCRE2's wording would
 * be a message no ngx_lua ever gave. */
#include "lua/re.h"
#include "lua/compat.h"

#include "core/regex.h"

#include <string.h>

#define REGEX_MT "resty.luasocket.re.regex"
#define GMATCH_MT "resty.luasocket.re.gmatch"
#define CACHE_KEY "resty.luasocket.re.cache"

/* ngx_lua's lua_regex_cache_max_entries default */
#define CACHE_MAX_DEFAULT 1024

/* the upvalues of every function */
#define UV_TOSTRING lua_upvalueindex(1)
#define UV_CACHE lua_upvalueindex(2)
#define UV_CACHE_TABLE lua_upvalueindex(3)

/* A compiled regex: a userdata, so that the collector frees it whoever
 * holds it last (the cache, a gmatch iterator, a call in progress). */
typedef struct regex {
    rx_t rx;
    struct regex *prev, *next; /* the cache's list, most recent first */
    const char *key;           /* its key in the cache's table, NULL if none */
    size_t keylen;             /* (the table keeps that string alive) */
} regex_t;

/* The `o` cache of one Lua state: compiled regexes by options and pattern,
 * the least recently used one dropped when full. A userdata in the
 * registry, which also maps it to the table key -> regex that owns the
 * entries; both are upvalues of every function. */
typedef struct {
    size_t max, count;
    regex_t *head, *tail;
    uint32_t match_limit; /* set_match_limit's (0: PCRE2's default) */
} cache_t;

/* ---- arguments ------------------------------------------------------------ */

/* lua-resty-core's argument errors are LuaJIT's runtime errors naming its
 * local variables: "attempt to <what> local '<name>' (a <type> value)". */
static int local_error(lua_State *L, const char *what, const char *name,
                       int idx)
{
    return luaL_error(L, "attempt to %s local '%s' (a %s value)", what, name,
                      luaL_typename(L, idx));
}

static int is_false(lua_State *L, int idx)
{
    return !lua_toboolean(L, idx);
}

/* The value at idx as tostring() makes it (the subject, a replacement),
 * left in its place. */
static const char *to_string(lua_State *L, int idx, size_t *len)
{
    if (lua_type(L, idx) != LUA_TSTRING) {
        lua_pushvalue(L, UV_TOSTRING);
        lua_pushvalue(L, idx);
        lua_call(L, 1, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "'__tostring' must return a string");
        lua_replace(L, idx);
    }
    return lua_tolstring(L, idx, len);
}

/* The options argument: nil or false for none, else a string of letters. */
static void check_opts(lua_State *L, int idx, rx_opts *o)
{
    const char *s;
    size_t len;
    long bad;

    o->flags = 0;
    o->compile = 0;
    if (is_false(L, idx))
        return;
    switch (lua_type(L, idx)) {
    case LUA_TSTRING:
        break;
    case LUA_TTABLE:
        /* #opts of a table is its length; string.byte then refuses it */
        if (compat_rawlen(L, idx) == 0)
            return;
        luaL_error(L, "bad argument #1 to 'byte' (string expected, got "
                      "table)");
        break;
    default:
        local_error(L, "get length of", "opts", idx);
    }
    s = lua_tolstring(L, idx, &len);
    bad = rx_parse_opts(s, len, o);
    if (bad < 0)
        return;
    /* built piece by piece: the letters may hold a NUL */
    lua_pushliteral(L, "unknown flag \"");
    lua_pushlstring(L, s + bad, 1);
    lua_pushliteral(L, "\" (flags \"");
    lua_pushvalue(L, idx);
    lua_pushliteral(L, "\")");
    lua_concat(L, 5);
    lua_error(L);
}

/* The regex argument. `concat`: the key of match's cache is built first,
 * and a concatenation refuses what a number would pass. */
static const char *check_regex(lua_State *L, int idx, size_t *len, int concat)
{
    int t = lua_type(L, idx);
    if (t == LUA_TSTRING)
        return lua_tolstring(L, idx, len);
    if (concat && t != LUA_TNUMBER)
        local_error(L, "concatenate", "regex", idx);
    /* a table has a length: the FFI call is what refuses it there */
    if (t == LUA_TTABLE)
        luaL_error(L, "bad argument #1 to 'ngx_lua_ffi_compile_regex' "
                      "(cannot convert 'table' to 'const unsigned char *')");
    local_error(L, "get length of", "regex", idx);
    return NULL;
}

/* ---- the cache ------------------------------------------------------------ */

static cache_t *get_cache(lua_State *L)
{
    return lua_touserdata(L, UV_CACHE);
}

static void unlink_entry(cache_t *c, regex_t *r)
{
    if (r->prev != NULL)
        r->prev->next = r->next;
    else
        c->head = r->next;
    if (r->next != NULL)
        r->next->prev = r->prev;
    else
        c->tail = r->prev;
    r->prev = r->next = NULL;
}

static void push_front(cache_t *c, regex_t *r)
{
    r->prev = NULL;
    r->next = c->head;
    if (c->head != NULL)
        c->head->prev = r;
    c->head = r;
    if (c->tail == NULL)
        c->tail = r;
}

/* Forgets entry r (its key is at the top of the stack, popped). */
static void forget(lua_State *L, cache_t *c, regex_t *r)
{
    lua_pushnil(L);
    lua_rawset(L, UV_CACHE_TABLE);
    unlink_entry(c, r);
    r->key = NULL;
    c->count--;
}

/* Drops the least recently used entries until at most `keep` remain. */
static void evict(lua_State *L, cache_t *c, size_t keep)
{
    while (c->count > keep && c->tail != NULL) {
        regex_t *r = c->tail;
        lua_pushlstring(L, r->key, r->keylen);
        forget(L, c, r);
    }
}

/* Pushes the cache key of pattern idx under options o. */
static void push_key(lua_State *L, int idx, const rx_opts *o)
{
    char head[2 * sizeof(uint32_t)];
    uint32_t flags = o->flags;

    memcpy(head, &flags, sizeof(flags));
    memcpy(head + sizeof(flags), &o->compile, sizeof(o->compile));
    lua_pushlstring(L, head, sizeof(head));
    lua_pushvalue(L, idx);
    lua_concat(L, 2);
}

static int regex_gc(lua_State *L)
{
    regex_t *r = compat_testudata(L, 1, REGEX_MT);

    if (r == NULL)
        return 0;
    /* only PCRE2's memory: at lua_close the cache's neighbours may be
     * finalized already, so the list is not touched */
    rx_free(&r->rx);
    return 0;
}

/* Pushes the compiled regex of pattern idx (string) under o: the cached one
 * with `o`, else a new one (cached with `o`). NULL with ngx_lua's compile
 * error pushed instead when the pattern does not compile. */
static regex_t *get_regex(lua_State *L, int idx, const rx_opts *o)
{
    cache_t *c = get_cache(L);
    int once = (o->flags & RX_ONCE) && c->max > 0;
    int key = 0;
    const char *pat;
    size_t len, errlen;
    char err[RX_ERR_MAX];
    regex_t *r;

    if (once) {
        push_key(L, idx, o);
        key = lua_gettop(L);
        lua_pushvalue(L, key);
        lua_rawget(L, UV_CACHE_TABLE);
        r = lua_touserdata(L, -1);
        if (r != NULL && r->rx.code != NULL) {
            unlink_entry(c, r);
            push_front(c, r);
            lua_remove(L, key);
            return r;
        }
        lua_pop(L, 1);
        /* finalized already (only while lua_close runs finalizers) */
        if (r != NULL && r->key != NULL) {
            lua_pushvalue(L, key);
            forget(L, c, r);
        }
    }
    pat = lua_tolstring(L, idx, &len);
    r = lua_newuserdata(L, sizeof(*r));
    memset(r, 0, sizeof(*r));
    luaL_getmetatable(L, REGEX_MT);
    lua_setmetatable(L, -2);
    if (rx_compile(&r->rx, pat, len, o, err, &errlen) != 0) {
        lua_pop(L, once ? 2 : 1);
        lua_pushlstring(L, err, errlen);
        return NULL;
    }
    if (once) {
        evict(L, c, c->max - 1);
        lua_pushvalue(L, key);
        lua_pushvalue(L, -2);
        lua_rawset(L, UV_CACHE_TABLE);
        r->key = lua_tolstring(L, key, &r->keylen);
        push_front(c, r);
        c->count++;
        lua_remove(L, key);
    }
    return r;
}

/* ---- results -------------------------------------------------------------- */

static int push_exec_error(lua_State *L, int nils, int rc)
{
    int i;
    for (i = 0; i < nils; i++)
        lua_pushnil(L);
    lua_pushfstring(L, "pcre_exec() failed: %d", rc);
    return nils + 1;
}

/* res[name] = {cap} or appended to res[name], as `D` collects. */
static void add_dup(lua_State *L, int res, const char *name)
{
    int cap = lua_gettop(L);
    lua_getfield(L, res, name);
    if (is_false(L, -1)) {
        lua_pop(L, 1);
        lua_createtable(L, 1, 0);
        lua_pushvalue(L, cap);
        lua_rawseti(L, -2, 1);
        lua_setfield(L, res, name);
    } else if (lua_type(L, -1) == LUA_TTABLE) {
        lua_pushinteger(L, (lua_Integer)compat_rawlen(L, -1) + 1);
        lua_pushvalue(L, cap);
        lua_settable(L, -3);
        lua_pop(L, 1);
    } else if (lua_type(L, -1) == LUA_TSTRING) {
        local_error(L, "index", "old", -1);
    } else {
        local_error(L, "get length of", "old", -1);
    }
    lua_pop(L, 1);
}

/* The captures of the last match (rc pairs set) in a new table: [0] the
 * match, [n] group n or false. Nothing here runs Lua code, so PCRE's match
 * data is read before anything (a metamethod, a replacement function) can
 * run this regex again and overwrite it. */
static void push_groups(lua_State *L, const regex_t *r, int rc,
                        const char *subj)
{
    const rx_t *rx = &r->rx;
    uint32_t i;
    size_t from, to;

    lua_createtable(L, (int)rx->ncaptures, (int)rx->name_count);
    for (i = 0; i <= rx->ncaptures; i++) {
        if ((int)i < rc && rx_group(rx, i, &from, &to) == 0)
            lua_pushlstring(L, subj + from, to - from);
        else
            lua_pushboolean(L, 0);
        lua_rawseti(L, -2, (int)i);
    }
}

/* The named groups into the captures table at res, as lua-resty-core
 * reads them: each group's value read back from the table; without D a
 * name given twice ((?J), (?|...)) keeps the last group's value, false or
 * not; with D the matched ones, in order. */
static void add_names(lua_State *L, const regex_t *r, int res)
{
    const rx_t *rx = &r->rx;
    uint32_t i;

    for (i = 0; i < rx->name_count; i++) {
        uint32_t group;
        const char *name = rx_name(rx, i, &group);
        lua_pushinteger(L, (lua_Integer)group);
        lua_gettable(L, res);
        if (!(rx->flags & RX_DUPNAMES))
            lua_setfield(L, res, name);
        else if (is_false(L, -1))
            lua_pop(L, 1);
        else
            add_dup(L, res, name);
    }
}

/* The captures table of the last match, complete. */
static void push_captures(lua_State *L, const regex_t *r, int rc,
                          const char *subj)
{
    push_groups(L, r, rc, subj);
    add_names(L, r, lua_gettop(L));
}

/* match's res_table: the groups in the table at `groups` copied into res,
 * which is returned, then the names. */
static void fill_res(lua_State *L, const regex_t *r, int groups, int res)
{
    uint32_t i;

    if (lua_type(L, res) != LUA_TTABLE)
        local_error(L, "index", "res", res);
    for (i = 0; i <= r->rx.ncaptures; i++) {
        lua_pushinteger(L, (lua_Integer)i);
        lua_rawgeti(L, groups, (int)i);
        lua_settable(L, res);
    }
    add_names(L, r, res);
    lua_pushvalue(L, res);
}

/* ---- match and find ------------------------------------------------------- */

/* The start offset from ctx (at idx): ctx.pos is 1-based; nil, false or
 * <= 0 is the start. A position past the subject comes out as such, and
 * PCRE2 refuses it ("bad offset"), as it refuses there. */
static size_t ctx_pos(lua_State *L, int ctx, size_t len)
{
    lua_Number p;
    int t = lua_type(L, ctx);

    if (is_false(L, ctx))
        return 0;
    /* ctx.pos: a table's field, nil from a string (its metatable's
     * __index) or from a userdata with __index; nothing else indexes */
    if (t == LUA_TUSERDATA && luaL_getmetafield(L, ctx, "__index"))
        lua_pop(L, 1);
    else if (t != LUA_TTABLE && t != LUA_TSTRING)
        local_error(L, "index", "ctx", ctx);
    lua_getfield(L, ctx, "pos");
    if (is_false(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    if (lua_type(L, -1) != LUA_TNUMBER)
        luaL_error(L, "attempt to compare %s with number",
                   luaL_typename(L, -1));
    p = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (p <= 0)
        return 0;
    p -= 1;
    /* NaN and what an int cannot hold are out of range there too */
    if (!(p < 2147483648.0) || (size_t)p > len)
        return len + 1;
    return (size_t)p;
}

static void ctx_set_pos(lua_State *L, int ctx, size_t to)
{
    if (lua_type(L, ctx) != LUA_TTABLE)
        local_error(L, "index", "ctx", ctx);
    lua_pushinteger(L, (lua_Integer)to + 1);
    lua_setfield(L, ctx, "pos");
}

/* find's answer, worked out from the match before ctx.pos is set (which
 * may run Lua code) and given after it, errors included. */
typedef struct {
    int values;               /* how many: 2 or 3 (nil, nil, err) */
    int range;                /* from, to; else nil, nil */
    lua_Integer from, to;
    const char *err;          /* the third value, or NULL */
    const char *badtype;      /* nth's type, not a number: raise */
} nth_answer;

/* ovector slot k of the last match as lua-resty-core's find indexes its
 * int array with nth * 2: a fraction truncated, NaN landing on 0. */
static lua_Integer slot(const rx_t *rx, int rc, lua_Number k)
{
    size_t from, to;
    lua_Integer i = k == k ? (lua_Integer)k : 0;
    if (i / 2 >= rc || rx_group(rx, (uint32_t)(i / 2), &from, &to) != 0)
        return -1;
    return (lua_Integer)(i % 2 == 0 ? from : to);
}

/* The answer for the nth argument at idx. */
static void find_nth(lua_State *L, const regex_t *r, int rc, int idx,
                     nth_answer *a)
{
    lua_Number nth = 0;

    memset(a, 0, sizeof(*a));
    a->values = 2;
    if (!is_false(L, idx)) {
        if (lua_type(L, idx) != LUA_TNUMBER) {
            a->badtype = luaL_typename(L, idx);
            return;
        }
        nth = lua_tonumber(L, idx);
        if (nth < 0)
            nth = 0;
    }
    if (nth > (lua_Number)r->rx.ncaptures) {
        a->values = 3;
        a->err = "nth out of bound";
        return;
    }
    if (nth >= (lua_Number)rc)
        return;
    /* -1 for a group that took no part: its from comes out as 0 there */
    a->from = slot(&r->rx, rc, nth * 2) + 1;
    a->to = slot(&r->rx, rc, nth * 2 + 1);
    a->range = a->from >= 0 && a->to >= 0;
}

static int push_nth(lua_State *L, const nth_answer *a)
{
    if (a->badtype != NULL)
        return luaL_error(L, "attempt to compare %s with number", a->badtype);
    if (!a->range) {
        lua_pushnil(L);
        lua_pushnil(L);
    } else {
        lua_pushinteger(L, a->from);
        lua_pushinteger(L, a->to);
    }
    if (a->err != NULL)
        lua_pushstring(L, a->err);
    return a->values;
}

/* match(subject, regex, options, ctx, res) and
 * find(subject, regex, options, ctx, nth) */
static int match_or_find(lua_State *L, int want_caps)
{
    rx_opts o;
    regex_t *r;
    const char *subj;
    size_t len, plen, from, to;
    int rc, nils = want_caps ? 1 : 2;
    nth_answer nth;

    lua_settop(L, 5);
    subj = to_string(L, 1, &len);
    check_opts(L, 3, &o);
    check_regex(L, 2, &plen, (o.flags & RX_ONCE) && get_cache(L)->max > 0);
    r = get_regex(L, 2, &o);
    if (r == NULL) {
        lua_pushnil(L);
        lua_insert(L, -2);
        if (!want_caps) {
            lua_pushnil(L);
            lua_insert(L, -2);
        }
        return nils + 1;
    }
    rc = rx_exec(&r->rx, subj, len, ctx_pos(L, 4, len),
                 get_cache(L)->match_limit);
    if (rc == RX_NOMATCH) {
        lua_pushnil(L);
        return 1;
    }
    if (rc < 0)
        return push_exec_error(L, nils, rc);
    rx_group(&r->rx, 0, &from, &to);
    if (want_caps)
        push_groups(L, r, rc, subj);
    else
        find_nth(L, r, rc, 5, &nth);
    if (!is_false(L, 4))
        ctx_set_pos(L, 4, to);
    if (!want_caps)
        return push_nth(L, &nth);
    if (is_false(L, 5))
        add_names(L, r, lua_gettop(L));
    else
        fill_res(L, r, lua_gettop(L), 5);
    return 1;
}

static int re_match(lua_State *L)
{
    return match_or_find(L, 1);
}

static int re_find(lua_State *L)
{
    return match_or_find(L, 0);
}

/* ---- gmatch --------------------------------------------------------------- */

/* The iterator is a callable table, as lua-resty-core's: [1] the compiled
 * regex, [2] the subject, [3] the next start offset (nil once done). */
static void gmatch_done(lua_State *L, int it)
{
    int i;
    for (i = 1; i <= 3; i++) {
        lua_pushnil(L);
        lua_rawseti(L, it, i);
    }
}

static int gmatch_iterate(lua_State *L)
{
    regex_t *r;
    const char *subj;
    size_t len, pos, from, to;
    int rc;

    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_rawgeti(L, 1, 1);
    lua_rawgeti(L, 1, 2);
    lua_rawgeti(L, 1, 3);
    lua_rawgeti(L, 1, 4);
    r = compat_testudata(L, 2, REGEX_MT);
    if (r == NULL || r->rx.code == NULL || lua_type(L, 3) != LUA_TSTRING
        || lua_type(L, 4) != LUA_TNUMBER || lua_type(L, 5) != LUA_TNUMBER) {
        lua_pushnil(L);
        return 1;
    }
    subj = lua_tolstring(L, 3, &len);
    pos = (size_t)lua_tonumber(L, 4);
    rc = rx_exec(&r->rx, subj, len, pos, (uint32_t)lua_tonumber(L, 5));
    lua_pop(L, 1);
    if (rc == RX_NOMATCH) {
        gmatch_done(L, 1);
        lua_pushnil(L);
        return 1;
    }
    if (rc < 0) {
        gmatch_done(L, 1);
        return push_exec_error(L, 1, rc);
    }
    rx_group(&r->rx, 0, &from, &to);
    /* an empty match moves the next start on by one byte */
    pos = to == from ? to + 1 : to;
    if (pos > len) {
        gmatch_done(L, 1);
    } else {
        lua_pushinteger(L, (lua_Integer)pos);
        lua_rawseti(L, 1, 3);
    }
    push_captures(L, r, rc, subj);
    return 1;
}

/* gmatch(subject, regex, options) */
static int re_gmatch(lua_State *L)
{
    rx_opts o;
    size_t len;

    lua_settop(L, 3);
    to_string(L, 1, &len);
    check_opts(L, 3, &o);
    check_regex(L, 2, &len, (o.flags & RX_ONCE) && get_cache(L)->max > 0);
    if (get_regex(L, 2, &o) == NULL) {
        lua_pushnil(L);
        lua_insert(L, -2);
        return 2;
    }
    lua_createtable(L, 4, 0);
    lua_insert(L, -2);
    lua_rawseti(L, -2, 1);
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, 2);
    lua_pushinteger(L, 0);
    lua_rawseti(L, -2, 3);
    /* the iterator, a metamethod, has no upvalues: it keeps the limit */
    lua_pushnumber(L, (lua_Number)get_cache(L)->match_limit);
    lua_rawseti(L, -2, 4);
    luaL_getmetatable(L, GMATCH_MT);
    lua_setmetatable(L, -2);
    return 1;
}

/* ---- sub and gsub --------------------------------------------------------- */

/* Large pieces go in as strings of their own rather than byte by byte
 * (Lua 5.1's luaL_addlstring copies one char at a time). */
static void add(luaL_Buffer *b, const char *s, size_t n)
{
    if (n > 256) {
        lua_pushlstring(b->L, s, n);
        luaL_addvalue(b);
    } else {
        luaL_addlstring(b, s, n);
    }
}

static void add_template(luaL_Buffer *b, const regex_t *r, int rc,
                         const char *subj, const char *tpl, size_t tlen)
{
    size_t at = 0, from, to;
    rx_piece p;

    while (rx_tpl_next(tpl, tlen, &at, &p) != RX_TPL_END) {
        if (p.kind == RX_TPL_TEXT)
            add(b, p.text, p.len);
        else if (p.kind == RX_TPL_GROUP && p.group < (uint64_t)rc
                 && rx_group(&r->rx, (uint32_t)p.group, &from, &to) == 0)
            add(b, subj + from, to - from);
    }
}

/* The function replacement's piece: tostring(f(captures)). The buffer's
 * stack use stays balanced: what is pushed here is popped by addvalue. */
static void add_call(luaL_Buffer *b, const regex_t *r, int rc,
                     const char *subj, int func)
{
    lua_State *L = b->L;
    int top = lua_gettop(L);
    size_t len;

    lua_pushvalue(L, func);
    push_captures(L, r, rc, subj);
    lua_call(L, 1, LUA_MULTRET);
    if (lua_gettop(L) == top)
        luaL_error(L, "bad argument #1 to 'tostring' (value expected)");
    lua_settop(L, top + 1);
    to_string(L, top + 1, &len);
    luaL_addvalue(b);
}

/* sub/gsub(subject, regex, replace, options) */
static int sub_helper(lua_State *L, int global)
{
    rx_opts o;
    regex_t *r;
    const char *subj, *tpl = NULL;
    size_t len, tlen = 0, pos = 0, cp = 0, from, to;
    int func, rc;
    lua_Integer count = 0;
    uint32_t limit;
    luaL_Buffer b;

    lua_settop(L, 4);
    func = lua_type(L, 3) == LUA_TFUNCTION;
    if (!func)
        tpl = to_string(L, 3, &tlen);
    check_opts(L, 4, &o);
    check_regex(L, 2, &len, 0);
    r = get_regex(L, 2, &o);
    if (r == NULL) {
        lua_pushnil(L);
        lua_pushnil(L);
        lua_pushvalue(L, -3);
        return 3;
    }
    if (!func && rx_tpl_check(tpl, tlen) != 0) {
        lua_pushnil(L);
        lua_pushnil(L);
        lua_pushliteral(L, "failed to compile the replacement template");
        return 3;
    }
    subj = to_string(L, 1, &len);
    limit = get_cache(L)->match_limit;
    luaL_buffinit(L, &b);
    for (;;) {
        rc = rx_exec(&r->rx, subj, len, pos, limit);
        if (rc == RX_NOMATCH)
            break;
        if (rc < 0)
            return push_exec_error(L, 2, rc);
        count++;
        /* the offsets first: the replacement function may run this very
         * regex (a cached one) and overwrite its match */
        rx_group(&r->rx, 0, &from, &to);
        add(&b, subj + cp, from - cp);
        if (func)
            add_call(&b, r, rc, subj, 3);
        else
            add_template(&b, r, rc, subj, tpl, tlen);
        cp = pos = to;
        /* an empty match: search on from the next byte, which is copied
         * with the next piece */
        if (to == from && ++pos > len)
            break;
        if (!global)
            break;
    }
    if (count == 0) {
        lua_pushvalue(L, 1);
        lua_pushinteger(L, 0);
        return 2;
    }
    add(&b, subj + cp, len - cp);
    luaL_pushresult(&b);
    lua_pushinteger(L, count);
    return 2;
}

static int re_sub(lua_State *L)
{
    return sub_helper(L, 0);
}

static int re_gsub(lua_State *L)
{
    return sub_helper(L, 1);
}

/* ---- the cache's knobs (not part of ngx.re) ------------------------------- */

/* set_cache_max_entries(n): lua_regex_cache_max_entries for this Lua state
 * (0 turns `o` off); the least recently used entries go when it shrinks */
static int re_set_cache_max_entries(lua_State *L)
{
    cache_t *c = get_cache(L);
    lua_Number n = luaL_checknumber(L, 1);

    if (!(n >= 0 && n < 2147483648.0))
        return luaL_argerror(L, 1, "out of range");
    c->max = (size_t)n;
    evict(L, c, c->max);
    return 0;
}

/* set_match_limit(n): lua_regex_match_limit for this Lua state, the steps
 * one match may take before "pcre_exec() failed: -47" (0: PCRE2's
 * default, ten million) */
static int re_set_match_limit(lua_State *L)
{
    lua_Number n = luaL_checknumber(L, 1);

    if (!(n >= 0 && n < 4294967296.0))
        return luaL_argerror(L, 1, "out of range");
    get_cache(L)->match_limit = (uint32_t)n;
    return 0;
}

/* cache_entries(): how many compiled regexes the cache holds */
static int re_cache_entries(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)get_cache(L)->count);
    return 1;
}

/* cached(regex, options): whether that pair is in the cache */
static int re_cached(lua_State *L)
{
    rx_opts o;
    size_t len;

    lua_settop(L, 2);
    check_opts(L, 2, &o);
    check_regex(L, 1, &len, 0);
    o.flags |= RX_ONCE;
    push_key(L, 1, &o);
    lua_rawget(L, UV_CACHE_TABLE);
    lua_pushboolean(L, !lua_isnil(L, -1));
    return 1;
}

static const luaL_Reg re_funcs[] = {
    {"match", re_match},
    {"find", re_find},
    {"gmatch", re_gmatch},
    {"sub", re_sub},
    {"gsub", re_gsub},
    {"set_cache_max_entries", re_set_cache_max_entries},
    {"set_match_limit", re_set_match_limit},
    {"cache_entries", re_cache_entries},
    {"cached", re_cached},
    {NULL, NULL},
};

int re_open(lua_State *L)
{
    cache_t *c;

    luaL_newmetatable(L, REGEX_MT);
    lua_pushcfunction(L, regex_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);

    lua_newtable(L); /* the result */
    lua_getglobal(L, "tostring");
    /* one cache per Lua state, kept in the registry: opening the module
     * again finds it */
    lua_getfield(L, LUA_REGISTRYINDEX, CACHE_KEY);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        c = lua_newuserdata(L, sizeof(*c));
        memset(c, 0, sizeof(*c));
        c->max = CACHE_MAX_DEFAULT;
        lua_newtable(L);
        lua_pushvalue(L, -2);
        lua_pushvalue(L, -2);
        lua_rawset(L, LUA_REGISTRYINDEX); /* registry[cache] = table */
        lua_pushvalue(L, -2);
        lua_setfield(L, LUA_REGISTRYINDEX, CACHE_KEY);
    } else {
        lua_pushvalue(L, -1);
        lua_rawget(L, LUA_REGISTRYINDEX);
    }
    compat_setfuncs(L, re_funcs, 3);

    luaL_newmetatable(L, GMATCH_MT);
    lua_pushcfunction(L, gmatch_iterate);
    lua_setfield(L, -2, "__call");
    lua_pop(L, 1);

    lua_pushboolean(L, rx_jit_available());
    lua_setfield(L, -2, "jit");
    return 1;
}
