#include "cunzhang/hash.h"

// SHA-256 through OpenSSL's SHA256_Init/Update/Final, which OpenSSL 3
// deprecates in favour of EVP: here they are used on purpose. Through EVP
// (3.0), every hash begun again frees, allocates and wipes the provider's
// context (EVP_DigestInit_ex2, even with the digest already set), which is
// much of the cost of the ledger's short inputs (an entry, a Merkle node):
// 0.48-0.57 against 0.42 us for an entry's leaf and node hashes in a
// micro-benchmark, and 13% of the verifier's CPU time at 1,000,000 entries
// (docs/PERFORMANCE.md). The SHA256_* functions run the same assembly
// (SHA-NI where the CPU has it) on a context on the stack. Should a later
// OpenSSL drop them, the EVP version is in git history
// (git log -S EVP_DigestInit_ex2 -- src/format/hash.cc).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

namespace cunzhang {
namespace {

Hash256 Digest3(std::string_view a, std::string_view b, std::string_view c) {
  SHA256_CTX ctx;
  Hash256 out;
  if (SHA256_Init(&ctx) != 1 || SHA256_Update(&ctx, a.data(), a.size()) != 1 ||
      SHA256_Update(&ctx, b.data(), b.size()) != 1 ||
      SHA256_Update(&ctx, c.data(), c.size()) != 1 || SHA256_Final(out.data(), &ctx) != 1) {
    std::abort();  // cannot happen: the functions only return 1
  }
  return out;
}

constexpr char kHexDigits[] = "0123456789abcdef";

#if defined(__SSE2__)
// 2n lower-case hex digits into n bytes, sixteen digits at a time (a
// verifier decodes one hash per entry); false if any is not one.
// REQUIRES: n is a multiple of 8.
bool DecodeHex(const char* hex, uint8_t* out, size_t n) {
  for (size_t i = 0; i < 2 * n; i += 16) {
    __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hex + i));
    // Signed compares: bytes from 0x80 up are negative, so in neither range.
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8('0' - 1)),
                                  _mm_cmplt_epi8(c, _mm_set1_epi8('9' + 1)));
    __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8('a' - 1)),
                                   _mm_cmplt_epi8(c, _mm_set1_epi8('f' + 1)));
    if (_mm_movemask_epi8(_mm_or_si128(digit, letter)) != 0xFFFF) return false;
    __m128i value = _mm_sub_epi8(c, _mm_or_si128(_mm_and_si128(digit, _mm_set1_epi8('0')),
                                                 _mm_and_si128(letter, _mm_set1_epi8('a' - 10))));
    // Each 16-bit lane holds a pair, the high digit in its low byte.
    __m128i high = _mm_and_si128(value, _mm_set1_epi16(0x00FF));
    __m128i low = _mm_srli_epi16(value, 8);
    __m128i pairs = _mm_or_si128(_mm_slli_epi16(high, 4), low);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + i / 2), _mm_packus_epi16(pairs, pairs));
  }
  return true;
}
#else
// Lower-case hex digit values; -1 for every other byte. A table, because
// verifying an export decodes a hash per entry and branches mispredict.
constexpr std::array<int8_t, 256> kHexValue = [] {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = static_cast<int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<size_t>(c)] = static_cast<int8_t>(c - 'a' + 10);
  return t;
}();

int HexValue(char c) { return kHexValue[static_cast<unsigned char>(c)]; }

bool DecodeHex(const char* hex, uint8_t* out, size_t n) {
  int bad = 0;
  for (size_t i = 0; i < n; ++i) {
    int hi = HexValue(hex[2 * i]);
    int lo = HexValue(hex[2 * i + 1]);
    bad |= hi | lo;  // negative if any digit was not hex
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return bad >= 0;
}
#endif

}  // namespace

std::optional<Hash256> Hash256::FromHex(std::string_view hex) {
  if (hex.size() != 2 * kBytes) return std::nullopt;
  Hash256 h;
  if (!DecodeHex(hex.data(), h.bytes_.data(), kBytes)) return std::nullopt;
  return h;
}

std::optional<Hash256> Hash256::FromBytes(std::string_view raw) {
  if (raw.size() != kBytes) return std::nullopt;
  Hash256 h;
  std::memcpy(h.bytes_.data(), raw.data(), kBytes);
  return h;
}

std::string Hash256::Hex() const { return HexEncode(view()); }
std::string Hash256::Base64() const { return Base64Encode(view()); }

Hash256 Sha256(std::string_view data) { return Digest3(data, {}, {}); }

Hash256 LeafHash(std::string_view entry) {
  static constexpr char kLeafPrefix = 0x00;
  return Digest3(std::string_view(&kLeafPrefix, 1), entry, {});
}

Hash256 NodeHash(const Hash256& left, const Hash256& right) {
  static constexpr char kNodePrefix = 0x01;
  return Digest3(std::string_view(&kNodePrefix, 1), left.view(), right.view());
}

static_assert(sizeof(SHA256_CTX) <= Sha256Stream::kStateBytes &&
              alignof(SHA256_CTX) <= alignof(std::max_align_t));

namespace {
// The context the constructor made in `state`.
SHA256_CTX* Ctx(unsigned char* state) { return std::launder(reinterpret_cast<SHA256_CTX*>(state)); }
}  // namespace

Sha256Stream::Sha256Stream() {
  new (state_) SHA256_CTX;  // a C struct: nothing to destroy
  Reset();
}

void Sha256Stream::Update(std::string_view data) {
  if (SHA256_Update(Ctx(state_), data.data(), data.size()) != 1) std::abort();
}

Hash256 Sha256Stream::Finish() {
  Hash256 out;
  if (SHA256_Final(out.data(), Ctx(state_)) != 1) std::abort();
  Reset();
  return out;
}

void Sha256Stream::Reset() {
  if (SHA256_Init(Ctx(state_)) != 1) std::abort();
}

std::string HexEncode(std::string_view raw) {
  std::string out;
  AppendHex(raw, &out);
  return out;
}

void AppendHex(std::string_view raw, std::string* out) {
  const size_t at = out->size();
  out->resize(at + raw.size() * 2);
  char* p = out->data() + at;
  for (char c : raw) {
    auto b = static_cast<uint8_t>(c);
    *p++ = kHexDigits[b >> 4];
    *p++ = kHexDigits[b & 15];
  }
}

namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int B64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace

std::string Base64Encode(std::string_view raw) {
  std::string out;
  out.reserve((raw.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= raw.size(); i += 3) {
    uint32_t v = (uint32_t{static_cast<uint8_t>(raw[i])} << 16) |
                 (uint32_t{static_cast<uint8_t>(raw[i + 1])} << 8) |
                 uint32_t{static_cast<uint8_t>(raw[i + 2])};
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  size_t rest = raw.size() - i;
  if (rest == 1) {
    uint32_t v = uint32_t{static_cast<uint8_t>(raw[i])} << 16;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    uint32_t v = (uint32_t{static_cast<uint8_t>(raw[i])} << 16) |
                 (uint32_t{static_cast<uint8_t>(raw[i + 1])} << 8);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pad = 0;
    if (last && text[i + 3] == '=') pad = (text[i + 2] == '=') ? 2 : 1;
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      int d = 0;
      if (k >= 4 - pad) {
        if (text[i + k] != '=') return std::nullopt;
      } else {
        d = B64Value(text[i + k]);
        if (d < 0) return std::nullopt;
      }
      v = (v << 6) | static_cast<uint32_t>(d);
    }
    // Non-canonical encodings (stray bits under the padding) are rejected.
    if ((pad == 1 && (v & 0xff) != 0) || (pad == 2 && (v & 0xffff) != 0)) return std::nullopt;
    out += static_cast<char>((v >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((v >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(v & 0xff);
  }
  return out;
}

}  // namespace cunzhang
