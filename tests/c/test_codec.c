/* src/core/codec.c: base64 both ways (nginx's decoding rules), CRC-32 and
 * the digests against published vectors. */
#include "check.h"
#include "core/codec.h"

#include <stdlib.h>
#include <string.h>

static int encodes(const char *plain, int pad, const char *want)
{
    char out[256];
    size_t len = strlen(plain), n;

    if (codec_b64_encoded_len(len, pad) != strlen(want))
        return 0;
    n = codec_b64_encode((const unsigned char *)plain, len, out, pad);
    return n == strlen(want) && memcmp(out, want, n) == 0;
}

/* want NULL: the text must be refused */
static int decodes(const char *text, size_t len, const char *want,
                   size_t want_len)
{
    unsigned char out[256];
    size_t n = 12345;
    int rc = codec_b64_decode(text, len, out, &n);

    if (want == NULL)
        return rc == -1;
    return rc == 0 && n == want_len && n <= codec_b64_decoded_max(len)
           && memcmp(out, want, n) == 0;
}

#define DECODES(text, want) decodes(text, strlen(text), want, strlen(want))
#define REFUSES(text) decodes(text, strlen(text), NULL, 0)

static int hex_is(const unsigned char *md, size_t len, const char *want)
{
    char hex[64];
    codec_hex(md, len, hex);
    return strlen(want) == 2 * len && memcmp(hex, want, 2 * len) == 0;
}

int main(void)
{
    unsigned char md[CODEC_SHA1_LEN], *big;
    unsigned char key[20];
    size_t i, n;

    /* RFC 4648, section 10 */
    CHECK("b64 empty", encodes("", 1, "") && encodes("", 0, ""));
    CHECK("b64 f", encodes("f", 1, "Zg==") && encodes("f", 0, "Zg"));
    CHECK("b64 fo", encodes("fo", 1, "Zm8=") && encodes("fo", 0, "Zm8"));
    CHECK("b64 foo", encodes("foo", 1, "Zm9v") && encodes("foo", 0, "Zm9v"));
    CHECK("b64 foob",
          encodes("foob", 1, "Zm9vYg==") && encodes("foob", 0, "Zm9vYg"));
    CHECK("b64 foobar", encodes("foobar", 1, "Zm9vYmFy"));
    CHECK("b64 high bytes", encodes("\xfb\xff\xbf", 1, "+/+/"));
    CHECK("b64 length overflow", codec_b64_encoded_len((size_t)-1, 1) == 0);

    CHECK("decode padded", DECODES("Zm9vYg==", "foob"));
    CHECK("decode unpadded",
          DECODES("Zm9vYg", "foob") && DECODES("Zm9vYmE", "fooba"));
    CHECK("decode empty",
          DECODES("", "") && DECODES("=", "") && DECODES("==", ""));
    CHECK("decode stops at '='",
          DECODES("YQ==!!garbage", "a") && DECODES("YW=Jj", "a"));
    CHECK("decode drops leftover bits", DECODES("YR==", "a"));
    CHECK("decode one letter over",
          REFUSES("Y") && REFUSES("YWJjZ") && REFUSES("YWJjZ="));
    CHECK("decode outside the alphabet", REFUSES("Y Q==") && REFUSES("-_")
                                             && REFUSES("YQ\n")
                                             && REFUSES("\x80"));
    CHECK("decode NUL", decodes("YW\0Jj", 5, NULL, 0));
    CHECK("decode high bytes", decodes("+/+/", 4, "\xfb\xff\xbf", 3));

    /* every 3-byte value survives the round trip */
    for (i = 0, n = 0; i < (1u << 24); i += 4099) {
        unsigned char in[3] = {(unsigned char)(i >> 16),
                               (unsigned char)(i >> 8), (unsigned char)i};
        char text[4];
        unsigned char out[6];
        size_t out_len;
        codec_b64_encode(in, 3, text, 1);
        if (codec_b64_decode(text, 4, out, &out_len) != 0 || out_len != 3
            || memcmp(in, out, 3) != 0)
            n++;
    }
    CHECK("b64 round trips", n == 0);

    /* CRC-32: the check value of the catalogue, and zlib's */
    CHECK("crc32 check", codec_crc32("123456789", 9) == 0xcbf43926u);
    CHECK("crc32 empty", codec_crc32("", 0) == 0);
    CHECK("crc32 fox",
          codec_crc32("The quick brown fox jumps over the lazy dog", 43)
              == 0x414fa339u);

    CHECK("md5 abc",
          codec_md5("abc", 3, md) == 0
              && hex_is(md, CODEC_MD5_LEN, "900150983cd24fb0d6963f7d28e17f72"));
    CHECK("md5 empty",
          codec_md5(NULL, 0, md) == 0
              && hex_is(md, CODEC_MD5_LEN, "d41d8cd98f00b204e9800998ecf8427e"));
    CHECK("sha1 abc",
          codec_sha1("abc", 3, md) == 0
              && hex_is(md, CODEC_SHA1_LEN,
                        "a9993e364706816aba3e25717850c26c9cd0d89d"));

    /* RFC 2202, cases 1, 2 and 6 (a key longer than a block) */
    memset(key, 0x0b, sizeof key);
    CHECK("hmac 1", codec_hmac_sha1(key, 20, "Hi There", 8, md) == 0
                        && hex_is(md, CODEC_SHA1_LEN,
                                  "b617318655057264e28bc0b6fb378c8ef146be00"));
    CHECK("hmac 2",
          codec_hmac_sha1("Jefe", 4, "what do ya want for nothing?", 28, md)
                  == 0
              && hex_is(md, CODEC_SHA1_LEN,
                        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));
    big = malloc(80);
    if (big != NULL) {
        memset(big, 0xaa, 80);
        CHECK("hmac 6",
              codec_hmac_sha1(
                  big, 80,
                  "Test Using Larger Than Block-Size Key - Hash Key First", 54,
                  md) == 0
                  && hex_is(md, CODEC_SHA1_LEN,
                            "aa4ae5e15272d00e95705637ce8a3b55ed402112"));
        free(big);
    }
    CHECK("hmac empty",
          codec_hmac_sha1(NULL, 0, NULL, 0, md) == 0
              && hex_is(md, CODEC_SHA1_LEN,
                        "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d"));

    return check_report("codec");
}
