// The RFC 9162 Merkle tree over entries: roots, proof generation and proof
// verification. Verification functions are pure and know nothing of storage;
// generation reads perfect subtree hashes from a NodeSource, so a store can
// answer any root or proof with O(log n) reads.
#ifndef CUNZHANG_MERKLE_H_
#define CUNZHANG_MERKLE_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "cunzhang/hash.h"
#include "cunzhang/status.h"

namespace cunzhang::merkle {

// ---- Verification (RFC 9162 §2.1.3.2 and §2.1.4.2) ----

// OK when `proof` shows the leaf with hash `leaf` at `index` in the tree of
// `size` leaves whose root is `root`.
Status VerifyInclusion(uint64_t index, uint64_t size, const Hash256& leaf,
                       const std::vector<Hash256>& proof, const Hash256& root);

// OK when `proof` shows the tree (size2, root2) extends the tree (size1, root1).
// Checks, in order: size2 < size1, size1 = 0, size1 = size2, empty proof.
Status VerifyConsistency(uint64_t size1, uint64_t size2, const std::vector<Hash256>& proof,
                         const Hash256& root1, const Hash256& root2);

// The root an inclusion proof leads to (no comparison). Fails only on a proof
// of the wrong length or index >= size.
Result<Hash256> RootFromInclusionProof(uint64_t index, uint64_t size, const Hash256& leaf,
                                       const std::vector<Hash256>& proof);

// ---- Generation (RFC 9162 §2.1.3.1 and §2.1.4.1) ----

// A perfect subtree is identified by its level (0 = a leaf) and its index at
// that level; it covers leaves [index << level, (index + 1) << level).
struct NodeId {
  unsigned level = 0;
  uint64_t index = 0;
  friend bool operator==(const NodeId&, const NodeId&) = default;
};

// Answers the hash of any perfect subtree inside the current tree.
class NodeSource {
 public:
  virtual ~NodeSource() = default;
  virtual Result<Hash256> PerfectNode(NodeId id) = 0;
};

// Root of the tree over the first `size` leaves. REQUIRES: size ≤ source size.
Result<Hash256> RootAt(NodeSource& source, uint64_t size);
// Hash of leaves [begin, end), built from perfect subtrees. REQUIRES begin < end.
Result<Hash256> SubtreeHash(NodeSource& source, uint64_t begin, uint64_t end);
Result<std::vector<Hash256>> InclusionProof(NodeSource& source, uint64_t index, uint64_t size);
Result<std::vector<Hash256>> ConsistencyProof(NodeSource& source, uint64_t size1,
                                              uint64_t size2);

// ---- Incremental building ----

// The perfect subtrees ("peaks") of a growing tree: O(log n) memory, the root
// at any moment, and every perfect node the moment it completes.
class CompactRange {
 public:
  using NodeSink = std::function<void(NodeId, const Hash256&)>;

  CompactRange() = default;
  // Resumes a tree of `size` leaves from its peaks, largest first.
  static Result<CompactRange> FromPeaks(uint64_t size, std::vector<Hash256> peaks);
  // Peak ids of a tree of `size` leaves, largest first.
  static std::vector<NodeId> PeakIds(uint64_t size);

  // Appends a leaf hash. `sink`, when set, receives every node that becomes
  // perfect, including the leaf itself (level 0).
  void Append(const Hash256& leaf, const NodeSink& sink = nullptr);
  Hash256 Root() const;
  uint64_t size() const { return size_; }
  const std::vector<Hash256>& peaks() const { return peaks_; }

 private:
  uint64_t size_ = 0;
  std::vector<Hash256> peaks_;  // largest subtree first
};

// A whole tree in memory, every perfect node kept. For tests and small trees.
class MemoryTree : public NodeSource {
 public:
  void Append(const Hash256& leaf);
  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  Hash256 Root() const { return range_.Root(); }
  Result<Hash256> PerfectNode(NodeId id) override;

 private:
  std::vector<std::vector<Hash256>> levels_;
  CompactRange range_;
};

// Largest power of two strictly smaller than n. REQUIRES: n >= 2.
uint64_t SplitPoint(uint64_t n);

}  // namespace cunzhang::merkle

#endif  // CUNZHANG_MERKLE_H_
