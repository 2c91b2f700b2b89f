/* The byte codecs behind ngx's encode_base64, decode_base64, md5, sha1_bin,
 * hmac_sha1 and crc32_*: plain functions on byte ranges, no Lua. */
#ifndef LRLS_CORE_CODEC_H
#define LRLS_CORE_CODEC_H

#include <stddef.h>
#include <stdint.h>

#define CODEC_MD5_LEN 16
#define CODEC_SHA1_LEN 20

/* The length of the base64 text of len bytes (padded to a multiple of 4
 * unless pad is 0); 0 when it would not fit a size_t. */
size_t codec_b64_encoded_len(size_t len, int pad);

/* Writes the base64 text of src into dst (codec_b64_encoded_len bytes);
 * returns the length written. */
size_t codec_b64_encode(const unsigned char *src, size_t len, char *dst,
                        int pad);

/* The most bytes codec_b64_decode can write for len characters. */
size_t codec_b64_decoded_max(size_t len);

/* Decodes base64 text as nginx does: the text ends at its first '=' (what
 * follows is not looked at); before it, only the 64 letters of RFC 4648's
 * standard alphabet, and not a count that leaves a single letter over.
 * Leftover bits of the last letter are dropped. Returns 0 and the length
 * written in *out_len, or -1 for text nginx refuses. */
int codec_b64_decode(const char *src, size_t len, unsigned char *dst,
                     size_t *out_len);

/* CRC-32 of IEEE 802.3 (zlib's, nginx's ngx_crc32_*) of len bytes. */
uint32_t codec_crc32(const void *data, size_t len);

/* Digests through OpenSSL's libcrypto; 0 on success, -1 when libcrypto
 * fails (out of memory). */
int codec_md5(const void *data, size_t len, unsigned char out[CODEC_MD5_LEN]);
int codec_sha1(const void *data, size_t len,
               unsigned char out[CODEC_SHA1_LEN]);
int codec_hmac_sha1(const void *key, size_t key_len, const void *data,
                    size_t len, unsigned char out[CODEC_SHA1_LEN]);

/* Writes 2 * len lowercase hex digits of src into dst. */
void codec_hex(const unsigned char *src, size_t len, char *dst);

#endif
