// A village ledger on disk (RocksDB): entries exactly as hashed, the Merkle
// tree's perfect subtrees for O(log n) roots and proofs, the derived domain
// state, and the indexes. One writer at a time; any number of readers.
#ifndef CUNZHANG_STORE_H_
#define CUNZHANG_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cunzhang/domain.h"
#include "cunzhang/entry.h"
#include "cunzhang/hash.h"
#include "cunzhang/status.h"

namespace cunzhang {

struct AppendOutcome {
  uint64_t seq = 0;
  bool already_recorded = false;  // idempotent retry: nothing was written
};

class Ledger {
 public:
  enum class Mode { kWrite, kReadOnly };

  virtual ~Ledger() = default;

  // Creates a new, empty ledger directory. Fails (kConflict) if one exists.
  static Result<std::unique_ptr<Ledger>> Create(const std::string& path, const std::string& origin);
  // Opens an existing ledger. kNotFound when there is none; kBusy when another
  // writer holds it (kWrite only).
  static Result<std::unique_ptr<Ledger>> Open(const std::string& path, Mode mode);

  virtual const std::string& origin() const = 0;
  virtual uint64_t size() const = 0;
  virtual Hash256 root() const = 0;
  virtual const domain::State& state() const = 0;

  // Appends a batch atomically: the rules run on every entry first; either all
  // new entries are written in one synced write or none is. A request whose
  // idempotency id is already recorded with the same content is answered with
  // its sequence number and not written again; the same id with different
  // content fails the whole batch (kConflict). Returns only once durable.
  // REQUIRES: Mode::kWrite. Errors carry Where::line = index in `requests` + 1.
  virtual Result<std::vector<AppendOutcome>> Append(const std::vector<EntryRequest>& requests) = 0;
  // Called by AppendBatches with a batch's index and outcomes once it is durable.
  using BatchDurable = std::function<void(size_t batch, std::vector<AppendOutcome> outcomes)>;
  // Appends `batches` in order, each exactly as Append would (atomic, in one
  // write of its own that is synced before it is acknowledged, judged against
  // every batch before it), and calls `durable` for each batch, in order, once
  // it is durable. What differs from calling Append in a loop is the time:
  // while one batch's write is synced to disk, the next is checked, built and
  // written. Stops at the first batch that fails and returns its error, the
  // batch named ("batch 3: ..."; Where::line counts within it): the batches
  // before it are durable and were acknowledged; it and those after are not
  // written. If a sync itself fails (the disk), the batches not acknowledged
  // may or may not be found after reopening, and this ledger appends no more
  // until it is reopened. For an import of many batches, and for a server
  // committing clients' batches in turn. REQUIRES: Mode::kWrite.
  //
  // While `durable` runs for batch k, batch k+1 may already be written and
  // not yet synced: size(), root(), state() and the readers below may then
  // include it. What `durable` may acknowledge is what its outcomes name (and
  // the tree up to the last of them, RootAt); a server must not publish size()
  // or root() from inside the callback as durable.
  virtual Status AppendBatches(std::span<const std::vector<EntryRequest>> batches,
                               const BatchDurable& durable) = 0;
  // Everything Append checks (envelopes, idempotency, the rules, limits) on
  // copies, and the outcomes Append would return; writes nothing and leaves
  // the ledger as it was. Allowed in either mode. For --dry-run.
  virtual Result<std::vector<AppendOutcome>> Check(const std::vector<EntryRequest>& requests) = 0;

  // Canonical bytes of entry `seq`; kNotFound when seq >= size().
  virtual Result<std::string> EntryBytes(uint64_t seq) = 0;
  // Calls `fn` with entries [first, last) in order; stops early when it returns false.
  virtual Status Scan(uint64_t first, uint64_t last,
                      const std::function<bool(uint64_t seq, std::string_view bytes)>& fn) = 0;
  // Sequence numbers of the entries of one type, in order.
  virtual Result<std::vector<uint64_t>> SeqsOfType(const std::string& type) = 0;
  // Sequence number recorded for an idempotency id, if any.
  virtual Result<std::optional<uint64_t>> FindIdempotencyId(const std::string& id) = 0;

  virtual Result<Hash256> RootAt(uint64_t size) = 0;
  virtual Result<std::vector<Hash256>> InclusionProof(uint64_t index, uint64_t size) = 0;
  virtual Result<std::vector<Hash256>> ConsistencyProof(uint64_t size1, uint64_t size2) = 0;
};

}  // namespace cunzhang

#endif  // CUNZHANG_STORE_H_
