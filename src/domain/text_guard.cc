// The text guards of the entry bodies (schema.h): no clear national ID
// number, no control character (other than tab, line feed and carriage
// return). A clear ID number must never enter the ledger, only its salted
// commitment; the ID-number search runs on every string of every body, so
// it first asks, sixteen bytes at a time, whether a string could hold one.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal.h"
#include "schema.h"

namespace cunzhang::domain::schema {
namespace {

// ---- National ID numbers ---------------------------------------------------

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The length of the digest at the start of `s`, or 0: a maximal run of ASCII
// letters and digits, at least kDigestHexMin long, all hexadecimal, with at
// least one letter. A salted commitment is such a run (64 hex digits), and
// one in a few thousand holds 15 or 18 decimal digits in a row that pass
// for an ID number; a digest is never an ID number written out.
constexpr size_t kDigestHexMin = 32;
size_t DigestLength(std::string_view s) {
  size_t n = 0;
  bool letter = false;
  bool hex = true;
  while (n < s.size() && IsAsciiAlnum(s[n])) {
    const char c = s[n];
    if (!(c >= '0' && c <= '9')) {
      letter = true;
      hex = hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
    }
    ++n;
  }
  return hex && letter && n >= kDigestHexMin ? n : 0;
}

// The string reduced to what an ID number is written with: ASCII and
// full-width digits become '0'..'9', x/X (either width) 'X', anything else
// ' ', and so does every digest (DigestLength).
std::string IdAlphabet(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80 && (i == 0 || !IsAsciiAlnum(s[i - 1]))) {
      if (size_t digest = DigestLength(s.substr(i)); digest > 0) {
        out.append(digest, ' ');
        i += digest;
        continue;
      }
    }
    if (b < 0x80) {
      out += (b >= '0' && b <= '9') ? static_cast<char>(b) : (b == 'x' || b == 'X') ? 'X' : ' ';
      ++i;
      continue;
    }
    size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    char mapped = ' ';
    if (len == 3 && i + 2 < s.size() && b == 0xEF) {  // U+FF10..FF19, U+FF38, U+FF58
      auto b1 = static_cast<unsigned char>(s[i + 1]);
      auto b2 = static_cast<unsigned char>(s[i + 2]);
      if (b1 == 0xBC && b2 >= 0x90 && b2 <= 0x99) mapped = static_cast<char>('0' + (b2 - 0x90));
      if ((b1 == 0xBC && b2 == 0xB8) || (b1 == 0xBD && b2 == 0x98)) mapped = 'X';
    }
    out += mapped;
    i += len;
  }
  return out;
}

bool PlausibleBirth(std::string_view yyyymmdd) {
  int year = std::stoi(std::string(yyyymmdd.substr(0, 4)));
  if (year > 2100) return false;
  std::string date = std::string(yyyymmdd.substr(0, 4)) + "-" + std::string(yyyymmdd.substr(4, 2)) +
                     "-" + std::string(yyyymmdd.substr(6, 2));
  return internal::IsDate(date);  // also refuses years before 1900
}

// GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
char CheckDigit(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11];
}

// `digits` is a maximal run of digits, `next` the character after it.
bool IsIdNumber(std::string_view digits, char next) {
  if (digits.size() == 18 || (digits.size() == 17 && next == 'X')) {
    char check = digits.size() == 18 ? digits[17] : 'X';
    return digits[0] != '0' && CheckDigit(digits.substr(0, 17)) == check &&
           PlausibleBirth(digits.substr(6, 8));
  }
  if (digits.size() == 15 && next != 'X') {  // the old 15-digit number: YYMMDD of 19YY
    return digits[0] != '0' && PlausibleBirth("19" + std::string(digits.substr(6, 6)));
  }
  return false;
}

bool ContainsIdNumber(std::string_view text) {
  std::string s = IdAlphabet(text);
  for (size_t i = 0; i < s.size();) {
    if (s[i] < '0' || s[i] > '9') {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
    char next = end < s.size() ? s[end] : ' ';
    if (IsIdNumber(std::string_view(s).substr(i, end - i), next)) return true;
    i = end;
  }
  return false;
}

// The bytes of the digit at text[i], ASCII (1) or full-width U+FF10..FF19
// (3), or 0 when there is none: the digits IdAlphabet keeps as digits.
size_t DigitBytes(std::string_view text, size_t i) {
  const auto b = static_cast<unsigned char>(text[i]);
  if (b >= '0' && b <= '9') return 1;
  if (b == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBC) {
    const auto b2 = static_cast<unsigned char>(text[i + 2]);
    if (b2 >= 0x90 && b2 <= 0x99) return 3;
  }
  return 0;
}

// Whether `text` may hold an ID number at all: a run of 15 digits, ASCII or
// full-width, in it (IdAlphabet keeps runs of digits as digits and an ID
// number is a run of at least 15). Most strings are names, dates, amounts and
// descriptions with a few numbers in them, answered here without building
// anything. With `control`, a C0 control character other than tab, line feed
// and carriage return also answers true: one loop for both questions.
bool MayHoldIdNumber(std::string_view text, bool control = false) {
  if (!control && text.size() < 15) return false;
  size_t run = 0;
  for (size_t i = 0; i < text.size();) {
    if (size_t digit = DigitBytes(text, i); digit > 0) {
      if (++run >= 15) return true;
      i += digit;
      continue;
    }
    run = 0;
    const auto u = static_cast<unsigned char>(text[i++]);
    if (control && u < 0x20 && u != '\t' && u != '\n' && u != '\r') return true;
  }
  return false;
}

// True when a string in `v` satisfies `found`; `*path` is then the path from
// `v` to it (".key", "[index]" steps), built on the way back only.
template <class Pred>
bool FindString(const json::Value& v, const Pred& found, std::string* path) {
  if (v.is_string()) return found(v.as_string());
  if (v.is_array()) {
    for (size_t i = 0; i < v.items().size(); ++i) {
      if (!FindString(v.items()[i], found, path)) continue;
      path->insert(0, "[" + std::to_string(i) + "]");
      return true;
    }
  }
  if (v.is_object()) {
    for (const auto& [key, member] : v.members()) {
      if (!FindString(member, found, path)) continue;
      path->insert(0, "." + key);
      return true;
    }
  }
  return false;
}

bool FindIdNumber(const json::Value& v, std::string* path) {
  return FindString(
      v, [](const std::string& s) { return MayHoldIdNumber(s) && ContainsIdNumber(s); }, path);
}

// A C0 control character other than tab, line feed and carriage return.
bool HasControlCharacter(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 && u != '\t' && u != '\n' && u != '\r';
  });
}

Status ClearIdNumberError(std::string field) {
  return Status(
      Code::kRuleViolation, "不得在账本中写入身份证号明文，只能写入加盐哈希承诺",
      "a clear national ID number must not enter the ledger; record only its salted commitment",
      Where{.field = std::move(field)});
}

}  // namespace

Status RefuseControlCharacters(const json::Value& body) {
  std::string path;
  if (!FindString(body, HasControlCharacter, &path)) return Status::Ok();
  return Status(Code::kInvalidInput, "文本中不得有控制字符（制表、换行、回车除外），如 U+0000",
                "text must not contain control characters (other than tab, line feed and carriage "
                "return), such as U+0000",
                Where{.field = "body" + path});
}

Status RefuseClearIdNumbers(const json::Value& body) {
  std::string path;
  if (!FindIdNumber(body, &path)) return Status::Ok();
  return ClearIdNumberError("body" + path);
}

namespace {

// MayHoldIdNumber(text, control = true), sixteen bytes at a time for the
// common answer: a control character is there or not, and a run of 15 digits
// needs at least 15 bytes that are ASCII digits or the first byte of a
// full-width digit (EF BC 90..99); only a string with that many is looked at
// closely. Full-width punctuation (，：) also begins with EF, so the byte
// after it and the one after that are looked at too: memos full of it used
// to pass the count.
bool MayHoldIdNumberOrControl(std::string_view text) {
  const char* p = text.data();
  const char* const end = p + text.size();
  size_t digitish = 0;
#if defined(__SSE2__)
  const __m128i below_space = _mm_set1_epi8(0x1F);
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i zero = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8('9');
  const __m128i ef = _mm_set1_epi8(static_cast<char>(0xEF));
  const __m128i bc = _mm_set1_epi8(static_cast<char>(0xBC));
  const __m128i wide_zero = _mm_set1_epi8(static_cast<char>(0x90));
  const __m128i wide_nine = _mm_set1_epi8(static_cast<char>(0x99));
  const __m128i one = _mm_set1_epi8(1);
  for (; end - p >= 16; p += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // x <= 0x1F unsigned, but not tab, line feed or carriage return.
    const __m128i control = _mm_andnot_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, tab), _mm_cmpeq_epi8(x, lf)),
                     _mm_cmpeq_epi8(x, cr)),
        _mm_cmpeq_epi8(_mm_max_epu8(x, below_space), below_space));
    if (_mm_movemask_epi8(control) != 0) return true;
    const __m128i digit = _mm_and_si128(_mm_cmpeq_epi8(_mm_max_epu8(x, zero), x),
                                        _mm_cmpeq_epi8(_mm_min_epu8(x, nine), x));
    __m128i wide = _mm_cmpeq_epi8(x, ef);
    if (end - p >= 18) {  // the two bytes after each of the sixteen are there
      const __m128i x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
      const __m128i x2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2));
      wide = _mm_and_si128(
          wide, _mm_and_si128(_mm_cmpeq_epi8(x1, bc),
                              _mm_and_si128(_mm_cmpeq_epi8(_mm_max_epu8(x2, wide_zero), x2),
                                            _mm_cmpeq_epi8(_mm_min_epu8(x2, wide_nine), x2))));
    }  // else every EF counts: more than needed, never fewer
    // The count of digit-like bytes: 1 per such byte, summed (no popcnt on baseline x86-64).
    const __m128i ones = _mm_and_si128(_mm_or_si128(digit, wide), one);
    const __m128i sums = _mm_sad_epu8(ones, _mm_setzero_si128());
    digitish += static_cast<size_t>(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
  }
#endif
  for (; p < end; ++p) {
    const auto u = static_cast<unsigned char>(*p);
    if (u < 0x20 && u != '\t' && u != '\n' && u != '\r') return true;
    const bool wide =
        u == 0xEF && (end - p < 3 || DigitBytes(text, static_cast<size_t>(p - text.data())) == 3);
    digitish += (u >= '0' && u <= '9') || wide;
  }
  return digitish >= 15 && MayHoldIdNumber(text, /*control=*/true);
}

}  // namespace

bool TextNeedsRefusalCheck(const json::Value& body, bool controls_possible) {
  std::string unused;
  if (!controls_possible) {
    return FindString(
        body, [](const std::string& s) { return s.size() >= 15 && MayHoldIdNumberOrControl(s); },
        &unused);
  }
  return FindString(
      body, [](const std::string& s) { return MayHoldIdNumberOrControl(s); }, &unused);
}

Status RefuseClearIdNumberIn(std::string_view text, std::string_view field) {
  // Every entry's idempotency id and operator passes here: too short to hold
  // 15 digits, or the sixteen-bytes-at-a-time count first (it answers true
  // for any text MayHoldIdNumber would).
  if (text.size() < 15 || !MayHoldIdNumberOrControl(text) || !MayHoldIdNumber(text) ||
      !ContainsIdNumber(text)) {
    return Status::Ok();
  }
  return ClearIdNumberError(std::string(field));
}

}  // namespace cunzhang::domain::schema
