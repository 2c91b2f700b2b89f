/* A minimal TAP-like harness for the C unit tests. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

static int check_passed, check_failed;

#define CHECK(name, cond)                                                  \
    do {                                                                   \
        if (cond) {                                                        \
            check_passed++;                                                \
        } else {                                                           \
            check_failed++;                                                \
            printf("not ok - %s (%s:%d: %s)\n", name, __FILE__, __LINE__,  \
                   #cond);                                                 \
        }                                                                  \
    } while (0)

/* One `ok` line per group keeps the output short; failures are itemised. */
static inline int check_report(const char *suite)
{
    if (check_failed == 0)
        printf("ok - %s (%d checks)\n", suite, check_passed);
    printf("%d passed, %d failed\n", check_failed == 0 ? 1 : 0,
           check_failed == 0 ? 0 : 1);
    return check_failed == 0 ? 0 : 1;
}

#endif
