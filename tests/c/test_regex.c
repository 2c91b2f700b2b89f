/* src/core/regex.c: option letters, templates, compile errors and matches,
 * without Lua. */
#include "check.h"
#include "core/regex.h"

#include <string.h>

/* The pieces of a template as text: "T(..)" literal, "G(n)" group, "BAD". */
static const char *pieces(const char *tpl)
{
    static char out[512];
    size_t at = 0, n = 0, len = strlen(tpl);
    rx_piece p;

    out[0] = '\0';
    for (;;) {
        int k = rx_tpl_next(tpl, len, &at, &p);
        if (k == RX_TPL_END)
            break;
        if (k == RX_TPL_BAD) {
            n += (size_t)snprintf(out + n, sizeof(out) - n, "BAD");
            break;
        }
        if (k == RX_TPL_TEXT)
            n += (size_t)snprintf(out + n, sizeof(out) - n, "T(%.*s)",
                                  (int)p.len, p.text);
        else
            n += (size_t)snprintf(out + n, sizeof(out) - n, "G(%llu)",
                                  (unsigned long long)p.group);
    }
    return out;
}

static void test_opts(void)
{
    rx_opts o;

    CHECK("all letters", rx_parse_opts("ojdismxauUDJ", 12, &o) == -1);
    CHECK("flags", o.flags == (RX_ONCE | RX_JIT | RX_DFA | RX_NO_UTF_CHECK
                               | RX_DUPNAMES));
    CHECK("empty", rx_parse_opts("", 0, &o) == -1 && o.flags == 0
                       && o.compile == 0);
    CHECK("unknown", rx_parse_opts("iZq", 3, &o) == 1);
    CHECK("NUL is unknown", rx_parse_opts("i\0", 2, &o) == 1);
    CHECK("g is unknown", rx_parse_opts("g", 1, &o) == 0);
}

static void test_templates(void)
{
    CHECK("plain", strcmp(pieces("abc"), "T(abc)") == 0);
    CHECK("groups", strcmp(pieces("a$1b${22}c$0"),
                           "T(a)G(1)T(b)G(22)T(c)G(0)") == 0);
    CHECK("dollar", strcmp(pieces("$$1"), "T($)T(1)") == 0);
    CHECK("digits then text", strcmp(pieces("$1a"), "G(1)T(a)") == 0);
    CHECK("leading zeros", strcmp(pieces("$007"), "G(7)") == 0);
    CHECK("wraps at 2^64", strcmp(pieces("$18446744073709551617"), "G(1)")
                               == 0);
    CHECK("then at 2^63", strcmp(pieces("$9223372036854775809"), "G(1)")
                              == 0);
    CHECK("trailing $", strcmp(pieces("a$"), "T(a)BAD") == 0);
    CHECK("named", strcmp(pieces("$name"), "BAD") == 0);
    CHECK("named in braces", strcmp(pieces("${name}"), "BAD") == 0);
    CHECK("empty braces", strcmp(pieces("${}"), "BAD") == 0);
    CHECK("open brace", strcmp(pieces("${1"), "BAD") == 0);
    CHECK("brace at end", strcmp(pieces("${"), "BAD") == 0);
    CHECK("digit then letter in braces", strcmp(pieces("${1a}"), "BAD") == 0);
    CHECK("punctuation", strcmp(pieces("$-"), "BAD") == 0);
    CHECK("check ok", rx_tpl_check("a$1$$${2}", 9) == 0);
    CHECK("check bad", rx_tpl_check("a$", 2) == -1);
    CHECK("check NUL", rx_tpl_check("\0$1\0", 4) == 0);
}

static void test_compile(void)
{
    rx_t rx;
    rx_opts o = {0, 0};
    char err[RX_ERR_MAX];
    size_t len, from, to;
    uint32_t group;
    char big[400];

    CHECK("bad", rx_compile(&rx, "(", 1, &o, err, &len) == -1);
    CHECK("bad text", strcmp(err, "pcre2_compile() failed: missing closing "
                                  "parenthesis in \"(\"") == 0
                          && len == strlen(err));
    CHECK("bad at", rx_compile(&rx, "a)b", 3, &o, err, &len) == -1
                        && strcmp(err, "pcre2_compile() failed: unmatched "
                                       "closing parenthesis in \"a)b\" at "
                                       "\")b\"") == 0);
    CHECK("bad with NUL", rx_compile(&rx, "a\0(", 3, &o, err, &len) == -1
                              && len == strlen(err)
                              && strcmp(err + len - 5, "in \"a") == 0);
    memset(big, 'x', sizeof(big));
    big[sizeof(big) - 1] = '(';
    CHECK("bad long", rx_compile(&rx, big, sizeof(big), &o, err, &len) == -1
                          && len == RX_ERR_MAX - 1);

    CHECK("ok", rx_compile(&rx, "(?<k>\\w+)=(\\w+)?", 16, &o, err, &len)
                    == 0);
    CHECK("groups", rx.ncaptures == 2 && rx.name_count == 1);
    CHECK("name", strcmp(rx_name(&rx, 0, &group), "k") == 0 && group == 1);
    CHECK("match", rx_exec(&rx, "  ab=", 5, 0, 0) == 2);
    CHECK("group 0", rx_group(&rx, 0, &from, &to) == 0 && from == 2
                         && to == 5);
    CHECK("group 2 unset", rx_group(&rx, 2, &from, &to) == -1);
    CHECK("no match", rx_exec(&rx, "  ab", 4, 0, 0) == RX_NOMATCH);
    CHECK("from offset", rx_exec(&rx, "a=b=", 4, 2, 0) > 0
                             && rx_group(&rx, 0, &from, &to) == 0
                             && from == 2);
    CHECK("bad offset", rx_exec(&rx, "a=", 2, 3, 0) < RX_NOMATCH);
    rx_free(&rx);
    rx_free(&rx);

    rx_parse_opts("d", 1, &o);
    CHECK("dfa", rx_compile(&rx, "(a)|(aa)", 8, &o, err, &len) == 0
                     && rx.ncaptures == 0);
    CHECK("dfa longest", rx_exec(&rx, "aa", 2, 0, 0) == 1
                             && rx_group(&rx, 0, &from, &to) == 0
                             && to == 2);
    rx_free(&rx);

    rx_parse_opts("U", 1, &o);
    CHECK("U", rx_compile(&rx, ".", 1, &o, err, &len) == 0);
    CHECK("U skips invalid", rx_exec(&rx, "\xff" "a", 2, 0, 0) == 1
                                 && rx_group(&rx, 0, &from, &to) == 0
                                 && from == 1);
    rx_free(&rx);

    rx_parse_opts("j", 1, &o);
    CHECK("jit", rx_compile(&rx, "b+", 2, &o, err, &len) == 0
                     && rx_exec(&rx, "abbc", 4, 0, 0) == 1
                     && rx_group(&rx, 0, &from, &to) == 0 && from == 1
                     && to == 3);
    rx_free(&rx);
}

int main(void)
{
    test_opts();
    test_templates();
    test_compile();
    return check_report("regex");
}
