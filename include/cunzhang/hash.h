// SHA-256 and the RFC 9162 leaf and node hashes.
#ifndef CUNZHANG_HASH_H_
#define CUNZHANG_HASH_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cunzhang {

// A SHA-256 digest. Equality only: hashes are not ordered or added.
class Hash256 {
 public:
  static constexpr size_t kBytes = 32;
  Hash256() : bytes_{} {}
  explicit Hash256(const std::array<uint8_t, kBytes>& bytes) : bytes_(bytes) {}

  // Parses 64 lowercase hex digits; nullopt for anything else.
  static std::optional<Hash256> FromHex(std::string_view hex);
  // Parses exactly 32 raw bytes; nullopt for any other length.
  static std::optional<Hash256> FromBytes(std::string_view raw);

  std::string Hex() const;
  std::string Base64() const;
  const std::array<uint8_t, kBytes>& bytes() const { return bytes_; }
  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  uint8_t* data() { return bytes_.data(); }

  friend bool operator==(const Hash256& a, const Hash256& b) = default;

 private:
  std::array<uint8_t, kBytes> bytes_;
};

Hash256 Sha256(std::string_view data);
// RFC 9162 §2.1.1: SHA-256(0x00 || entry).
Hash256 LeafHash(std::string_view entry);
// RFC 9162 §2.1.1: SHA-256(0x01 || left || right).
Hash256 NodeHash(const Hash256& left, const Hash256& right);

// Incremental SHA-256: for large inputs (an export file), and for a leaf
// hash begun on one thread and finished on another.
class Sha256Stream {
 public:
  Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Update(std::string_view data);
  // The digest of everything since construction or the last Finish/Reset;
  // the stream starts again empty.
  Hash256 Finish();
  // Forgets what was added: the stream starts again empty.
  void Reset();

  // Room for OpenSSL's SHA256_CTX (112 bytes), kept out of this header.
  static constexpr size_t kStateBytes = 128;

 private:
  alignas(std::max_align_t) unsigned char state_[kStateBytes];
};

// Standard base64 (RFC 4648 §4) with padding.
std::string Base64Encode(std::string_view raw);
// Strict decoding: padding required, no white space; nullopt on any error.
std::optional<std::string> Base64Decode(std::string_view text);
std::string HexEncode(std::string_view raw);
// HexEncode(raw) appended to *out.
void AppendHex(std::string_view raw, std::string* out);

}  // namespace cunzhang

#endif  // CUNZHANG_HASH_H_
