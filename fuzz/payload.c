/* What send() accepts, flattened by payload.c: strings, numbers, booleans,
 * nil, and nested array tables of strings and numbers; anything else an
 * argument error, a table that nests too deep (or contains itself) "stack
 * overflow".
 *
 * The input describes a value as a small tree (see parse_node): strings,
 * integers, floats, booleans, nil, functions, userdata, tables with
 * positional elements (a nil is a hole) and extra keys (strings, 0, -1,
 * 1.5, keys just past the end, huge integral keys, a float key that lands
 * on a position), references back to earlier tables (shared subtables, or
 * cycles when the table is an ancestor), and long chains of nested tables.
 * The tree is built as a Lua value, passed to payload_check and
 * payload_flatten as send() passes its argument, and the outcome compared
 * with what the tree says it must be, computed here:
 *
 *   - for a table, depth first: a table deeper than SEND_MAX_DEPTH (1000)
 *     is "stack overflow"; then any key that is not a positive integral
 *     number is "non-array table found"; then elements 1..max key in
 *     order: a missing one is "bad data type nil found", a boolean, a
 *     function or a userdata "bad data type <type> found";
 *   - numbers print as whole 32-bit integers when they are one (-0 as 0),
 *     else with 14 significant digits.
 *
 * The exact bytes, their count (payload_check's length is the flattened
 * length), the error message and a balanced Lua stack are checked. */
#include "lua/payload.h"

#include <lauxlib.h>
#include <lua.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_NODES 8192
#define MAX_LINKS 16384
#define MAX_PARSE_DEPTH 48
#define MAX_CHAIN 1200       /* nested tables per input, in chains */
#define MAX_VISITS 200000    /* elements the reference walks, at most */
#define MAX_OUT (1u << 20)   /* bytes the flattened value may have */
#define SEND_MAX_DEPTH 1000  /* payload.c's */

enum {
    N_STR, N_INT, N_FLT, N_TRUE, N_FALSE, N_NIL, N_FUNC, N_UDATA, N_TABLE
};

/* extra keys of a table */
enum {
    K_STR, K_ZERO, K_NEG, K_HALF, K_BOOL,  /* not array keys */
    K_AT,      /* a float key equal to a position: replaces that element */
    K_NEXT,    /* nseq + 1..4: extends the array, or leaves a hole */
    K_INTMAX,  /* 2^31 - 1 */
    K_BIG,     /* integral, past 32 bits: 2^31, 2^53, 2^63 - 1, 1e300, inf */
    K_COUNT
};

typedef struct node node_t;
struct node {
    int type;
    const char *s; /* N_STR */
    size_t slen;
    long long i;   /* N_INT */
    double d;      /* N_FLT */
    int id;        /* N_TABLE: creation order */
    int nseq;      /* positional elements: link[first .. first+nseq) */
    int nextra;    /* extra keys: then nextra more links, and xkey */
    int first;
};

typedef struct {
    const uint8_t *p;
    size_t n;
    node_t nodes[MAX_NODES];
    int nnodes;
    node_t *link[MAX_LINKS];
    int xkey[MAX_LINKS];   /* key kind, for the links of extra entries */
    int xarg[MAX_LINKS];   /* its operand (position, offset, which big) */
    int nlinks;
    node_t *tables[MAX_NODES];
    int ntables;
    int chain;             /* nested tables spent on chains so far */
    int depth;
} tree_t;

/* What the value must give. */
typedef struct {
    int rc;                /* 0, or one of the R_* */
    const char *bad;       /* the type name in "bad data type %s found" */
    char *out;
    size_t len, cap;
    long visits;
    int too_big;           /* the reference gave up: skip the input */
} want_t;

enum { R_OK, R_DEPTH, R_NONARRAY, R_BADTYPE, R_TOPTYPE };

/* For the reference: the fuzzer should steer by the coverage of the code
 * under test (and of the parser, which tells it the input's grammar), and
 * the comparison hooks in these loops cost more than that code. */
#define FUZZ_UNTRACED __attribute__((noinline, no_sanitize("coverage")))

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz: %s\n", what);
        abort();
    }
}

/* ---- parsing the input into a tree -------------------------------------- */

static int take(tree_t *t, uint8_t *b)
{
    if (t->n == 0)
        return 0;
    *b = *t->p++;
    t->n--;
    return 1;
}

static uint8_t take0(tree_t *t)
{
    uint8_t b = 0;
    take(t, &b);
    return b;
}

static uint64_t take64(tree_t *t)
{
    uint64_t v = 0;
    int k;
    for (k = 0; k < 8; k++)
        v = v << 8 | take0(t);
    return v;
}

static node_t *new_node(tree_t *t, int type)
{
    node_t *n;
    if (t->nnodes == MAX_NODES)
        return NULL;
    n = &t->nodes[t->nnodes++];
    memset(n, 0, sizeof *n);
    n->type = type;
    return n;
}

static node_t *new_table(tree_t *t)
{
    node_t *n = new_node(t, N_TABLE);
    if (n != NULL) {
        n->id = t->ntables;
        t->tables[t->ntables++] = n;
    }
    return n;
}

static const double special[] = {
    0.5, -0.0, 1e15, 2147483648.0, -2147483648.0, 2147483647.5, 1e100,
    123456789012345678.0, -1e-300, 4294967296.0, 0.1, 100.0
};

static node_t *parse_node(tree_t *t);

/* A table: element count, extra count, then the elements, then each extra
 * key's kind and operand and value. Links are reserved before the children
 * are parsed, so that each table's links are contiguous. */
static node_t *parse_table(tree_t *t)
{
    node_t *n = new_table(t);
    uint8_t b = take0(t);
    int nseq = b % 16, nextra = (b >> 4) % 4, k;

    if (n == NULL || t->nlinks + nseq + nextra > MAX_LINKS)
        return n;
    n->first = t->nlinks;
    n->nseq = nseq;
    n->nextra = nextra;
    t->nlinks += nseq + nextra;
    for (k = 0; k < nseq; k++)
        t->link[n->first + k] = parse_node(t);
    for (k = 0; k < nextra; k++) {
        int at = n->first + nseq + k;
        uint8_t kb = take0(t);
        t->xkey[at] = kb % K_COUNT;
        t->xarg[at] = kb / K_COUNT;
        t->link[at] = parse_node(t);
    }
    return n;
}

/* A chain of `levels` tables, each the only element of the one before; the
 * innermost holds a parsed node. */
static node_t *parse_chain(tree_t *t)
{
    int levels = (take0(t) << 8 | take0(t)) % MAX_CHAIN + 1, k;
    node_t *outer = NULL, *prev = NULL;

    if (levels > MAX_CHAIN - t->chain)
        levels = MAX_CHAIN - t->chain;
    t->chain += levels;
    for (k = 0; k < levels; k++) {
        node_t *n = new_table(t);
        if (n == NULL || t->nlinks == MAX_LINKS)
            break;
        n->first = t->nlinks++;
        n->nseq = 1;
        t->link[n->first] = NULL;
        if (prev != NULL)
            t->link[prev->first] = n;
        else
            outer = n;
        prev = n;
    }
    if (prev != NULL)
        t->link[prev->first] = parse_node(t);
    return outer;
}

/* One value. A NULL node (input or room exhausted) stands for nil. */
static node_t *parse_node(tree_t *t)
{
    uint8_t b;
    node_t *n = NULL;

    if (!take(t, &b) || t->depth >= MAX_PARSE_DEPTH)
        return NULL;
    t->depth++;
    switch (b % 16) {
    case 0:
    case 1:
    case 2: { /* a string: length, bytes */
        size_t len = take0(t);
        if (len > t->n)
            len = t->n;
        if ((n = new_node(t, N_STR)) != NULL) {
            n->s = (const char *)t->p;
            n->slen = len;
        }
        t->p += len;
        t->n -= len;
        break;
    }
    case 3: /* a small integer */
        if ((n = new_node(t, N_INT)) != NULL)
            n->i = (int8_t)take0(t);
        break;
    case 4: /* any integer */
        if ((n = new_node(t, N_INT)) != NULL)
            n->i = (long long)take64(t);
        break;
    case 5: { /* any double, NaN and infinities included */
        uint64_t bits = take64(t);
        if ((n = new_node(t, N_FLT)) != NULL)
            memcpy(&n->d, &bits, sizeof n->d);
        break;
    }
    case 6: /* a double that prints in an interesting way */
        if ((n = new_node(t, N_FLT)) != NULL)
            n->d = special[take0(t) % (sizeof special / sizeof special[0])];
        break;
    case 7:
        n = new_node(t, b & 16 ? N_TRUE : N_FALSE);
        break;
    case 8:
        n = new_node(t, N_NIL);
        break;
    case 9:
        n = new_node(t, b & 16 ? N_FUNC : N_UDATA);
        break;
    case 10:
        if (t->ntables > 0) { /* an earlier table again, maybe an ancestor */
            n = t->tables[take0(t) % t->ntables];
            break;
        }
        /* fall through */
    case 11:
        n = parse_chain(t);
        break;
    default:
        n = parse_table(t);
    }
    t->depth--;
    return n;
}

/* ---- the reference -------------------------------------------------- */

FUZZ_UNTRACED static void out_add(want_t *w, const char *p, size_t n)
{
    if (w->len + n > MAX_OUT) {
        w->too_big = 1;
        return;
    }
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 256;
        char *q;
        while (cap < w->len + n)
            cap *= 2;
        q = realloc(w->out, cap);
        check(q != NULL, "out of memory");
        w->out = q;
        w->cap = cap;
    }
    if (n > 0)
        memcpy(w->out + w->len, p, n);
    w->len += n;
}

/* ngx_lua's number text: a whole 32-bit value as an integer (so -0 is
 * "0"), anything else with 14 significant digits. */
FUZZ_UNTRACED static void out_number(want_t *w, double v)
{
    char buf[64];
    int n;
    if (v >= -2147483648.0 && v <= 2147483647.0 && floor(v) == v)
        n = v == 0 ? snprintf(buf, sizeof buf, "0")
                   : snprintf(buf, sizeof buf, "%.0f", v);
    else
        n = snprintf(buf, sizeof buf, "%.14g", v);
    out_add(w, buf, (size_t)n);
}

static const char *type_name(const node_t *n)
{
    if (n == NULL)
        return "nil";
    switch (n->type) {
    case N_TRUE:
    case N_FALSE:
        return "boolean";
    case N_NIL:
        return "nil";
    case N_FUNC:
        return "function";
    default:
        return "userdata";
    }
}

static int is_nil(const node_t *n)
{
    return n == NULL || n->type == N_NIL;
}

static int ref_table(const tree_t *t, const node_t *tab, int depth,
                     want_t *w);

FUZZ_UNTRACED static int ref_element(const tree_t *t, const node_t *v,
                                     int depth, want_t *w)
{
    if (++w->visits > MAX_VISITS) {
        w->too_big = 1;
        return R_OK;
    }
    switch (is_nil(v) ? N_NIL : v->type) {
    case N_STR:
        out_add(w, v->s, v->slen);
        return R_OK;
    case N_INT:
        out_number(w, (double)v->i);
        return R_OK;
    case N_FLT:
        out_number(w, v->d);
        return R_OK;
    case N_TABLE:
        return ref_table(t, v, depth + 1, w);
    default:
        w->bad = type_name(v);
        return R_BADTYPE;
    }
}

/* The elements of a table by position, as the Lua table ends up: the
 * positional ones, then the extra keys in order, each replacing what was
 * at its key (nil removing it). Slots 1..nseq+8 cover every key that is
 * not huge; the other keys are only present or not. */
FUZZ_UNTRACED static int ref_table(const tree_t *t, const node_t *tab,
                                   int depth, want_t *w)
{
    const node_t *slot[16 + 8 + 1];
    /* present: the non-array keys K_STR..K_BOOL, then K_INTMAX, then the
     * five K_BIG keys */
    int present[K_BOOL + 1 + 1 + 5];
    int k, max = 0, huge = 0, size = tab->nseq + 8;

    if (depth > SEND_MAX_DEPTH)
        return R_DEPTH;
    memset(slot, 0, sizeof slot);
    memset(present, 0, sizeof present);
    for (k = 0; k < tab->nseq; k++)
        slot[k + 1] = t->link[tab->first + k];
    for (k = 0; k < tab->nextra; k++) {
        int at = tab->first + tab->nseq + k, arg = t->xarg[at];
        const node_t *v = t->link[at];
        switch (t->xkey[at]) {
        case K_AT: /* the key 1.0 when there are no elements */
            slot[tab->nseq > 0 ? 1 + arg % tab->nseq : 1] = v;
            break;
        case K_NEXT:
            slot[tab->nseq + 1 + arg % 4] = v;
            break;
        case K_INTMAX:
            present[K_BOOL + 1] = !is_nil(v);
            break;
        case K_BIG:
            present[K_BOOL + 2 + arg % 5] = !is_nil(v);
            break;
        default:
            present[t->xkey[at]] = !is_nil(v);
        }
    }
    for (k = 0; k <= K_BOOL; k++)
        if (present[k])
            return R_NONARRAY;
    for (k = K_BOOL + 1; k < (int)(sizeof present / sizeof present[0]); k++)
        huge |= present[k];
    for (k = 1; k <= size; k++)
        if (!is_nil(slot[k]))
            max = k;
    for (k = 1; k <= size && (k <= max || huge); k++) {
        int rc = ref_element(t, slot[k], depth, w);
        if (rc != R_OK || w->too_big)
            return rc;
    }
    return R_OK;
}

FUZZ_UNTRACED static void ref_value(const tree_t *t, const node_t *v,
                                   want_t *w)
{
    w->rc = R_OK;
    switch (is_nil(v) ? N_NIL : v->type) {
    case N_STR:
        out_add(w, v->s, v->slen);
        break;
    case N_INT:
        out_number(w, (double)v->i);
        break;
    case N_FLT:
        out_number(w, v->d);
        break;
    case N_TRUE:
        out_add(w, "true", 4);
        break;
    case N_FALSE:
        out_add(w, "false", 5);
        break;
    case N_NIL:
        out_add(w, "nil", 3);
        break;
    case N_TABLE:
        w->rc = ref_table(t, v, 0, w);
        break;
    default:
        w->rc = R_TOPTYPE;
        w->bad = type_name(v);
    }
}

/* ---- building the Lua value ------------------------------------------- */

static int noop(lua_State *L)
{
    (void)L;
    return 0;
}

static void push_key(lua_State *L, const node_t *tab, int kind, int arg)
{
    static const double big[] = {
        2147483648.0, 9007199254740992.0, 1e300, HUGE_VAL
    };
    switch (kind) {
    case K_STR:
        lua_pushliteral(L, "k");
        break;
    case K_ZERO:
        lua_pushinteger(L, 0);
        break;
    case K_NEG:
        lua_pushinteger(L, -1);
        break;
    case K_HALF:
        lua_pushnumber(L, 1.5);
        break;
    case K_BOOL:
        lua_pushboolean(L, 1);
        break;
    case K_AT:
        lua_pushnumber(L, tab->nseq > 0 ? (lua_Number)(1 + arg % tab->nseq)
                                        : 1.0);
        break;
    case K_NEXT:
        lua_pushinteger(L, tab->nseq + 1 + arg % 4);
        break;
    case K_INTMAX:
        lua_pushinteger(L, 2147483647);
        break;
    default:
        if (arg % 5 == 4)
            lua_pushinteger(L, LUA_MAXINTEGER);
        else
            lua_pushnumber(L, (lua_Number)big[arg % 5]);
    }
}

/* Pushes v; tables already made are found in the registry table at
 * `made` by id (an ancestor is made before its elements: cycles work). */
static void build(lua_State *L, const tree_t *t, const node_t *v, int made)
{
    int k;

    check(lua_checkstack(L, 4), "lua_checkstack");
    switch (is_nil(v) ? N_NIL : v->type) {
    case N_STR:
        lua_pushlstring(L, v->s, v->slen);
        return;
    case N_INT:
        lua_pushinteger(L, (lua_Integer)v->i);
        return;
    case N_FLT:
        lua_pushnumber(L, (lua_Number)v->d);
        return;
    case N_TRUE:
    case N_FALSE:
        lua_pushboolean(L, v->type == N_TRUE);
        return;
    case N_NIL:
        lua_pushnil(L);
        return;
    case N_FUNC:
        lua_pushcfunction(L, noop);
        return;
    case N_UDATA:
        lua_newuserdata(L, 8);
        return;
    default:
        break;
    }
    if (lua_rawgeti(L, made, v->id + 1) != LUA_TNIL)
        return; /* made already: shared, or an ancestor */
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawseti(L, made, v->id + 1);
    for (k = 0; k < v->nseq; k++) {
        build(L, t, t->link[v->first + k], made);
        lua_rawseti(L, -2, k + 1);
    }
    for (k = 0; k < v->nextra; k++) {
        int at = v->first + v->nseq + k;
        push_key(L, v, t->xkey[at], t->xarg[at]);
        build(L, t, t->link[at], made);
        lua_rawset(L, -3);
    }
}

/* ---- running send()'s conversion ------------------------------------- */

/* Called as send(self, value) calls it: the value is argument 2. */
static int convert(lua_State *L)
{
    const want_t *w = lua_touserdata(L, lua_upvalueindex(1));
    payload_t p;
    char *buf = NULL;
    const char *got;
    size_t n;

    payload_check(L, 2, &p);
    check(lua_gettop(L) == 2, "payload_check: stack not balanced");
    check(w->rc == R_OK, "payload_check: no error where one was due");
    if (p.data == NULL) {
        /* exactly what send() allocates, so that ASan sees any overrun */
        buf = malloc(p.len + PAYLOAD_NUM_MAX);
        check(buf != NULL, "out of memory");
        n = payload_flatten(L, 2, buf);
        check(lua_gettop(L) == 2, "payload_flatten: stack not balanced");
        check(n == p.len, "payload_flatten: length differs from the check's");
        got = buf;
    } else {
        n = p.len;
        got = p.data;
    }
    check(n == w->len && (n == 0 || memcmp(got, w->out, n) == 0),
          "flattened bytes");
    free(buf);
    return 0;
}

static void check_error(lua_State *L, const want_t *w)
{
    const char *msg = lua_tostring(L, -1);
    char want[160];

    check(msg != NULL, "error without a message");
    switch (w->rc) {
    case R_DEPTH:
        snprintf(want, sizeof want, "stack overflow");
        break;
    case R_NONARRAY:
        snprintf(want, sizeof want,
                 "bad argument #2 to '?' (non-array table found)");
        break;
    case R_BADTYPE:
        snprintf(want, sizeof want,
                 "bad argument #2 to '?' (bad data type %s found)", w->bad);
        break;
    case R_TOPTYPE:
        snprintf(want, sizeof want,
                 "bad argument #2 to '?' (string, number, boolean, nil, or "
                 "array table expected, got %s)", w->bad);
        break;
    default:
        fprintf(stderr, "fuzz: unexpected error: %s\n", msg);
        abort();
    }
    if (strcmp(msg, want) != 0) {
        fprintf(stderr, "fuzz: error \"%s\", want \"%s\"\n", msg, want);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tree_t t;
    want_t w;
    node_t *root;
    lua_State *L;
    int rc;

    /* the pools are only used up to their counts: no need to clear them */
    t.nnodes = t.nlinks = t.ntables = t.chain = t.depth = 0;
    t.p = data;
    t.n = size;
    root = parse_node(&t);

    memset(&w, 0, sizeof w);
    ref_value(&t, root, &w);
    if (w.too_big) {
        free(w.out);
        return 0;
    }

    L = luaL_newstate();
    check(L != NULL, "luaL_newstate");
    lua_newtable(L); /* 1: the tables made so far, by id */
    lua_pushlightuserdata(L, &w);
    lua_pushcclosure(L, convert, 1);
    lua_pushboolean(L, 1); /* send()'s self */
    build(L, &t, root, 1);
    rc = lua_pcall(L, 2, 0, 0);
    if (rc == LUA_OK)
        check(w.rc == R_OK, "no error where one was due");
    else
        check_error(L, &w);
    lua_close(L);
    free(w.out);
    return 0;
}
