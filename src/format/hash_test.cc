// Pins the hashing and encoding helpers of hash.h: SHA-256, RFC 9162 leaf
// and node hashes, the incremental stream, hex and base64.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "cunzhang/hash.h"

namespace cunzhang {
namespace {

Hash256 H(std::string_view hex) {
  std::optional<Hash256> h = Hash256::FromHex(hex);
  REQUIRE(h.has_value());
  return *h;
}

TEST_CASE("Sha256 known answers", "[hash]") {
  // printf '' | sha256sum
  CHECK(Sha256("").Hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // printf 'abc' | sha256sum
  CHECK(Sha256("abc").Hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("LeafHash prefixes a zero byte", "[hash]") {
  // printf '\000' | sha256sum
  CHECK(LeafHash("").Hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  // printf '\000abc' | sha256sum
  CHECK(LeafHash("abc").Hex() == "609f6e36d2405585188d5cfd761f407c7cc46a7d3f314c88270469dde315fcd1");
  CHECK(LeafHash("abc") == Sha256(std::string("\0abc", 4)));
}

TEST_CASE("NodeHash prefixes a one byte and keeps the order", "[hash]") {
  // { printf '\001'; printf '%s%s' 6e340b9c...afa01d 609f6e36...15fcd1 | xxd -r -p; } | sha256sum
  Hash256 node = NodeHash(LeafHash(""), LeafHash("abc"));
  CHECK(node.Hex() == "87c93eee22bfdd3e6dfed019ad8adc8a357e90bc6388d9ef0c2fe461e633204f");
  CHECK(node == Sha256("\x01" + std::string(LeafHash("").view()) + std::string(LeafHash("abc").view())));
  CHECK_FALSE(NodeHash(LeafHash("abc"), LeafHash("")) == node);
}

TEST_CASE("Sha256Stream equals one-shot hashing and restarts after Finish", "[hash]") {
  Sha256Stream stream;
  stream.Update("a");
  stream.Update("");
  stream.Update("bc");
  CHECK(stream.Finish() == Sha256("abc"));
  CHECK(stream.Finish() == Sha256(""));
  std::string big(3 * 1000 * 1000 + 7, 'x');
  for (size_t i = 0; i < big.size(); i += 4096) stream.Update(std::string_view(big).substr(i, 4096));
  CHECK(stream.Finish() == Sha256(big));
}

TEST_CASE("Sha256Stream::Reset forgets what was added", "[hash]") {
  Sha256Stream stream;
  stream.Update("not part of it");
  stream.Reset();
  stream.Update("abc");
  CHECK(stream.Finish() == Sha256("abc"));
  stream.Reset();  // on an empty stream: still empty
  CHECK(stream.Finish() == Sha256(""));
  // A leaf hash begun on the head of an entry and finished on its tail, as
  // the writer does it (AppendEntryHead / AppendEntryTail).
  stream.Update(std::string_view("\0", 1));
  stream.Update("{\"body\":{},\"prev\":\"");
  stream.Update("00\"}");
  CHECK(stream.Finish() == LeafHash("{\"body\":{},\"prev\":\"00\"}"));
}

TEST_CASE("FromHex takes exactly 64 lower-case hex digits", "[hash]") {
  std::string hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  CHECK(H(hex) == Sha256(""));
  CHECK(H(hex).Hex() == hex);
  std::string upper = hex;
  upper[0] = 'E';
  CHECK_FALSE(Hash256::FromHex(upper).has_value());
  CHECK_FALSE(Hash256::FromHex(hex.substr(0, 63)).has_value());
  CHECK_FALSE(Hash256::FromHex(hex + "0").has_value());
  CHECK_FALSE(Hash256::FromHex("").has_value());
  std::string bad = hex;
  bad[10] = 'g';
  CHECK_FALSE(Hash256::FromHex(bad).has_value());
  bad[10] = ' ';
  CHECK_FALSE(Hash256::FromHex(bad).has_value());
  CHECK(Hash256().Hex() == std::string(64, '0'));
}

TEST_CASE("FromBytes takes exactly 32 bytes", "[hash]") {
  Hash256 h = Sha256("abc");
  CHECK(Hash256::FromBytes(h.view()) == h);
  CHECK_FALSE(Hash256::FromBytes(h.view().substr(0, 31)).has_value());
  CHECK_FALSE(Hash256::FromBytes(std::string(h.view()) + "x").has_value());
}

TEST_CASE("Base64Encode follows RFC 4648 with padding", "[hash]") {
  // RFC 4648 §10 test vectors.
  CHECK(Base64Encode("") == "");
  CHECK(Base64Encode("f") == "Zg==");
  CHECK(Base64Encode("fo") == "Zm8=");
  CHECK(Base64Encode("foo") == "Zm9v");
  CHECK(Base64Encode("foob") == "Zm9vYg==");
  CHECK(Base64Encode("fooba") == "Zm9vYmE=");
  CHECK(Base64Encode("foobar") == "Zm9vYmFy");
  CHECK(Base64Encode("\xfb\xff") == "+/8=");
  // printf '' | sha256sum | xxd -r -p | base64
  CHECK(Sha256("").Base64() == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
}

TEST_CASE("Base64Decode round-trips and is strict", "[hash]") {
  for (std::string_view raw : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xfb\xff\xfe"}) {
    std::optional<std::string> back = Base64Decode(Base64Encode(raw));
    REQUIRE(back.has_value());
    CHECK(*back == raw);
  }
  for (std::string_view bad : {
           "Zg",        // padding missing
           "Zg=",       // padding short
           "Zm8",       // padding missing
           "Zh==",      // stray bits under the padding
           "Zm9=",      // stray bits under the padding
           "Zg==Zg==",  // padding in the middle
           "====",      // only padding
           "Z===",      // too much padding
           "Zm=v",      // padding before data
           " Zg==",     // white space
           "Zm9v\n",    // newline
           "Zm9-",      // URL-safe alphabet
           "Zm9_",      // URL-safe alphabet
           "Zm9v!A==",  // not in the alphabet
       }) {
    INFO("text: " << bad);
    CHECK_FALSE(Base64Decode(bad).has_value());
  }
}

TEST_CASE("HexEncode writes lower-case pairs", "[hash]") {
  CHECK(HexEncode("") == "");
  CHECK(HexEncode(std::string_view("\x00\x0f\xab\xff", 4)) == "000fabff");
}

}  // namespace
}  // namespace cunzhang
