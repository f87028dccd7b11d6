// Proof verification, RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2
// (consistency). Pure functions over hashes; modelled on transparency-dev/merkle
// proof/verify.go, which computes the proof's shape from the index and sizes
// first, so a proof of the wrong length is rejected before any hashing.
#include <bit>
#include <cstddef>
#include <string>

#include "cunzhang/merkle.h"

namespace cunzhang::merkle {
namespace {

using Proof = std::vector<Hash256>;
using ProofIter = Proof::const_iterator;

std::string Num(uint64_t n) { return std::to_string(n); }

// An inclusion proof for `index` in a tree of `size` leaves splits into an
// inner part (siblings below the level where the paths of `index` and of the
// last leaf `size - 1` merge) and a border part (left siblings above it).
struct ProofShape {
  size_t inner = 0;
  size_t border = 0;
  size_t total() const { return inner + border; }
};

// REQUIRES: index < size.
ProofShape DecomposeInclusion(uint64_t index, uint64_t size) {
  ProofShape shape;
  shape.inner = static_cast<size_t>(std::bit_width(index ^ (size - 1)));
  const uint64_t above = shape.inner >= 64 ? 0 : index >> shape.inner;
  shape.border = static_cast<size_t>(std::popcount(above));
  return shape;
}

// Folds inner siblings: bit i of `index` says whether the running hash is a
// right child (1) or a left child (0) at level i.
Hash256 ChainInner(Hash256 seed, ProofIter begin, ProofIter end, uint64_t index) {
  for (unsigned i = 0; begin != end; ++begin, ++i) {
    seed = ((index >> i) & 1) == 0 ? NodeHash(seed, *begin) : NodeHash(*begin, seed);
  }
  return seed;
}

// Like ChainInner, but keeps only the left siblings: the hash of the smaller
// tree in a consistency proof, whose right edge ends at the running hash.
Hash256 ChainInnerRight(Hash256 seed, ProofIter begin, ProofIter end, uint64_t index) {
  for (unsigned i = 0; begin != end; ++begin, ++i) {
    if (((index >> i) & 1) == 1) seed = NodeHash(*begin, seed);
  }
  return seed;
}

// Border siblings are all left siblings: the running hash is on the right edge.
Hash256 ChainBorderRight(Hash256 seed, ProofIter begin, ProofIter end) {
  for (; begin != end; ++begin) seed = NodeHash(*begin, seed);
  return seed;
}

enum class ProofKind { kInclusion, kConsistency };

Status WrongProofLength(ProofKind kind, size_t expected, size_t found) {
  const bool inclusion = kind == ProofKind::kInclusion;
  return Status(Code::kInvalidInput,
                std::string(inclusion ? "包含证明" : "一致性证明") + "长度错误：应为 " +
                    Num(expected) + " 个哈希，实为 " + Num(found) + " 个",
                std::string(inclusion ? "inclusion" : "consistency") +
                    " proof has the wrong length: expected " + Num(expected) + " hashes, found " +
                    Num(found),
                Where{.field = "proof"});
}

Status RootMismatch(const char* field, const Hash256& computed, const Hash256& claimed) {
  return Status(
      Code::kCorruption,
      std::string("根哈希不符：证明得出 ") + computed.Hex() + "，声称的是 " + claimed.Hex(),
      std::string("root mismatch: the proof leads to ") + computed.Hex() +
          ", the claimed root is " + claimed.Hex(),
      Where{.field = field});
}

Status CheckMatch(const char* field, const Hash256& computed, const Hash256& claimed) {
  if (computed == claimed) return Status::Ok();
  return RootMismatch(field, computed, claimed);
}

// The general case: 0 < size1 < size2 and a non-empty proof. The proof is a
// suffix of the inclusion proof of leaf size1 - 1 in the new tree, starting
// at level `shift`, where the largest perfect subtree ending at leaf size1 - 1
// sits. That subtree's hash is root1 itself when size1 is a power of two, else
// the proof's first element.
Status VerifyConsistencyPath(uint64_t size1, uint64_t size2, const Proof& proof,
                             const Hash256& root1, const Hash256& root2) {
  ProofShape shape = DecomposeInclusion(size1 - 1, size2);
  const auto shift = static_cast<size_t>(std::countr_zero(size1));
  shape.inner -= shift;  // shift < inner because size1 < size2
  const bool seed_is_root1 = size1 == (uint64_t{1} << shift);
  const size_t start = seed_is_root1 ? 0 : 1;
  if (proof.size() != start + shape.total()) {
    return WrongProofLength(ProofKind::kConsistency, start + shape.total(), proof.size());
  }
  const Hash256& seed = seed_is_root1 ? root1 : proof[0];
  const ProofIter first = proof.begin() + static_cast<ptrdiff_t>(start);
  const ProofIter split = first + static_cast<ptrdiff_t>(shape.inner);
  const uint64_t mask = (size1 - 1) >> shift;

  const Hash256 hash1 =
      ChainBorderRight(ChainInnerRight(seed, first, split, mask), split, proof.end());
  CZ_RETURN_IF_ERROR(CheckMatch("root1", hash1, root1));
  const Hash256 hash2 = ChainBorderRight(ChainInner(seed, first, split, mask), split, proof.end());
  return CheckMatch("root2", hash2, root2);
}

}  // namespace

Result<Hash256> RootFromInclusionProof(uint64_t index, uint64_t size, const Hash256& leaf,
                                       const std::vector<Hash256>& proof) {
  if (index >= size) {
    return Status(
        Code::kInvalidInput, "包含证明的叶子序号 " + Num(index) + " 不小于树的大小 " + Num(size),
        "inclusion proof: leaf index " + Num(index) + " is not less than tree size " + Num(size),
        Where{.field = "index"});
  }
  const ProofShape shape = DecomposeInclusion(index, size);
  if (proof.size() != shape.total()) {
    return WrongProofLength(ProofKind::kInclusion, shape.total(), proof.size());
  }
  const ProofIter split = proof.begin() + static_cast<ptrdiff_t>(shape.inner);
  Hash256 hash = ChainInner(leaf, proof.begin(), split, index);
  return ChainBorderRight(hash, split, proof.end());
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Hash256& leaf,
                       const std::vector<Hash256>& proof, const Hash256& root) {
  CZ_ASSIGN_OR_RETURN(const Hash256 computed, RootFromInclusionProof(index, size, leaf, proof));
  return CheckMatch("root", computed, root);
}

Status VerifyConsistency(uint64_t size1, uint64_t size2, const std::vector<Hash256>& proof,
                         const Hash256& root1, const Hash256& root2) {
  if (size2 < size1) {
    return Status(Code::kInvalidInput,
                  "一致性证明的新树大小 " + Num(size2) + " 小于旧树大小 " + Num(size1),
                  "consistency proof: the new tree size " + Num(size2) +
                      " is smaller than the old tree size " + Num(size1),
                  Where{.field = "size2"});
  }
  if (size1 == 0) {
    return Status(Code::kInvalidInput, "一致性证明的旧树大小为 0：任何树都包含空树，证明没有意义",
                  "consistency proof: the old tree size is 0; every tree extends the empty "
                  "tree, so there is nothing to prove",
                  Where{.field = "size1"});
  }
  if (size1 == size2) {
    if (!proof.empty()) return WrongProofLength(ProofKind::kConsistency, 0, proof.size());
    return CheckMatch("root2", root1, root2);
  }
  // An empty proof fails the path's length check, which names the length due.
  return VerifyConsistencyPath(size1, size2, proof, root1, root2);
}

}  // namespace cunzhang::merkle
