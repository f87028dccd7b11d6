// Pins the export bundle's manifest (include/cunzhang/bundle.h) and the
// bounded-memory line reader the verifier streams entries.jsonl through.
#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cunzhang/bundle.h"
#include "cunzhang/json.h"
#include "cunzhang/limits.h"
#include "test_util.h"

namespace cunzhang::bundle {
namespace {

Manifest SampleManifest() {
  Manifest m;
  m.origin = "cunzhang.example/daxinjing";
  m.size = 3;
  m.root = Sha256("root");
  m.last_leaf = Sha256("last");
  m.entries_bytes = 1234;
  m.entries_sha256 = Sha256("entries");
  m.exported_at = "2026-11-30T18:00:00+08:00";
  return m;
}

// The manifest's JSON with one member replaced (or removed, when `value` is
// nullptr), newline-terminated as written.
std::string ManifestWith(std::string_view key, const json::Value* value) {
  std::string bytes = EncodeManifest(SampleManifest());
  Result<json::Parsed> parsed = json::Parse(bytes);
  REQUIRE(parsed.ok());
  json::Value v = parsed->value;
  if (value == nullptr) {
    std::erase_if(*v.mutable_members(), [&](const json::Member& m) { return m.first == key; });
  } else {
    v.Set(std::string(key), *value);
  }
  return json::Canonical(v) + "\n";
}

std::string RejectedField(std::string_view key, const json::Value* value) {
  std::string bytes = ManifestWith(key, value);
  Result<Manifest> r = DecodeManifest(bytes, "out/manifest.json");
  INFO("manifest: " << bytes);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInvalidInput);
  CHECK(r.status().where().file == "out/manifest.json");
  return r.status().where().field;
}

TEST_CASE("EncodeManifest writes one canonical JSON line", "[bundle]") {
  std::string bytes = EncodeManifest(SampleManifest());
  REQUIRE(bytes.ends_with("\n"));
  CHECK(bytes.find('\n') == bytes.size() - 1);
  Result<json::Parsed> parsed = json::Parse(std::string_view(bytes).substr(0, bytes.size() - 1));
  REQUIRE(parsed.ok());
  CHECK(parsed->canonical);
  CHECK(bytes == "{\"entries_bytes\":1234,\"entries_sha256\":\"" + Sha256("entries").Hex() +
                     "\",\"exported_at\":\"2026-11-30T18:00:00+08:00\",\"format\":\"cunzhang-bundle/1\","
                     "\"last_leaf\":\"" + Sha256("last").Hex() +
                     "\",\"origin\":\"cunzhang.example/daxinjing\",\"root\":\"" + Sha256("root").Hex() +
                     "\",\"size\":3}\n");
  // Without the optional file checksum (what the exporter writes), the member is absent.
  Manifest without = SampleManifest();
  without.entries_sha256.reset();
  CHECK(EncodeManifest(without) ==
        "{\"entries_bytes\":1234,\"exported_at\":\"2026-11-30T18:00:00+08:00\",\"format\":\"cunzhang-bundle/1\","
        "\"last_leaf\":\"" + Sha256("last").Hex() +
        "\",\"origin\":\"cunzhang.example/daxinjing\",\"root\":\"" + Sha256("root").Hex() +
        "\",\"size\":3}\n");
}

TEST_CASE("DecodeManifest of EncodeManifest gives back the same manifest", "[bundle]") {
  Manifest m = SampleManifest();
  Result<Manifest> back = DecodeManifest(EncodeManifest(m), "manifest.json");
  REQUIRE(back.ok());
  CHECK(back->format == kFormat);
  CHECK(back->origin == m.origin);
  CHECK(back->size == m.size);
  CHECK(back->root == m.root);
  CHECK(back->last_leaf == m.last_leaf);
  CHECK(back->entries_bytes == m.entries_bytes);
  CHECK(back->entries_sha256 == m.entries_sha256);
  CHECK(back->exported_at == m.exported_at);

  Manifest empty = SampleManifest();
  empty.size = 0;
  empty.last_leaf = Hash256();
  empty.entries_bytes = 0;
  Result<Manifest> back_empty = DecodeManifest(EncodeManifest(empty), "manifest.json");
  REQUIRE(back_empty.ok());
  CHECK(back_empty->size == 0);
  CHECK(back_empty->last_leaf == Hash256());

  Manifest without = SampleManifest();
  without.entries_sha256.reset();
  Result<Manifest> back_without = DecodeManifest(EncodeManifest(without), "manifest.json");
  REQUIRE(back_without.ok());
  CHECK_FALSE(back_without->entries_sha256.has_value());
  CHECK(back_without->root == without.root);
}

TEST_CASE("DecodeManifest rejects unknown and missing members", "[bundle]") {
  json::Value one = json::Value::Int(1);
  CHECK(RejectedField("signature", &one) == "signature");
  for (std::string_view key :
       {"entries_bytes", "exported_at", "format", "last_leaf", "origin", "root", "size"}) {
    CHECK(RejectedField(key, nullptr) == key);
  }
  // entries_sha256 is the one optional member (bundle.h).
  CHECK(DecodeManifest(ManifestWith("entries_sha256", nullptr), "manifest.json").ok());
}

TEST_CASE("DecodeManifest rejects another format", "[bundle]") {
  for (std::string_view format : {"cunzhang-bundle/2", "cunzhang-bundle/1 ", "", "CUNZHANG-BUNDLE/1"}) {
    json::Value v = json::Value::String(std::string(format));
    CHECK(RejectedField("format", &v) == "format");
  }
}

TEST_CASE("DecodeManifest rejects malformed hashes, counts, origin and time", "[bundle]") {
  std::string upper = Sha256("root").Hex();
  upper[0] = 'A';
  for (std::string_view key : {"root", "last_leaf", "entries_sha256"}) {
    for (const json::Value& bad :
         {json::Value::String(upper), json::Value::String(std::string(63, '0')),
          json::Value::String(Sha256("x").Base64()), json::Value::Int(0)}) {
      CHECK(RejectedField(key, &bad) == key);
    }
  }
  for (std::string_view key : {"size", "entries_bytes"}) {
    for (const json::Value& bad : {json::Value::Int(-1), json::Value::String("3"), json::Value()}) {
      CHECK(RejectedField(key, &bad) == key);
    }
  }
  json::Value origin = json::Value::String("daxin jing");
  CHECK(RejectedField("origin", &origin) == "origin");
  json::Value time = json::Value::String("2026-11-30 18:00");
  CHECK(RejectedField("exported_at", &time).find("exported_at") != std::string::npos);
}

TEST_CASE("DecodeManifest says whether a field is missing, of another type or negative", "[bundle]") {
  auto rejected = [](std::string_view key, const json::Value* value) {
    Result<Manifest> r = DecodeManifest(ManifestWith(key, value), "out/manifest.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().where().field == key);
    return r.status();
  };
  Status missing = rejected("origin", nullptr);
  CHECK(missing.en() == "manifest: required field is missing (string)");
  CHECK(missing.zh() == "清单 缺少必填字段（string）");
  json::Value five = json::Value::Int(5);
  Status typed = rejected("root", &five);
  CHECK(typed.en() == "manifest: must be of type string, found integer");
  CHECK(typed.zh() == "清单 类型应为 string，实为 integer");
  json::Value text = json::Value::String("3");
  CHECK(rejected("size", &text).en() == "manifest: must be of type integer, found string");
  CHECK(rejected("entries_bytes", nullptr).en() ==
        "manifest: required field is missing (integer)");
  json::Value negative = json::Value::Int(-2);
  Status below = rejected("size", &negative);
  CHECK(below.en() == "manifest: must not be negative, found -2");
  CHECK(below.zh() == "清单 应为非负整数，实为 -2");
}

TEST_CASE("DecodeManifest rejects what is not one JSON object", "[bundle]") {
  for (std::string_view bad : {"", "[]", "\"x\"", "{", "{\"size\":1.5}"}) {
    INFO("manifest: " << bad);
    Result<Manifest> r = DecodeManifest(bad, "m.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().where().file == "m.json");
  }
  std::string big = EncodeManifest(SampleManifest());
  big.insert(0, limits::kManifestBytesMax, ' ');
  CHECK_FALSE(DecodeManifest(big, "m.json").ok());
}

// ---- LineReader ----

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

struct ReadLine {
  std::string bytes;
  int64_t number = 0;
  bool terminated = true;
  bool too_long = false;
  int64_t error_line = 0;
};

// Reads every line of a file holding `content` with the given limit.
std::vector<ReadLine> ReadAll(const std::string& content, size_t line_bytes_max,
                              Hash256* sha = nullptr, uint64_t* bytes_read = nullptr) {
  testing::TempDir dir;
  testing::WriteFile(dir / "entries.jsonl", content);
  FilePtr file(std::fopen((dir / "entries.jsonl").c_str(), "rb"), &std::fclose);
  REQUIRE(file != nullptr);
  LineReader reader(file.get(), line_bytes_max);
  Sha256Stream stream;
  reader.set_sha(&stream);
  std::vector<ReadLine> out;
  LineReader::Line line;
  Status status;
  while (reader.Next(&line, &status)) {
    ReadLine r;
    r.number = line.number;
    r.terminated = line.terminated;
    if (status.ok()) {
      r.bytes = std::string(line.bytes);
    } else {
      r.too_long = true;
      r.error_line = status.where().line;
      CHECK(status.code() == Code::kInvalidInput);
    }
    out.push_back(r);
  }
  CHECK(status.ok());  // end of input, not a read error
  if (sha != nullptr) *sha = stream.Finish();
  if (bytes_read != nullptr) *bytes_read = reader.bytes_read();
  return out;
}

TEST_CASE("LineReader returns each line with its number", "[bundle]") {
  std::vector<ReadLine> lines = ReadAll("a\nbb\n\nccc\n", 16);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].bytes == "a");
  CHECK(lines[1].bytes == "bb");
  CHECK(lines[2].bytes.empty());
  CHECK(lines[3].bytes == "ccc");
  for (size_t i = 0; i < lines.size(); ++i) {
    CHECK(lines[i].number == static_cast<int64_t>(i) + 1);
    CHECK(lines[i].terminated);
    CHECK_FALSE(lines[i].too_long);
  }
}

TEST_CASE("LineReader reads nothing from an empty file", "[bundle]") {
  CHECK(ReadAll("", 16).empty());
}

TEST_CASE("LineReader marks a last line without newline as unterminated", "[bundle]") {
  std::vector<ReadLine> lines = ReadAll("a\nbc", 16);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].terminated);
  CHECK(lines[1].bytes == "bc");
  CHECK(lines[1].number == 2);
  CHECK_FALSE(lines[1].terminated);
}

TEST_CASE("LineReader leaves a carriage return in the line's bytes", "[bundle]") {
  std::vector<ReadLine> lines = ReadAll("{}\r\n\r\n", 16);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].bytes == "{}\r");
  CHECK(lines[1].bytes == "\r");
}

TEST_CASE("LineReader accepts a line of exactly the limit", "[bundle]") {
  std::vector<ReadLine> lines = ReadAll("abcd\nxy\n", 4);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].bytes == "abcd");
  CHECK_FALSE(lines[0].too_long);
}

TEST_CASE("LineReader reports and skips a line over the limit and keeps counting", "[bundle]") {
  std::vector<ReadLine> lines = ReadAll("abc\n0123456789\nxy\n", 4);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].bytes == "abc");
  CHECK(lines[1].too_long);
  CHECK(lines[1].number == 2);
  CHECK(lines[1].error_line == 2);
  CHECK(lines[1].bytes.empty());
  CHECK(lines[2].bytes == "xy");
  CHECK(lines[2].number == 3);
  CHECK_FALSE(lines[2].too_long);
}

TEST_CASE("LineReader skips an over-long line that spans many reads", "[bundle]") {
  std::string huge(3 * 1024 * 1024 + 5, 'x');
  std::vector<ReadLine> lines = ReadAll("a\n" + huge + "\nb\n" + huge, 1024);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].bytes == "a");
  CHECK(lines[1].too_long);
  CHECK(lines[1].error_line == 2);
  CHECK(lines[2].bytes == "b");
  CHECK(lines[2].number == 3);
  CHECK(lines[3].too_long);
  CHECK(lines[3].error_line == 4);
  CHECK_FALSE(lines[3].terminated);
}

TEST_CASE("LineReader handles lines that straddle read chunks", "[bundle]") {
  // Lines of 1000 bytes do not divide the 1 MiB read size: some are split.
  std::string content;
  for (int i = 0; i < 3000; ++i) content += std::string(999, static_cast<char>('a' + i % 26)) + "\n";
  std::vector<ReadLine> lines = ReadAll(content, 1000);
  REQUIRE(lines.size() == 3000);
  for (int i = 0; i < 3000; ++i) {
    INFO("line " << i + 1);
    REQUIRE(lines[i].bytes == std::string(999, static_cast<char>('a' + i % 26)));
  }
}

TEST_CASE("LineReader feeds every byte to the checksum, skipped lines included", "[bundle]") {
  std::string content = "a\r\n" + std::string(5000, 'z') + "\n\nlast";
  Hash256 sha;
  uint64_t bytes = 0;
  std::vector<ReadLine> lines = ReadAll(content, 100, &sha, &bytes);
  CHECK(lines.size() == 4);
  CHECK(sha == Sha256(content));
  CHECK(bytes == content.size());

  std::string big;
  for (int i = 0; i < 200000; ++i) big += "{\"seq\":" + std::to_string(i) + "}\n";
  REQUIRE(big.size() > 2 * 1024 * 1024);
  ReadAll(big, 64, &sha, &bytes);
  CHECK(sha == Sha256(big));
  CHECK(bytes == big.size());
}

}  // namespace
}  // namespace cunzhang::bundle
