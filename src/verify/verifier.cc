// The auditor's verifier: one streaming pass over entries.jsonl that checks
// every line on its own (JSON, canonical form, envelope), against the line
// before it (sequence, prev link, origin, business rules) and, at the end,
// against the manifest (size, root, checksums) and the auditor's own trusted
// checkpoint. Memory stays bounded whatever the number of entries: the pass
// keeps the previous line's leaf hash, the Merkle peaks, the rule state and
// at most limits::kVerifyFaultsMax faults. This file reads the bundle, on two
// threads, and feeds the lines in order to the checks (checker.h).
#include <cassert>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "cunzhang/bundle.h"
#include "cunzhang/domain.h"
#include "cunzhang/entry.h"
#include "cunzhang/json.h"
#include "cunzhang/limits.h"
#include "cunzhang/merkle.h"
#include "cunzhang/verify.h"
#include "checker.h"

namespace cunzhang::verify {
namespace {

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

// What the reader thread hands to the checker: lines and the reader's own
// events, in file order.
struct ReadEvent {
  enum class Kind : uint8_t { kLine, kTooLong, kReadError };
  Kind kind = Kind::kLine;
  size_t offset = 0;  // into ReadBatch::bytes
  size_t size = 0;
  int64_t number = 0;
  bool terminated = true;
  Status status;  // kTooLong, kReadError
  bool processed = false;  // kLine: `leaf` and `decoded` are set
  Hash256 leaf;
  DecodedLine decoded;
};

struct ReadBatch {
  std::string bytes;
  // events[0, count) are this batch's. The slots after them stay from earlier
  // batches, so that decoding reuses their entries' strings.
  std::vector<ReadEvent> events;
  size_t count = 0;
  bool last = false;
  uint64_t total_bytes = 0;  // set on the last batch
  std::optional<Hash256> sha256;  // of the whole file, set on the last batch if asked for

  std::span<ReadEvent> used() { return {events.data(), count}; }
  // The next slot; the caller sets what its kind uses. The decoded entry's
  // strings stay from the slot's last use, for DecodeEntryLazy to reuse.
  ReadEvent& Add(ReadEvent::Kind kind) {
    if (count == events.size()) events.emplace_back();
    ReadEvent& e = events[count++];
    e.kind = kind;
    e.processed = false;
    return e;
  }
};

// Hashing and decoding each line is pure and is most of the work: whichever
// thread has time for a batch does it (see ReadLines), so both cores share it.
// `origin`: the ledger's, when known before the pass (see DecodeLine).
void ProcessBatch(ReadBatch* batch, std::string_view origin) {
  std::string_view bytes = batch->bytes;
  for (ReadEvent& e : batch->used()) {
    if (e.kind != ReadEvent::Kind::kLine || e.processed) continue;
    std::string_view line = bytes.substr(e.offset, e.size);
    e.leaf = LeafHash(line);
    DecodeLine(line, &e.decoded, origin);
    e.processed = true;
  }
}

constexpr size_t kBatchBytes = 1 << 20;
// Decoded entries wait in a batch until the rules reach them: keep it small
// enough that a batch decoded by the checking thread is still in its cache
// when it applies the rules (256 entries are about 130 KB of lines and some
// 300 KB decoded). Measured on the 1M bench bundle, eight runs of each,
// alternated on a noisy 2-core VM: median 1.42 s at 1024, 1.17 s at 512
// and at 256 (the steadiest: 1.08-1.21 s); 128 and 64 were no better.
constexpr size_t kBatchEvents = 256;
// The reader decodes a batch itself only while the checking thread has at
// least this many batches waiting, and otherwise leaves it to that thread.
// At 1 (a batch waiting) the checking thread often ran out of work while the
// reader decoded, and sat idle 11% of the pass (perf, samples per thread:
// the reader 100% busy, the checker 89%); at 2, with room for six batches
// in flight instead of four, 97%. The 1M bench bundle, eight runs of each
// alternated, three times: median 1.075 / 1.280 s against 1.235 / 1.420 s
// (-9% to -13%), and less CPU in all.
constexpr size_t kCheckerAheadMin = 2;
constexpr size_t kBatchesInFlight = 6;  // bounds the memory the pipeline holds
// The reader fills one and the checker holds one: the rest can wait, and
// enough of them for the threshold above to be reached.
static_assert(kCheckerAheadMin + 2 <= kBatchesInFlight);

// A bounded single-producer, single-consumer queue of batches. Emptied
// batches go back to the reader, so their buffers are reused instead of
// allocated for every megabyte read.
class BatchQueue {
 public:
  void Push(ReadBatch batch) { Put(&full_, std::move(batch)); }
  // Batches pushed and not yet popped.
  size_t Waiting() {
    std::lock_guard lock(mu_);
    return full_.size();
  }
  ReadBatch Pop() { return Take(&full_); }
  void Recycle(ReadBatch batch) {
    batch.bytes.clear();
    batch.count = 0;
    Put(&empty_, std::move(batch));
  }
  // An emptied batch to fill, or a new one while fewer than the limit exist.
  ReadBatch Fresh() {
    std::unique_lock lock(mu_);
    if (created_ < kBatchesInFlight) {
      ++created_;
      ReadBatch batch;
      batch.events.reserve(kBatchEvents);  // large slots: do not move them as it fills
      return batch;
    }
    lock.unlock();
    return Take(&empty_);
  }

 private:
  void Put(std::deque<ReadBatch>* q, ReadBatch batch) {
    std::lock_guard lock(mu_);
    q->push_back(std::move(batch));
    changed_.notify_all();
  }
  ReadBatch Take(std::deque<ReadBatch>* q) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return !q->empty(); });
    ReadBatch batch = std::move(q->front());
    q->pop_front();
    return batch;
  }

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<ReadBatch> full_;
  std::deque<ReadBatch> empty_;
  size_t created_ = 0;
};

// Where ReadLines gets empty batches and sends full ones.
struct BatchFlow {
  std::function<ReadBatch()> fresh;
  std::function<void(ReadBatch)> emit;
  // True when the consumer is behind, so the reader processes the batch
  // itself before emitting it: the two threads then share the work whatever
  // its mix, without a fixed split that leaves one of them waiting.
  std::function<bool()> consumer_busy;
  std::string_view origin;  // the ledger's, if known before the pass
  bool file_sha256 = false;  // hash the whole file too (Checker::wants_file_sha256)
};

// Reads every line of `entries`, hashing the file if asked, and hands the lines to
// `flow` in batches; the last batch has last = true.
void ReadLines(std::FILE* entries, const BatchFlow& flow) {
  Sha256Stream sha;
  bundle::LineReader reader(entries, limits::kEntryBytesMax);
  if (flow.file_sha256) reader.set_sha(&sha);
  bundle::LineReader::Line line;
  int64_t last_number = 0;
  ReadBatch batch = flow.fresh();
  for (;;) {
    Status status;
    bool more = reader.Next(&line, &status);
    if (!status.ok() && more) {  // an over-long line, skipped
      int64_t number = status.where().line > 0 ? status.where().line : last_number + 1;
      last_number = number;
      ReadEvent& e = batch.Add(ReadEvent::Kind::kTooLong);
      e.number = number;
      e.status = status;
      continue;
    }
    if (!status.ok()) batch.Add(ReadEvent::Kind::kReadError).status = status;
    if (!more) break;
    last_number = line.number;
    ReadEvent& e = batch.Add(ReadEvent::Kind::kLine);
    e.offset = batch.bytes.size();
    e.size = line.bytes.size();
    e.number = line.number;
    e.terminated = line.terminated;
    batch.bytes.append(line.bytes);
    if (batch.bytes.size() >= kBatchBytes || batch.count >= kBatchEvents) {
      if (flow.consumer_busy()) ProcessBatch(&batch, flow.origin);
      flow.emit(std::move(batch));
      batch = flow.fresh();
    }
  }
  batch.last = true;
  batch.total_bytes = reader.bytes_read();
  if (flow.file_sha256) batch.sha256 = sha.Finish();
  flow.emit(std::move(batch));
}

// Gives one batch to the checker, processing it first unless the reader
// did; true when it was the last.
bool CheckBatch(ReadBatch& batch, Checker* checker) {
  ProcessBatch(&batch, checker->origin());
  for (ReadEvent& e : batch.used()) {
    switch (e.kind) {
      case ReadEvent::Kind::kLine: {
        bundle::LineReader::Line line{.bytes = std::string_view(batch.bytes).substr(e.offset, e.size),
                                      .number = e.number,
                                      .terminated = e.terminated};
        checker->OnLine(line, e.leaf, &e.decoded);
        break;
      }
      case ReadEvent::Kind::kTooLong: checker->OnLineTooLong(e.status, e.number); break;
      case ReadEvent::Kind::kReadError: checker->OnReadError(e.status); break;
    }
  }
  checker->EndBatch();
  if (batch.last) checker->Finish(batch.total_bytes, batch.sha256);
  return batch.last;
}

// The streaming core shared by files and memory. Reading (and the file's
// SHA-256, when the manifest has one) runs on a second thread while this one
// checks the lines in order; hashing and decoding each line, most of the
// work, is done by whichever of the two has time for it. The machine an auditor uses has more than one core.
void CheckEntries(std::FILE* entries, Checker* checker) {
  BatchQueue queue;
  std::thread reader;
  const std::string origin = checker->origin();  // the reader's own copy
  const bool file_sha256 = checker->wants_file_sha256();
  try {
    reader = std::thread([&] {
      ReadLines(entries,
                BatchFlow{.fresh = [&] { return queue.Fresh(); },
                          .emit = [&](ReadBatch b) { queue.Push(std::move(b)); },
                          .consumer_busy = [&] { return queue.Waiting() >= kCheckerAheadMin; },
                          .origin = origin,
                          .file_sha256 = file_sha256});
    });
  } catch (const std::system_error&) {  // no thread to be had: do both halves here
    ReadLines(entries, BatchFlow{.fresh = [] { return ReadBatch(); },
                                 .emit = [&](ReadBatch b) { CheckBatch(b, checker); },
                                 .consumer_busy = [] { return false; },
                                 .file_sha256 = file_sha256});
    return;
  }
  for (bool last = false; !last;) {
    ReadBatch batch = queue.Pop();
    last = CheckBatch(batch, checker);
    if (!last) queue.Recycle(std::move(batch));
  }
  reader.join();
}

Result<std::string> ReadManifest(const std::string& path) {
  FilePtr file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (file == nullptr) {
    return Status(Code::kNotFound, "找不到清单文件 manifest.json", "manifest.json not found",
                  Where{.file = path});
  }
  std::string bytes(limits::kManifestBytesMax + 1, '\0');
  size_t n = std::fread(bytes.data(), 1, bytes.size(), file.get());
  if (std::ferror(file.get())) {
    return Status(Code::kIo, "读取清单文件出错", "error reading manifest.json",
                  Where{.file = path});
  }
  bytes.resize(n);
  return bytes;
}

}  // namespace

Report VerifyBundle(const std::string& path, const Options& options) {
  Report report;
  report.bundle = path;
  Checker checker(options, &report);
  std::string manifest_path = path + "/" + std::string(bundle::kManifestFile);
  Result<std::string> manifest = ReadManifest(manifest_path);
  if (manifest.ok()) {
    checker.OnManifest(*manifest, manifest_path);
  } else {
    checker.OnManifestUnreadable(manifest.status());
  }
  std::string entries_path = path + "/" + std::string(bundle::kEntriesFile);
  FilePtr entries(std::fopen(entries_path.c_str(), "rb"), &std::fclose);
  if (entries == nullptr) {
    checker.OnEntriesMissing(Status(Code::kNotFound, "找不到条目文件 entries.jsonl",
                                    "entries.jsonl not found", Where{.file = entries_path}));
    return report;
  }
  CheckEntries(entries.get(), &checker);
  return report;
}

Report VerifyBundleBytes(std::string_view manifest, std::string_view entries,
                         const Options& options) {
  Report report;
  Checker checker(options, &report);
  checker.OnManifest(manifest, std::string(bundle::kManifestFile));
  // fmemopen only reads: the cast is for its C signature. A one-byte dummy
  // stands in for an empty view whose data() may be null.
  static char empty[1] = {0};
  void* data = entries.empty() ? empty : const_cast<char*>(entries.data());
  FilePtr file(fmemopen(data, entries.size(), "rb"), &std::fclose);
  if (file == nullptr) {
    checker.OnEntriesMissing(
        Status(Code::kIo, "无法在内存中打开条目", "cannot open the entries in memory"));
    return report;
  }
  CheckEntries(file.get(), &checker);
  return report;
}

}  // namespace cunzhang::verify
