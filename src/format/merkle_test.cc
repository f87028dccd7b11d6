#include "cunzhang/merkle.h"

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "test_util.h"

namespace cunzhang::merkle {
namespace {

using Proof = std::vector<Hash256>;
using testing::Failures;

const std::string kVectorDir = std::string(CUNZHANG_SHARED_DIR) + "/testdata/rfc9162";

// ---- The naive reference, straight from RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1 ----

// Leaves are LeafHash("leaf <i>"). MTH results are memoised by range: the
// recursion is the RFC's, the cache only keeps the exhaustive tests fast.
class NaiveTree {
 public:
  explicit NaiveTree(uint64_t size) {
    for (uint64_t i = 0; i < size; ++i) leaves_.push_back(LeafHash("leaf " + std::to_string(i)));
  }
  const std::vector<Hash256>& leaves() const { return leaves_; }

  Hash256 Mth(uint64_t begin, uint64_t end) {
    const uint64_t n = end - begin;
    if (n == 0) return Sha256("");
    if (n == 1) return leaves_[begin];
    const auto key = std::make_pair(begin, end);
    if (auto it = mth_.find(key); it != mth_.end()) return it->second;
    const uint64_t k = std::bit_floor(n - 1);
    const Hash256 hash = NodeHash(Mth(begin, begin + k), Mth(begin + k, end));
    mth_.emplace(key, hash);
    return hash;
  }

  // PATH(m, D[begin:end]).
  Proof Path(uint64_t m, uint64_t begin, uint64_t end) {
    const uint64_t n = end - begin;
    if (n == 1) return {};
    const uint64_t k = std::bit_floor(n - 1);
    Proof proof;
    if (m < k) {
      proof = Path(m, begin, begin + k);
      proof.push_back(Mth(begin + k, end));
    } else {
      proof = Path(m - k, begin + k, end);
      proof.push_back(Mth(begin, begin + k));
    }
    return proof;
  }

  // SUBPROOF(m, D[begin:end], b).
  Proof Subproof(uint64_t m, uint64_t begin, uint64_t end, bool b) {
    const uint64_t n = end - begin;
    if (m == n) return b ? Proof{} : Proof{Mth(begin, end)};
    const uint64_t k = std::bit_floor(n - 1);
    Proof proof;
    if (m <= k) {
      proof = Subproof(m, begin, begin + k, b);
      proof.push_back(Mth(begin + k, end));
    } else {
      proof = Subproof(m - k, begin + k, end, false);
      proof.push_back(Mth(begin, begin + k));
    }
    return proof;
  }

 private:
  std::vector<Hash256> leaves_;
  std::map<std::pair<uint64_t, uint64_t>, Hash256> mth_;
};

MemoryTree BuildTree(const std::vector<Hash256>& leaves) {
  MemoryTree tree;
  for (const Hash256& leaf : leaves) tree.Append(leaf);
  return tree;
}

// Counts reads, to pin the O(log n) cost of roots and proofs.
class CountingSource : public NodeSource {
 public:
  explicit CountingSource(NodeSource& inner) : inner_(inner) {}
  Result<Hash256> PerfectNode(NodeId id) override {
    ++reads_;
    return inner_.PerfectNode(id);
  }
  uint64_t reads() const { return reads_; }

 private:
  NodeSource& inner_;
  uint64_t reads_ = 0;
};

Hash256 FlipBit(Hash256 hash, size_t bit) {
  hash.data()[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  return hash;
}

// ---- Known answers ----

std::string HexToBytes(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// Reproduce a value with e.g. `printf '\x00' | sha256sum` for the leaf "" and
// the known-answers file for the roots.
TEST_CASE("Roots over the known-answer leaves match RFC 6962 values for N = 0..8", "[merkle]") {
  const nlohmann::json doc =
      nlohmann::json::parse(testing::ReadFile(kVectorDir + "/known-answers.json"));
  const auto& inputs = doc.at("leafInputsHex");
  const auto& roots = doc.at("rootHexBySize");
  REQUIRE(inputs.size() == 8);
  REQUIRE(roots.size() == 9);
  MemoryTree tree;
  CompactRange range;
  for (size_t n = 0; n <= 8; ++n) {
    if (n > 0) {
      const Hash256 leaf = LeafHash(HexToBytes(inputs[n - 1].get<std::string>()));
      tree.Append(leaf);
      range.Append(leaf);
    }
    const std::string want = roots[n].get<std::string>();
    INFO("N = " << n);
    CHECK(tree.Root().Hex() == want);
    CHECK(range.Root().Hex() == want);
    const Result<Hash256> at = RootAt(tree, n);
    REQUIRE(at.ok());
    CHECK(at->Hex() == want);
  }
}

TEST_CASE("The empty tree's root is SHA-256 of nothing", "[merkle]") {
  const std::string want = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  CHECK(CompactRange().Root().Hex() == want);
  MemoryTree tree;
  const Result<Hash256> root = RootAt(tree, 0);
  REQUIRE(root.ok());
  CHECK(root->Hex() == want);
}

// ---- Exhaustive agreement with the naive recursion ----

constexpr uint64_t kInclusionSizeMax = 300;
constexpr uint64_t kConsistencySizeMax = 300;

TEST_CASE("Roots at every size up to 300 equal the naive MTH", "[merkle]") {
  NaiveTree naive(kInclusionSizeMax);
  MemoryTree tree;
  Failures failures;
  for (uint64_t n = 1; n <= kInclusionSizeMax; ++n) {
    tree.Append(naive.leaves()[n - 1]);
    const Hash256 want = naive.Mth(0, n);
    if (tree.Root() != want) failures.Add("MemoryTree root, size " + std::to_string(n));
    for (uint64_t m = 1; m <= n; m += (n < 40 ? 1 : 37)) {
      const Result<Hash256> at = RootAt(tree, m);
      if (!at.ok() || *at != naive.Mth(0, m)) {
        failures.Add("RootAt " + std::to_string(m) + " of " + std::to_string(n));
      }
    }
  }
  CHECK_NO_FAILURES(failures);
}

TEST_CASE("Inclusion proofs for every leaf of every size up to 300 equal PATH and verify",
          "[merkle]") {
  NaiveTree naive(kInclusionSizeMax);
  MemoryTree tree = BuildTree(naive.leaves());
  Failures failures;
  for (uint64_t n = 1; n <= kInclusionSizeMax; ++n) {
    const Hash256 root = naive.Mth(0, n);
    for (uint64_t i = 0; i < n; ++i) {
      const std::string where = "index " + std::to_string(i) + ", size " + std::to_string(n);
      const Result<Proof> proof = InclusionProof(tree, i, n);
      if (!proof.ok()) {
        failures.Add(where + ": " + proof.status().en());
        continue;
      }
      if (*proof != naive.Path(i, 0, n)) failures.Add(where + ": differs from PATH");
      const Status verified = VerifyInclusion(i, n, naive.leaves()[i], *proof, root);
      if (!verified.ok()) failures.Add(where + ": " + verified.en());
    }
  }
  CHECK_NO_FAILURES(failures);
}

TEST_CASE("Consistency proofs for every pair of sizes up to 300 equal SUBPROOF and verify",
          "[merkle]") {
  NaiveTree naive(kConsistencySizeMax);
  MemoryTree tree = BuildTree(naive.leaves());
  Failures failures;
  for (uint64_t n = 1; n <= kConsistencySizeMax; ++n) {
    for (uint64_t m = 1; m <= n; ++m) {
      const std::string where = "sizes " + std::to_string(m) + " -> " + std::to_string(n);
      const Result<Proof> proof = ConsistencyProof(tree, m, n);
      if (!proof.ok()) {
        failures.Add(where + ": " + proof.status().en());
        continue;
      }
      if (*proof != naive.Subproof(m, 0, n, true)) failures.Add(where + ": differs from SUBPROOF");
      const Status verified = VerifyConsistency(m, n, *proof, naive.Mth(0, m), naive.Mth(0, n));
      if (!verified.ok()) failures.Add(where + ": " + verified.en());
    }
  }
  CHECK_NO_FAILURES(failures);
}

TEST_CASE("Subtree hashes of unaligned ranges equal the naive MTH", "[merkle]") {
  NaiveTree naive(70);
  MemoryTree tree = BuildTree(naive.leaves());
  Failures failures;
  for (uint64_t begin = 0; begin < 70; ++begin) {
    for (uint64_t end = begin + 1; end <= 70; ++end) {
      const Result<Hash256> hash = SubtreeHash(tree, begin, end);
      if (!hash.ok() || *hash != naive.Mth(begin, end)) {
        failures.Add("[" + std::to_string(begin) + ", " + std::to_string(end) + ")");
      }
    }
  }
  CHECK_NO_FAILURES(failures);
}

TEST_CASE("Roots and proofs read O(log n) perfect nodes", "[merkle]") {
  NaiveTree naive(1000);
  MemoryTree tree = BuildTree(naive.leaves());
  Failures failures;
  for (uint64_t n = 1; n <= 1000; n += 7) {
    // A root reads one node per peak. A proof has at most log n elements, and
    // only the one sibling on the right edge costs more than a read: its peaks.
    const auto log_n = static_cast<uint64_t>(std::bit_width(n));
    CountingSource root_reads(tree);
    REQUIRE(RootAt(root_reads, n).ok());
    if (root_reads.reads() > log_n) failures.Add("root at " + std::to_string(n));
    for (uint64_t i = 0; i < n; i += 13) {
      const std::string where = std::to_string(i) + ", " + std::to_string(n);
      CountingSource inclusion_reads(tree);
      REQUIRE(InclusionProof(inclusion_reads, i, n).ok());
      if (inclusion_reads.reads() > 2 * log_n) failures.Add("inclusion " + where);
      CountingSource consistency_reads(tree);
      REQUIRE(ConsistencyProof(consistency_reads, i + 1, n).ok());
      if (consistency_reads.reads() > 2 * log_n) failures.Add("consistency " + where);
    }
  }
  CHECK_NO_FAILURES(failures);
}

// ---- Mutated proofs ----

const std::vector<uint64_t> kSampleSizes = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12,
                                            13, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100};

TEST_CASE("Inclusion proofs with a flipped bit, a dropped or an added element are rejected",
          "[merkle]") {
  NaiveTree naive(100);
  MemoryTree tree = BuildTree(naive.leaves());
  Failures failures;
  for (uint64_t n : kSampleSizes) {
    const Hash256 root = naive.Mth(0, n);
    for (uint64_t i = 0; i < n; ++i) {
      const std::string where = "index " + std::to_string(i) + ", size " + std::to_string(n);
      const Proof good = *InclusionProof(tree, i, n);
      const auto expect = [&](const Proof& proof, const Hash256& leaf, Code code,
                              const std::string& what) {
        const Status s = VerifyInclusion(i, n, leaf, proof, root);
        if (s.code() != code) failures.Add(where + ", " + what + ": got " + CodeName(s.code()));
      };
      for (size_t e = 0; e < good.size(); ++e) {
        Proof bad = good;
        bad[e] = FlipBit(bad[e], (e * 37 + i) % 256);
        expect(bad, naive.leaves()[i], Code::kCorruption,
               "bit flip in element " + std::to_string(e));
      }
      if (!good.empty()) {
        expect(Proof(good.begin(), good.end() - 1), naive.leaves()[i], Code::kInvalidInput,
               "last element dropped");
      }
      Proof longer = good;
      longer.push_back(root);
      expect(longer, naive.leaves()[i], Code::kInvalidInput, "element added");
      expect(good, FlipBit(naive.leaves()[i], 0), Code::kCorruption, "wrong leaf");
      if (VerifyInclusion(i, n, naive.leaves()[i], good, FlipBit(root, 255)).ok()) {
        failures.Add(where + ": wrong root accepted");
      }
    }
  }
  CHECK_NO_FAILURES(failures);
}

TEST_CASE("Consistency proofs with a flipped bit, a dropped or an added element are rejected",
          "[merkle]") {
  NaiveTree naive(100);
  MemoryTree tree = BuildTree(naive.leaves());
  Failures failures;
  for (uint64_t n : kSampleSizes) {
    const Hash256 root2 = naive.Mth(0, n);
    for (uint64_t m = 1; m < n; ++m) {
      const Hash256 root1 = naive.Mth(0, m);
      const std::string where = "sizes " + std::to_string(m) + " -> " + std::to_string(n);
      const Proof good = *ConsistencyProof(tree, m, n);
      const auto expect = [&](const Proof& proof, Code code, const std::string& what) {
        const Status s = VerifyConsistency(m, n, proof, root1, root2);
        if (s.code() != code) failures.Add(where + ", " + what + ": got " + CodeName(s.code()));
      };
      for (size_t e = 0; e < good.size(); ++e) {
        Proof bad = good;
        bad[e] = FlipBit(bad[e], (e * 41 + m) % 256);
        expect(bad, Code::kCorruption, "bit flip in element " + std::to_string(e));
      }
      expect(Proof(good.begin(), good.end() - 1), Code::kInvalidInput, "last element dropped");
      Proof longer = good;
      longer.push_back(root2);
      expect(longer, Code::kInvalidInput, "element added");
      if (VerifyConsistency(m, n, good, FlipBit(root1, 7), root2).ok() ||
          VerifyConsistency(m, n, good, root1, FlipBit(root2, 7)).ok() ||
          VerifyConsistency(m, n, good, root2, root1).ok()) {
        failures.Add(where + ": a wrong or swapped root was accepted");
      }
    }
  }
  CHECK_NO_FAILURES(failures);
}

// ---- Rejections: codes, order and messages ----

TEST_CASE("Inclusion with index not below size is invalid input, named in both languages",
          "[merkle]") {
  const Hash256 leaf = LeafHash("a");
  const Status s = VerifyInclusion(5, 5, leaf, {}, leaf);
  CHECK(s.code() == Code::kInvalidInput);
  CHECK(s.en().find("5") != std::string::npos);
  CHECK(!s.zh().empty());
  CHECK(VerifyInclusion(0, 0, leaf, {}, leaf).code() == Code::kInvalidInput);
  CHECK(!RootFromInclusionProof(3, 2, leaf, {}).ok());
}

TEST_CASE("A root mismatch is corruption and shows both hashes", "[merkle]") {
  const Hash256 leaf = LeafHash("a");
  const Hash256 other = LeafHash("b");
  const Status s = VerifyInclusion(0, 1, leaf, {}, other);
  CHECK(s.code() == Code::kCorruption);
  CHECK(s.en().find(leaf.Hex()) != std::string::npos);
  CHECK(s.en().find(other.Hex()) != std::string::npos);
  CHECK(s.zh().find(other.Hex()) != std::string::npos);
}

TEST_CASE("A wrong-length inclusion proof states the expected and found lengths", "[merkle]") {
  const Hash256 h = LeafHash("a");
  const Status s = VerifyInclusion(0, 8, h, {h, h}, h);
  CHECK(s.code() == Code::kInvalidInput);
  CHECK(s.en().find("expected 3") != std::string::npos);
  CHECK(s.en().find("found 2") != std::string::npos);
  CHECK(s.zh().find("3") != std::string::npos);
}

TEST_CASE("Consistency checks run in order: shrinking, size1 zero, equal sizes, empty proof",
          "[merkle]") {
  const Hash256 a = LeafHash("a");
  const Hash256 b = LeafHash("b");
  // Shrinking wins over size1 = 0 checks and over a bad proof.
  CHECK(VerifyConsistency(2, 1, {a}, a, b).where().field == "size2");
  CHECK(VerifyConsistency(1, 0, {}, a, a).code() == Code::kInvalidInput);
  // size1 = 0 is refused even when size2 = 0 and the roots agree.
  const Status zero = VerifyConsistency(0, 0, {}, a, a);
  CHECK(zero.code() == Code::kInvalidInput);
  CHECK(zero.where().field == "size1");
  CHECK(VerifyConsistency(0, 5, {}, a, b).where().field == "size1");
  // Equal sizes: a non-empty proof is malformed, before the roots are compared.
  CHECK(VerifyConsistency(3, 3, {a}, a, b).code() == Code::kInvalidInput);
  CHECK(VerifyConsistency(3, 3, {}, a, b).code() == Code::kCorruption);
  // Growing with an empty proof is malformed.
  const Status empty = VerifyConsistency(3, 5, {}, a, b);
  CHECK(empty.code() == Code::kInvalidInput);
  CHECK(empty.where().field == "proof");
}

TEST_CASE("Equal sizes with an empty proof are consistent iff the roots match", "[merkle]") {
  const Hash256 a = LeafHash("a");
  CHECK(VerifyConsistency(1, 1, {}, a, a).ok());
  CHECK(VerifyConsistency(77, 77, {}, a, a).ok());
  CHECK(VerifyConsistency(1, 1, {}, a, LeafHash("b")).code() == Code::kCorruption);
}

TEST_CASE("Proofs for sizes near 2^64 are length-checked without overflow", "[merkle]") {
  const Hash256 h = LeafHash("a");
  const uint64_t max = ~uint64_t{0};
  CHECK(VerifyInclusion(0, max, h, {h}, h).code() == Code::kInvalidInput);
  CHECK(VerifyInclusion(max - 1, max, h, {}, h).code() == Code::kInvalidInput);
  CHECK(VerifyConsistency(1, max, {}, h, h).code() == Code::kInvalidInput);
  CHECK(VerifyConsistency(max - 1, max, {h}, h, h).code() == Code::kInvalidInput);
  // The last leaf of a tree of 2^64 - 1 leaves sits right of 63 other peaks.
  const Result<Hash256> root = RootFromInclusionProof(max - 1, max, h, Proof(63, h));
  CHECK(root.ok());
}

TEST_CASE("Generation refuses ranges outside the tree", "[merkle]") {
  NaiveTree naive(10);
  MemoryTree tree = BuildTree(naive.leaves());
  CHECK(InclusionProof(tree, 10, 10).status().code() == Code::kInvalidInput);
  CHECK(ConsistencyProof(tree, 0, 5).status().code() == Code::kInvalidInput);
  CHECK(ConsistencyProof(tree, 6, 5).status().code() == Code::kInvalidInput);
  CHECK(SubtreeHash(tree, 4, 4).status().code() == Code::kInvalidInput);
  CHECK(tree.PerfectNode(NodeId{.level = 0, .index = 10}).status().code() == Code::kNotFound);
  CHECK(tree.PerfectNode(NodeId{.level = 3, .index = 1}).status().code() == Code::kNotFound);
  CHECK(!RootAt(tree, 11).ok());
  CHECK(!InclusionProof(tree, 3, 12).ok());
  const Result<Proof> same = ConsistencyProof(tree, 7, 7);
  REQUIRE(same.ok());
  CHECK(same->empty());
}

// ---- Split point, compact range, memory tree ----

TEST_CASE("SplitPoint is the largest power of two strictly below n", "[merkle]") {
  CHECK(SplitPoint(2) == 1);
  CHECK(SplitPoint(3) == 2);
  CHECK(SplitPoint(4) == 2);
  CHECK(SplitPoint(5) == 4);
  CHECK(SplitPoint(8) == 4);
  CHECK(SplitPoint(9) == 8);
  CHECK(SplitPoint((uint64_t{1} << 63) + 1) == uint64_t{1} << 63);
  CHECK(SplitPoint(~uint64_t{0}) == uint64_t{1} << 63);
}

TEST_CASE("PeakIds tile the tree left to right, largest first", "[merkle]") {
  for (uint64_t size :
       {uint64_t{0}, uint64_t{1}, uint64_t{6}, uint64_t{13}, uint64_t{1024}, ~uint64_t{0}}) {
    const std::vector<NodeId> ids = CompactRange::PeakIds(size);
    CHECK(ids.size() == static_cast<size_t>(std::popcount(size)));
    uint64_t next = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
      INFO("size " << size << ", peak " << i);
      CHECK(ids[i].index << ids[i].level == next);
      if (i > 0) CHECK(ids[i].level < ids[i - 1].level);
      next += uint64_t{1} << ids[i].level;
    }
    CHECK(next == size);
  }
  const std::vector<NodeId> six = CompactRange::PeakIds(6);
  REQUIRE(six.size() == 2);
  CHECK(six[0] == NodeId{.level = 2, .index = 0});
  CHECK(six[1] == NodeId{.level = 1, .index = 2});
}

TEST_CASE("The sink sees every perfect node exactly once with its MTH", "[merkle]") {
  constexpr uint64_t kLeaves = 200;
  NaiveTree naive(kLeaves);
  MemoryTree tree = BuildTree(naive.leaves());
  CompactRange range;
  std::map<std::pair<unsigned, uint64_t>, Hash256> seen;
  Failures failures;
  for (const Hash256& leaf : naive.leaves()) {
    range.Append(leaf, [&](NodeId id, const Hash256& hash) {
      const std::string name =
          "level " + std::to_string(id.level) + " index " + std::to_string(id.index);
      if (!seen.emplace(std::make_pair(id.level, id.index), hash).second) {
        failures.Add(name + ": emitted twice");
      }
      const uint64_t begin = id.index << id.level;
      if (hash != naive.Mth(begin, begin + (uint64_t{1} << id.level))) {
        failures.Add(name + ": not the MTH of its leaves");
      }
      const Result<Hash256> stored = tree.PerfectNode(id);
      if (!stored.ok() || *stored != hash) failures.Add(name + ": differs from MemoryTree");
    });
  }
  size_t perfect_count = 0;
  for (unsigned level = 0; (uint64_t{1} << level) <= kLeaves; ++level) {
    perfect_count += kLeaves >> level;
  }
  CHECK(seen.size() == perfect_count);
  CHECK(range.Root() == naive.Mth(0, kLeaves));
  CHECK_NO_FAILURES(failures);
}

TEST_CASE("FromPeaks resumes a tree that then grows to the same roots", "[merkle]") {
  constexpr uint64_t kLeaves = 260;
  NaiveTree naive(kLeaves);
  MemoryTree tree = BuildTree(naive.leaves());
  Failures failures;
  for (uint64_t size = 0; size <= 200; ++size) {
    std::vector<Hash256> peaks;
    for (const NodeId& id : CompactRange::PeakIds(size)) peaks.push_back(*tree.PerfectNode(id));
    Result<CompactRange> resumed = CompactRange::FromPeaks(size, peaks);
    if (!resumed.ok()) {
      failures.Add("size " + std::to_string(size) + ": " + resumed.status().en());
      continue;
    }
    if (resumed->Root() != naive.Mth(0, size)) failures.Add("root at " + std::to_string(size));
    for (uint64_t next = size; next < size + 60; ++next) {
      resumed->Append(naive.leaves()[next]);
      if (resumed->Root() != naive.Mth(0, next + 1)) {
        failures.Add("resumed at " + std::to_string(size) + ", root at " +
                     std::to_string(next + 1));
      }
    }
    CHECK(resumed->size() == size + 60);
  }
  CHECK_NO_FAILURES(failures);
}

TEST_CASE("FromPeaks refuses a peak count that does not fit the size", "[merkle]") {
  const Hash256 h = LeafHash("a");
  const Result<CompactRange> few = CompactRange::FromPeaks(3, {h});
  CHECK(few.status().code() == Code::kInvalidInput);
  CHECK(few.status().en().find("2") != std::string::npos);
  CHECK(CompactRange::FromPeaks(4, {h, h}).status().code() == Code::kInvalidInput);
  CHECK(CompactRange::FromPeaks(0, {h}).status().code() == Code::kInvalidInput);
  CHECK(CompactRange::FromPeaks(0, {}).ok());
}

}  // namespace
}  // namespace cunzhang::merkle
