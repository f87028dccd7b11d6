// Byte-level helpers of the JSON parser (json_parse.cc), kept apart so the
// parser reads as grammar: UTF-8 sequences, runs of plain string bytes, and a
// stack that stays inside the parser while it is small.
#ifndef CUNZHANG_FORMAT_JSON_BYTES_H_
#define CUNZHANG_FORMAT_JSON_BYTES_H_

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <type_traits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cunzhang::json::bytes {

// Length of the well-formed UTF-8 sequence at p (no overlongs, no UTF-16
// surrogates, nothing above U+10FFFF), or 0 if there is none. REQUIRES p < end.
inline size_t Utf8SequenceLength(const char* p, const char* end) {
  auto b0 = static_cast<unsigned char>(p[0]);
  if (b0 < 0x80) return 1;
  const auto avail = static_cast<size_t>(end - p);
  if constexpr (std::endian::native == std::endian::little) {
    // The common case in the ledger's Chinese text, three bytes 1110xxxx
    // 10xxxxxx 10xxxxxx, in one test on a word (the fourth byte is ignored);
    // E0 (overlongs) and ED (surrogates) take the long way below.
    if (avail >= 4 && b0 != 0xE0 && b0 != 0xED) {
      uint32_t w;
      std::memcpy(&w, p, 4);
      if ((w & 0xC0C0F0u) == 0x8080E0u) return 3;
    }
  }
  auto cont = [&](size_t k) {
    return k < avail && (static_cast<unsigned char>(p[k]) & 0xC0) == 0x80;
  };
  if (b0 >= 0xE0 && b0 <= 0xEF) {  // first: the Chinese text of the ledger
    if (!cont(1) || !cont(2)) return 0;
    auto b1 = static_cast<unsigned char>(p[1]);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;   // overlong
    if (b0 == 0xED && b1 >= 0xA0) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    auto b1 = static_cast<unsigned char>(p[1]);
    if (b0 == 0xF0 && b1 < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && b1 >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Past whole runs of five three-byte UTF-8 sequences (15 bytes) at p, each
// led by E1..EC or EE..EF and followed by two bytes 80..BF: the Chinese text
// of the ledger, checked sixteen bytes at a time where SSE2 is there. Every
// sequence it passes is one Utf8SequenceLength accepts as three bytes; it
// stops (possibly at p) before anything else, leads E0 and ED included
// (their second byte has a narrower range), and where fewer than 16 bytes
// remain, for the caller's byte-by-byte loop to finish.
inline const char* SkipThreeByteRun(const char* p, const char* end) {
#if defined(__SSE2__)
  // Bits 0, 3, 6, 9 and 12: the leads; the ten bits between: continuations.
  constexpr unsigned kLeads = 0x1249;
  constexpr unsigned kContinuations = kLeads << 1 | kLeads << 2;  // 0x6DB6
  const __m128i high4 = _mm_set1_epi8(static_cast<char>(0xF0));
  const __m128i high2 = _mm_set1_epi8(static_cast<char>(0xC0));
  const __m128i lead = _mm_set1_epi8(static_cast<char>(0xE0));
  const __m128i continuation = _mm_set1_epi8(static_cast<char>(0x80));
  const __m128i e0 = _mm_set1_epi8(static_cast<char>(0xE0));
  const __m128i ed = _mm_set1_epi8(static_cast<char>(0xED));
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto leads = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(x, high4), lead)));
    const auto conts = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(x, high2), continuation)));
    const auto narrow = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, e0), _mm_cmpeq_epi8(x, ed))));
    if ((leads & kLeads) != kLeads || (conts & kContinuations) != kContinuations ||
        (narrow & kLeads) != 0) {
      break;
    }
    p += 15;
  }
#endif
  return p;
}

// Bytes that a string may hold as they are and that are printable ASCII:
// 0x20 to 0x7E but '"' and '\\'.
inline constexpr std::array<bool, 256> kPlainByte = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x7F; ++c) t[static_cast<size_t>(c)] = c != '"' && c != '\\';
  return t;
}();

// The first byte in [p, end) that is not plain, or end. Sixteen bytes at a
// time where SSE2 is there (every x86-64): most of an entry is string bytes.
inline const char* SkipPlain(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i del = _mm_set1_epi8(0x7F);
  while (end - p >= 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // A signed compare: bytes from 0x80 up are negative, so "below 0x20"
    // catches the controls and every byte of a multi-byte sequence at once.
    __m128i special = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
        _mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpeq_epi8(x, del)));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (mask != 0) return p + std::countr_zero(mask);
    p += 16;
  }
#endif
  while (p < end && kPlainByte[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

// The first '"' or '\\' in [p, end), or end: inside a string already known
// to be valid, the only bytes that end a run of literal text.
inline const char* SkipToQuoteOrBackslash(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  while (end - p >= 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    auto mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash))));
    if (mask != 0) return p + std::countr_zero(mask);
    p += 16;
  }
#endif
  while (p < end && *p != '"' && *p != '\\') ++p;
  return p;
}

// The first byte in [p, end) that RFC 8785 escapes in a string (a control
// below 0x20, '"' or '\\'), or end. Bytes from 0x80 up are copied as they are.
inline const char* SkipUnescaped(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i control_max = _mm_set1_epi8(0x1F);
  while (end - p >= 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Unsigned x <= 0x1F exactly when max(x, 0x1F) is 0x1F.
    __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(x, control_max), control_max);
    __m128i special = _mm_or_si128(
        control, _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (mask != 0) return p + std::countr_zero(mask);
    p += 16;
  }
#endif
  while (p < end) {
    auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == '"' || c == '\\') break;
    ++p;
  }
  return p;
}

// a < b in byte order, as std::string_view compares, without a call to
// memcmp for the short keys of JSON objects.
inline bool Less(std::string_view a, std::string_view b) {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
  }
  return a.size() < b.size();
}

// The first byte in [p, end) from 0x80 up, or end.
inline const char* SkipAscii(const char* p, const char* end) {
#if defined(__SSE2__)
  while (end - p >= 16) {
    auto mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
    if (mask != 0) return p + std::countr_zero(mask);
    p += 16;
  }
#endif
  while (p < end && static_cast<unsigned char>(*p) < 0x80) ++p;
  return p;
}

// A stack of trivially copyable items held inside its owner up to kInline
// items, on the heap beyond. Not movable: data_ may point into the object.
template <class T, size_t kInline>
class SmallStack {
 public:
  SmallStack() = default;
  SmallStack(const SmallStack&) = delete;
  SmallStack& operator=(const SmallStack&) = delete;

  void push_back(const T& item) {
    if (size_ == capacity_) Grow();
    std::construct_at(data_ + size_, item);
    ++size_;
  }
  void pop_back() { --size_; }
  // REQUIRES: n <= size().
  void shrink(size_t n) { size_ = n; }
  size_t size() const { return size_; }
  const T& back() const { return data_[size_ - 1]; }
  const T& operator[](size_t i) const { return data_[i]; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

  [[gnu::noinline]] void Grow() {
    std::vector<T> bigger(data_, data_ + size_);
    bigger.resize(2 * capacity_);
    heap_ = std::move(bigger);
    data_ = heap_.data();
    capacity_ = heap_.size();
  }

  // Left uninitialised: items are constructed in place as they are pushed.
  alignas(T) std::byte inline_[kInline * sizeof(T)];
  std::vector<T> heap_;
  T* data_ = reinterpret_cast<T*>(inline_);
  size_t size_ = 0;
  size_t capacity_ = kInline;
};

}  // namespace cunzhang::json::bytes

#endif  // CUNZHANG_FORMAT_JSON_BYTES_H_
