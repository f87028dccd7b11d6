// Roots and proofs, RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and §2.1.4.1
// (SUBPROOF), built from perfect subtree hashes. Every subtree the RFC's
// recursion names either is perfect (one read) or ends at the tree's right
// edge, where it is composed from its perfect parts, so a root or a proof
// costs O(log n) reads.
#include <algorithm>
#include <bit>
#include <string>
#include <utility>

#include "cunzhang/merkle.h"

namespace cunzhang::merkle {
namespace {

std::string Num(uint64_t n) { return std::to_string(n); }

// True when leaves [begin, begin + count) form one perfect subtree.
bool IsPerfect(uint64_t begin, uint64_t count) {
  return std::has_single_bit(count) && (begin & (count - 1)) == 0;
}

// REQUIRES: IsPerfect(begin, count).
NodeId PerfectId(uint64_t begin, uint64_t count) {
  const auto level = static_cast<unsigned>(std::countr_zero(count));
  return NodeId{.level = level, .index = begin >> level};
}

Hash256 EmptyRoot() { return Sha256(""); }

Status BadRange(const char* what, uint64_t a, uint64_t b, const std::string& zh_rule,
                const std::string& en_rule) {
  return Status(Code::kInvalidInput,
                std::string(what) + "：" + Num(a) + "，" + Num(b) + " 不满足 " + zh_rule,
                std::string(what) + ": " + Num(a) + ", " + Num(b) + " break the rule " + en_rule);
}

}  // namespace

uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

// MTH(D[begin:end]). Walks down the right edge: each left part is perfect
// when `begin` is aligned (always so for the ranges a proof names); an
// unaligned left part recurses and still gives the RFC's hash, only slower.
Result<Hash256> SubtreeHash(NodeSource& source, uint64_t begin, uint64_t end) {
  if (begin >= end) return BadRange("SubtreeHash", begin, end, "起点 < 终点", "begin < end");
  std::vector<Hash256> lefts;
  while (!IsPerfect(begin, end - begin)) {
    const uint64_t k = SplitPoint(end - begin);
    CZ_ASSIGN_OR_RETURN(Hash256 left, SubtreeHash(source, begin, begin + k));
    lefts.push_back(left);
    begin += k;
  }
  CZ_ASSIGN_OR_RETURN(Hash256 hash, source.PerfectNode(PerfectId(begin, end - begin)));
  for (auto it = lefts.rbegin(); it != lefts.rend(); ++it) hash = NodeHash(*it, hash);
  return hash;
}

Result<Hash256> RootAt(NodeSource& source, uint64_t size) {
  if (size == 0) return EmptyRoot();
  return SubtreeHash(source, 0, size);
}

// PATH(index, D[0:size]), unrolled: descend towards the leaf, taking the
// sibling subtree at each split; the RFC lists them leaf first.
Result<std::vector<Hash256>> InclusionProof(NodeSource& source, uint64_t index, uint64_t size) {
  if (index >= size) {
    return BadRange("InclusionProof", index, size, "叶子序号 < 树的大小", "index < size");
  }
  std::vector<Hash256> proof;
  uint64_t begin = 0;
  uint64_t end = size;
  while (end - begin > 1) {
    const uint64_t mid = begin + SplitPoint(end - begin);
    const bool go_left = index < mid;
    CZ_ASSIGN_OR_RETURN(Hash256 sibling,
                        go_left ? SubtreeHash(source, mid, end) : SubtreeHash(source, begin, mid));
    proof.push_back(sibling);
    (go_left ? end : begin) = mid;
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

// SUBPROOF(size1, D[0:size2], true), unrolled the same way. `whole` is the
// RFC's flag b: the current subtree is the old tree's root, known to the
// verifier, so it is left out.
Result<std::vector<Hash256>> ConsistencyProof(NodeSource& source, uint64_t size1, uint64_t size2) {
  if (size1 == 0 || size1 > size2) {
    return BadRange("ConsistencyProof", size1, size2, "0 < 旧树大小 ≤ 新树大小",
                    "0 < size1 <= size2");
  }
  std::vector<Hash256> proof;
  uint64_t begin = 0;
  uint64_t end = size2;
  bool whole = true;
  while (size1 < end) {
    const uint64_t mid = begin + SplitPoint(end - begin);
    const bool go_left = size1 <= mid;
    CZ_ASSIGN_OR_RETURN(Hash256 sibling,
                        go_left ? SubtreeHash(source, mid, end) : SubtreeHash(source, begin, mid));
    proof.push_back(sibling);
    if (go_left) {
      end = mid;
    } else {
      begin = mid;
      whole = false;
    }
  }
  if (!whole) {
    CZ_ASSIGN_OR_RETURN(Hash256 old_part, SubtreeHash(source, begin, end));
    proof.push_back(old_part);
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

// ---- CompactRange ----

std::vector<NodeId> CompactRange::PeakIds(uint64_t size) {
  std::vector<NodeId> ids;
  uint64_t begin = 0;
  for (int level = 63; level >= 0; --level) {
    const uint64_t count = uint64_t{1} << level;
    if ((size & count) == 0) continue;
    ids.push_back(PerfectId(begin, count));
    begin += count;
  }
  return ids;
}

Result<CompactRange> CompactRange::FromPeaks(uint64_t size, std::vector<Hash256> peaks) {
  const auto expected = static_cast<size_t>(std::popcount(size));
  if (peaks.size() != expected) {
    return Status(Code::kInvalidInput,
                  "大小为 " + Num(size) + " 的树应有 " + Num(expected) + " 个峰，实有 " +
                      Num(peaks.size()) + " 个",
                  "a tree of " + Num(size) + " leaves has " + Num(expected) + " peaks, found " +
                      Num(peaks.size()),
                  Where{.field = "peaks"});
  }
  CompactRange range;
  range.size_ = size;
  range.peaks_ = std::move(peaks);
  return range;
}

// The new leaf merges with one peak per trailing one bit of the old size:
// exactly the perfect subtrees that the leaf completes.
void CompactRange::Append(const Hash256& leaf, const NodeSink& sink) {
  NodeId id{.level = 0, .index = size_};
  Hash256 hash = leaf;
  if (sink) sink(id, hash);
  while (((size_ >> id.level) & 1) == 1) {
    hash = NodeHash(peaks_.back(), hash);
    peaks_.pop_back();
    id = NodeId{.level = id.level + 1, .index = id.index >> 1};
    if (sink) sink(id, hash);
  }
  peaks_.push_back(hash);
  ++size_;
}

Hash256 CompactRange::Root() const {
  if (peaks_.empty()) return EmptyRoot();
  Hash256 hash = peaks_.back();
  for (auto it = peaks_.rbegin() + 1; it != peaks_.rend(); ++it) hash = NodeHash(*it, hash);
  return hash;
}

// ---- MemoryTree ----

void MemoryTree::Append(const Hash256& leaf) {
  range_.Append(leaf, [this](NodeId id, const Hash256& hash) {
    if (levels_.size() <= id.level) levels_.resize(id.level + 1);
    levels_[id.level].push_back(hash);  // nodes of a level complete in order
  });
}

Result<Hash256> MemoryTree::PerfectNode(NodeId id) {
  if (id.level < levels_.size() && id.index < levels_[id.level].size()) {
    return levels_[id.level][id.index];
  }
  return Status(Code::kNotFound,
                "树（" + Num(size()) + " 个叶子）中没有第 " + Num(id.level) + " 层第 " +
                    Num(id.index) + " 个完全子树",
                "the tree of " + Num(size()) + " leaves has no perfect subtree at level " +
                    Num(id.level) + ", index " + Num(id.index));
}

}  // namespace cunzhang::merkle
