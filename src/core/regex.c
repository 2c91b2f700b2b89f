/* ngx.re's regex engine: PCRE2 with ngx_lua's options, messages and
 * template syntax. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "core/regex.h"

#include <pcre2.h>

#include <stdio.h>
#include <string.h>

/* ngx_lua's DFA workspace (NGX_LUA_RE_DFA_MODE_WORKSPACE_COUNT): a pattern
 * that needs more fails the same way there and here. */
#define RX_DFA_WORKSPACE 100

long rx_parse_opts(const char *s, size_t len, rx_opts *out)
{
    size_t i;

    out->flags = 0;
    out->compile = 0;
    for (i = 0; i < len; i++) {
        switch (s[i]) {
        case 'o': out->flags |= RX_ONCE; break;
        case 'j': out->flags |= RX_JIT; break;
        case 'd': out->flags |= RX_DFA; break;
        case 'i': out->compile |= PCRE2_CASELESS; break;
        case 's': out->compile |= PCRE2_DOTALL; break;
        case 'm': out->compile |= PCRE2_MULTILINE; break;
        case 'x': out->compile |= PCRE2_EXTENDED; break;
        case 'a': out->compile |= PCRE2_ANCHORED; break;
        case 'u': out->compile |= PCRE2_UTF; break;
        case 'U':
            out->compile |= PCRE2_UTF;
            out->flags |= RX_NO_UTF_CHECK;
            break;
        case 'D':
            out->compile |= PCRE2_DUPNAMES;
            out->flags |= RX_DUPNAMES;
            break;
        case 'J':
            /* PCRE1's JAVASCRIPT_COMPAT, split in three by PCRE2; ngx_lua
             * built with PCRE2 sets the three */
            out->compile |= PCRE2_ALT_BSUX | PCRE2_ALLOW_EMPTY_CLASS
                            | PCRE2_MATCH_UNSET_BACKREF;
            break;
        default:
            return (long)i;
        }
    }
    return -1;
}

/* Appends src[0..n) to err[0..*len), keeping it within RX_ERR_MAX - 1. */
static void append(char *err, size_t *len, const char *src, size_t n)
{
    size_t room = RX_ERR_MAX - 1 - *len;
    if (n > room)
        n = room;
    memcpy(err + *len, src, n);
    *len += n;
}

/* The compile error as ngx_lua built with PCRE2 words it: PCRE2's text,
 * the pattern, and the rest of it from the error offset. There the message
 * is a C string (cut at a NUL of the pattern) in a buffer of RX_ERR_MAX. */
static void compile_error(int code, size_t off, const char *pat, size_t len,
                          char *err, size_t *errlen)
{
    PCRE2_UCHAR text[RX_ERR_MAX];
    static const char head[] = "pcre2_compile() failed: ";
    size_t n = 0;
    const char *nul;

    if (pcre2_get_error_message(code, text, sizeof(text)) < 0)
        snprintf((char *)text, sizeof(text), "error %d", code);
    append(err, &n, head, sizeof(head) - 1);
    append(err, &n, (const char *)text, strlen((const char *)text));
    append(err, &n, " in \"", 5);
    append(err, &n, pat, len);
    append(err, &n, "\"", 1);
    if (off < len) {
        append(err, &n, " at \"", 5);
        append(err, &n, pat + off, len - off);
        append(err, &n, "\"", 1);
    }
    err[n] = '\0';
    nul = memchr(err, '\0', n + 1);
    *errlen = (size_t)(nul - err);
}

int rx_compile(rx_t *rx, const char *pat, size_t len, const rx_opts *o,
               char *err, size_t *errlen)
{
    uint32_t options = o->compile;
    int code;
    PCRE2_SIZE off;
    pcre2_code *re;

    memset(rx, 0, sizeof(*rx));
    rx->flags = o->flags;
    /* U skips the subject's UTF-8 check. Unchecked invalid UTF-8 is
     * undefined behaviour for PCRE2 (ngx_lua can crash on it); this option
     * skips the check too but keeps invalid bytes from matching anything.
     * The DFA matcher does not support it: there the subject is checked. */
    if ((o->flags & RX_NO_UTF_CHECK) && !(o->flags & RX_DFA))
        options |= PCRE2_MATCH_INVALID_UTF;
    re = pcre2_compile((PCRE2_SPTR)pat, len, options, &code, &off, NULL);
    if (re == NULL) {
        compile_error(code, off, pat, len, err, errlen);
        return -1;
    }
    rx->code = re;
    if (o->flags & RX_DFA) {
        rx->ncaptures = 0;
    } else if (pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT,
                                  &rx->ncaptures) != 0) {
        goto nomem;
    }
    if (pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &rx->name_count) != 0)
        goto nomem;
    if (rx->name_count > 0
        && (pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &rx->name_size)
                != 0
            || pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &rx->names)
                   != 0))
        goto nomem;
    /* as in ngx_lua, a pattern the JIT cannot take runs interpreted */
    if (o->flags & RX_JIT)
        (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    rx->match_data = pcre2_match_data_create(rx->ncaptures + 1, NULL);
    if (rx->match_data == NULL)
        goto nomem;
    return 0;

nomem:
    rx_free(rx);
    *errlen = (size_t)snprintf(err, RX_ERR_MAX, "no memory");
    return -1;
}

void rx_free(rx_t *rx)
{
    pcre2_match_context_free(rx->match_ctx);
    pcre2_match_data_free(rx->match_data);
    pcre2_code_free(rx->code);
    rx->match_ctx = NULL;
    rx->match_data = NULL;
    rx->code = NULL;
}

/* The match context for a limit (NULL: PCRE2's defaults). The context is
 * the regex's own, made once; setting its limit costs nothing. */
static int match_context(rx_t *rx, uint32_t match_limit,
                         pcre2_match_context **out)
{
    *out = NULL;
    if (match_limit == 0)
        return 0;
    if (rx->match_ctx == NULL) {
        rx->match_ctx = pcre2_match_context_create(NULL);
        if (rx->match_ctx == NULL)
            return PCRE2_ERROR_NOMEMORY;
    }
    *out = rx->match_ctx;
    pcre2_set_match_limit(*out, match_limit);
    return 0;
}

int rx_exec(rx_t *rx, const char *s, size_t len, size_t pos,
            uint32_t match_limit)
{
    pcre2_match_context *mctx;
    int rc = match_context(rx, match_limit, &mctx);

    if (rc != 0)
        return rc;
    if (rx->flags & RX_DFA) {
        int ws[RX_DFA_WORKSPACE];
        rc = pcre2_dfa_match(rx->code, (PCRE2_SPTR)s, len, pos, 0,
                             rx->match_data, mctx, ws, RX_DFA_WORKSPACE);
        /* 0: more matches than pairs; the first pair holds the longest */
        return rc == 0 ? 1 : rc;
    }
    rc = pcre2_match(rx->code, (PCRE2_SPTR)s, len, pos, 0, rx->match_data,
                     mctx);
    return rc == PCRE2_ERROR_NOMATCH ? RX_NOMATCH : rc;
}

int rx_group(const rx_t *rx, uint32_t i, size_t *from, size_t *to)
{
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rx->match_data);

    /* an unset group still leaves both set: callers that know the group
     * matched (group 0 after a match) need not check */
    *from = *to = 0;
    if (i >= pcre2_get_ovector_count(rx->match_data)
        || ov[2 * i] == PCRE2_UNSET)
        return -1;
    *from = ov[2 * i];
    *to = ov[2 * i + 1];
    return 0;
}

const char *rx_name(const rx_t *rx, uint32_t i, uint32_t *group)
{
    const unsigned char *e = rx->names + (size_t)i * rx->name_size;

    *group = ((uint32_t)e[0] << 8) | e[1];
    return (const char *)e + 2;
}

int rx_jit_available(void)
{
    uint32_t jit = 0;
    return pcre2_config(PCRE2_CONFIG_JIT, &jit) >= 0 && jit;
}

/* ---- templates ----------------------------------------------------------- */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int is_word(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || c == '_';
}

/* The variable after a '$' at tpl[*at - 1]. */
static int tpl_variable(const char *tpl, size_t len, size_t *at, rx_piece *out)
{
    size_t i = *at, name = 0;
    int bracket = 0, number;
    uint64_t n = 0;

    if (i == len)
        return out->kind = RX_TPL_BAD;
    if (tpl[i] == '$') {
        out->kind = RX_TPL_TEXT;
        out->text = tpl + i;
        out->len = 1;
        *at = i + 1;
        return RX_TPL_TEXT;
    }
    number = is_digit(tpl[i]);
    if (tpl[i] == '{') {
        bracket = 1;
        if (++i == len)
            return out->kind = RX_TPL_BAD;
        number = is_digit(tpl[i]);
    }
    for (; i < len; i++, name++) {
        if (tpl[i] == '}' && bracket) {
            i++;
            bracket = 0;
            break;
        }
        if (number) {
            if (!is_digit(tpl[i]))
                break;
            n = n * 10 + (uint64_t)(tpl[i] - '0'); /* wraps, as there */
        } else if (!is_word(tpl[i])) {
            break;
        }
    }
    /* an unclosed "${", an empty name, and named captures (which ngx_lua
     * does not support in templates) are all refused */
    if (bracket || name == 0 || !number)
        return out->kind = RX_TPL_BAD;
    out->kind = RX_TPL_GROUP;
    out->group = n & (UINT64_MAX >> 1);
    *at = i;
    return RX_TPL_GROUP;
}

int rx_tpl_next(const char *tpl, size_t len, size_t *at, rx_piece *out)
{
    size_t i = *at;
    const char *dollar;

    if (i >= len)
        return out->kind = RX_TPL_END;
    if (tpl[i] == '$') {
        *at = i + 1;
        return tpl_variable(tpl, len, at, out);
    }
    dollar = memchr(tpl + i, '$', len - i);
    out->kind = RX_TPL_TEXT;
    out->text = tpl + i;
    out->len = dollar != NULL ? (size_t)(dollar - (tpl + i)) : len - i;
    *at = i + out->len;
    return RX_TPL_TEXT;
}

int rx_tpl_check(const char *tpl, size_t len)
{
    size_t at = 0;
    rx_piece p;

    for (;;) {
        switch (rx_tpl_next(tpl, len, &at, &p)) {
        case RX_TPL_END: return 0;
        case RX_TPL_BAD: return -1;
        default: break;
        }
    }
}
