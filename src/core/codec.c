/* base64, CRC-32 and the digests of ngx's codec functions. */
#include "core/codec.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdint.h>

static const char b64_letters[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t codec_b64_encoded_len(size_t len, int pad)
{
    size_t groups = len / 3, rest = len % 3;

    if (groups > (SIZE_MAX - 4) / 4)
        return 0;
    if (rest == 0)
        return groups * 4;
    /* a partial group is 2 or 3 letters, or 4 with its '=' padding */
    return groups * 4 + (pad ? 4 : rest + 1);
}

size_t codec_b64_encode(const unsigned char *src, size_t len, char *dst,
                        int pad)
{
    char *d = dst;
    uint32_t v;

    for (; len >= 3; src += 3, len -= 3) {
        v = (uint32_t)src[0] << 16 | (uint32_t)src[1] << 8 | src[2];
        *d++ = b64_letters[v >> 18];
        *d++ = b64_letters[(v >> 12) & 63];
        *d++ = b64_letters[(v >> 6) & 63];
        *d++ = b64_letters[v & 63];
    }
    if (len > 0) {
        v = (uint32_t)src[0] << 16 | (len == 2 ? (uint32_t)src[1] << 8 : 0);
        *d++ = b64_letters[v >> 18];
        *d++ = b64_letters[(v >> 12) & 63];
        if (len == 2)
            *d++ = b64_letters[(v >> 6) & 63];
        if (pad) {
            if (len == 1)
                *d++ = '=';
            *d++ = '=';
        }
    }
    return (size_t)(d - dst);
}

size_t codec_b64_decoded_max(size_t len)
{
    return len / 4 * 3 + 3;
}

/* the 6-bit value of a base64 letter, -1 for anything else */
static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int codec_b64_decode(const char *src, size_t len, unsigned char *dst,
                     size_t *out_len)
{
    const unsigned char *s = (const unsigned char *)src;
    unsigned char *d = dst;
    uint32_t acc = 0;
    size_t n, i;
    int bits = 0;

    for (n = 0; n < len && s[n] != '='; n++)
        if (b64_value(s[n]) < 0)
            return -1;
    /* one letter carries 6 bits: not a byte */
    if (n % 4 == 1)
        return -1;
    for (i = 0; i < n; i++) {
        acc = (acc << 6 | (uint32_t)b64_value(s[i])) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *d++ = (unsigned char)(acc >> bits);
        }
    }
    *out_len = (size_t)(d - dst);
    return 0;
}

/* the CRC of one nibble, reflected polynomial 0xEDB88320: half the work of
 * a byte table per byte, and a table short enough to read */
static const uint32_t crc_nibble[16] = {
    0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu,
    0x76dc4190u, 0x6b6b51f4u, 0x4db26158u, 0x5005713cu,
    0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
    0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu,
};

uint32_t codec_crc32(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint32_t crc = 0xffffffffu;

    while (len-- > 0) {
        crc ^= *p++;
        crc = (crc >> 4) ^ crc_nibble[crc & 15];
        crc = (crc >> 4) ^ crc_nibble[crc & 15];
    }
    return crc ^ 0xffffffffu;
}

/* libcrypto wants a readable pointer even for no bytes */
static const void *nonnull(const void *p)
{
    return p != NULL ? p : "";
}

static int digest(const EVP_MD *md, const void *data, size_t len,
                  unsigned char *out)
{
    return EVP_Digest(nonnull(data), len, out, NULL, md, NULL) == 1 ? 0 : -1;
}

int codec_md5(const void *data, size_t len, unsigned char out[CODEC_MD5_LEN])
{
    return digest(EVP_md5(), data, len, out);
}

int codec_sha1(const void *data, size_t len, unsigned char out[CODEC_SHA1_LEN])
{
    return digest(EVP_sha1(), data, len, out);
}

int codec_hmac_sha1(const void *key, size_t key_len, const void *data,
                    size_t len, unsigned char out[CODEC_SHA1_LEN])
{
    unsigned char short_key[CODEC_SHA1_LEN];
    unsigned int out_len = 0;

    /* HMAC takes the key length as an int; a longer key stands for its
     * digest (RFC 2104), which HMAC would use for it anyway */
    if (key_len > INT32_MAX) {
        if (codec_sha1(key, key_len, short_key) != 0)
            return -1;
        key = short_key;
        key_len = sizeof short_key;
    }
    if (HMAC(EVP_sha1(), nonnull(key), (int)key_len, nonnull(data), len, out,
             &out_len) == NULL)
        return -1;
    return out_len == CODEC_SHA1_LEN ? 0 : -1;
}

void codec_hex(const unsigned char *src, size_t len, char *dst)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < len; i++) {
        *dst++ = digits[src[i] >> 4];
        *dst++ = digits[src[i] & 15];
    }
}
