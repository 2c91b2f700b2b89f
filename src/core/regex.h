/* The PCRE2 side of ngx.re: ngx_lua's option letters, compiling and running
 * a regex, and the $-templates of sub/gsub. No Lua here: src/lua/re.c turns
 * these results into ngx_lua's return values. */
#ifndef LRLS_REGEX_H
#define LRLS_REGEX_H

#include <stddef.h>
#include <stdint.h>

/* What the option letters ask for besides PCRE2 compile options. */
enum {
    RX_ONCE = 0x01,        /* o: keep the compiled regex in the cache */
    RX_DFA = 0x02,         /* d: the DFA matcher (longest match, no groups) */
    RX_JIT = 0x04,         /* j: JIT-compile when PCRE2 can */
    RX_DUPNAMES = 0x08,    /* D: a name may name several groups */
    RX_NO_UTF_CHECK = 0x10 /* U: UTF-8 mode, subject not validated */
};

typedef struct {
    unsigned flags;       /* RX_* */
    uint32_t compile;     /* PCRE2 compile options */
} rx_opts;

/* Reads ngx_lua's option letters s[0..len). Returns -1 when every letter is
 * known, else the offset of the first unknown one. */
long rx_parse_opts(const char *s, size_t len, rx_opts *out);

/* A compiled regex. The pointers are PCRE2's (pcre2.h stays in regex.c). */
typedef struct {
    void *code;           /* pcre2_code */
    void *match_data;     /* pcre2_match_data, one pair per group + 1 */
    void *match_ctx;      /* pcre2_match_context, made for a match limit */
    unsigned flags;       /* RX_* */
    uint32_t ncaptures;   /* groups (0 in DFA mode: it reports none) */
    uint32_t name_count;  /* entries of the name table */
    uint32_t name_size;   /* bytes per entry */
    const unsigned char *names;
} rx_t;

/* The size of the error buffer of rx_compile: messages longer than this
 * less one are cut, as ngx_lua cuts them (lua-resty-core's
 * MAX_ERR_MSG_LEN, 256 since its PCRE2 support). */
#define RX_ERR_MAX 256

/* Compiles pat[0..len) into *rx. Returns 0, or -1 with ngx_lua's message in
 * err (NUL-terminated; its length in *errlen). */
int rx_compile(rx_t *rx, const char *pat, size_t len, const rx_opts *o,
               char *err, size_t *errlen);

/* Frees what rx_compile made; rx may be zeroed or already freed. */
void rx_free(rx_t *rx);

/* Runs rx over s[0..len) from offset pos, with at most match_limit steps
 * of PCRE2's matcher (0: PCRE2's default, as ngx_lua's
 * lua_regex_match_limit 0). Returns the number of pairs set (> 0) on a
 * match, RX_NOMATCH, or another negative PCRE2 error code (pos > len gives
 * PCRE2's "bad offset"; out of memory for a match context, its "no
 * memory"). */
#define RX_NOMATCH (-1)
int rx_exec(rx_t *rx, const char *s, size_t len, size_t pos,
            uint32_t match_limit);

/* Pair i of the last match (i <= ncaptures): 0 with its byte offsets, or
 * -1 when the group did not take part (both offsets 0 then). */
int rx_group(const rx_t *rx, uint32_t i, size_t *from, size_t *to);

/* Entry i (< name_count) of the name table: the group it names. */
const char *rx_name(const rx_t *rx, uint32_t i, uint32_t *group);

/* 1 when this PCRE2 can JIT-compile (the `j` option then does). */
int rx_jit_available(void);

/* ---- replacement templates of sub/gsub ----------------------------------
 * "$$" is a dollar, "$N" and "${N}" the text of group N (all the digits),
 * anything else after "$" an error, as ngx_lua's template compiler says.
 * Group numbers wrap as ngx_lua's unsigned arithmetic does: N modulo 2^64,
 * then modulo 2^63 (it doubles N into a pair index). */
enum { RX_TPL_END, RX_TPL_TEXT, RX_TPL_GROUP, RX_TPL_BAD };

typedef struct {
    int kind;             /* RX_TPL_* */
    const char *text;     /* RX_TPL_TEXT: the bytes to copy */
    size_t len;
    uint64_t group;       /* RX_TPL_GROUP: the group number */
} rx_piece;

/* The piece of tpl[0..len) at *at, which it advances. */
int rx_tpl_next(const char *tpl, size_t len, size_t *at, rx_piece *out);

/* 0 when tpl is a valid template, -1 when ngx_lua refuses it. */
int rx_tpl_check(const char *tpl, size_t len);

#endif
