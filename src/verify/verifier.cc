// The auditor's verifier: one streaming pass over entries.jsonl that checks
// every line on its own (JSON, canonical form, envelope), against the line
// before it (sequence, prev link, origin, business rules) and, at the end,
// against the manifest (size, root, checksums) and the auditor's own trusted
// checkpoint. Memory stays bounded whatever the number of entries: the pass
// keeps the previous line's leaf hash, the Merkle peaks, the rule state and
// at most limits::kVerifyFaultsMax faults.
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
#include "effect_spill.h"

namespace cunzhang::verify {
namespace {

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

std::string Num(uint64_t n) { return std::to_string(n); }

// The "seq" member of a line that is JSON but not a valid entry, or -1 when
// it cannot be read.
int64_t ReadableSeq(std::string_view bytes) {
  Result<json::Parsed> parsed =
      json::Parse(bytes, json::ParseOptions{.depth_max = limits::kJsonDepthMax});
  if (!parsed.ok()) return -1;
  const json::Value* seq = parsed->value.Find(field::kSeq);
  if (seq == nullptr || !seq->is_int() || seq->as_int() < 0) return -1;
  return seq->as_int();
}

// One line decoded by DecodeEntryLazy: the body is not built (the rules of
// most types do not read it), only kept as bytes in the batch.
struct DecodedLine {
  Status status;
  EntryFault fault = EntryFault::kNone;
  Entry entry;                 // when status is OK
  std::string_view body_json;  // when status is OK; valid while the batch is
  // When status is OK and the rules read the body (domain::NeedsBody): the
  // body is parsed into entry.body and `alone` is domain::CheckEntryAlone's
  // verdict, so the checker thread only applies the state-dependent rules.
  bool body_parsed = false;
  Status alone;
};

// What one pass knows so far. Each On* method handles one event of the pass.
class Checker {
 public:
  Checker(const Options& options, Report* report)
      : options_(options), report_(report) {
    origin_ = options.expected_origin;
    report_->origin = origin_;
    if (options_.trusted && options_.trusted->first == 0) CheckTrustedRoot();
  }

  void OnManifest(std::string_view bytes, const std::string& file_name);
  void OnManifestUnreadable(const Status& status);
  void OnEntriesMissing(const Status& status);
  // `decoded` is DecodeEntryLazy of line.bytes, computed by whichever thread
  // had time for it.
  void OnLine(const bundle::LineReader::Line& line, const Hash256& leaf, DecodedLine* decoded);
  void OnLineTooLong(const Status& status, int64_t line_number);
  void OnReadError(const Status& status);
  void Finish(uint64_t bytes, const Hash256& sha256);
  // After each batch of lines: the effects of its entries go to the archive,
  // a temporary file made when the first effects arrive. Without one (no
  // file can be made, or a write failed) they stay in memory: the replay is
  // as exact, only its memory grows with the ledger.
  void EndBatch() {
    if (state_.effects.empty() || no_spill_) return;
    if (effects_ == nullptr) {
      effects_ = SpilledEffects::Create();
      if (effects_ == nullptr) {
        no_spill_ = true;
        return;
      }
      state_.archive.archive = effects_.get();
    }
    if (!effects_->Take(&state_)) no_spill_ = true;
  }

 private:
  void Add(Fault fault);
  bool Decoded(const bundle::LineReader::Line& line, const DecodedLine& decoded);
  void SkipBadLine(int64_t readable_seq);
  void CheckSequence(const Entry& entry, int64_t line);
  void CheckLink(const Entry& entry, int64_t line, const std::optional<Hash256>& expected);
  void CheckOrigin(const Entry& entry, int64_t line);
  void ApplyRules(DecodedLine* decoded, int64_t line);
  void CheckTrustedRoot();
  void CheckManifestTree(const bundle::Manifest& manifest, uint64_t bytes, const Hash256& sha);

  const Options& options_;
  Report* report_;
  std::optional<bundle::Manifest> manifest_;
  std::string origin_;                            // every entry must carry it; empty until known
  uint64_t next_seq_ = 0;                         // the seq the next line must carry
  std::optional<Hash256> prev_leaf_ = Hash256();  // nullopt after a line too long to hash
  merkle::CompactRange range_;
  std::unique_ptr<SpilledEffects> effects_;  // null until needed; declared before state_, which points to it
  bool no_spill_ = false;
  domain::State state_;
  bool rules_stopped_ = false;  // after the verifier's own failure (kind::kIncomplete)
};

void Checker::Add(Fault fault) {
  ++report_->faults_total;
  if (report_->faults.size() < limits::kVerifyFaultsMax)
    report_->faults.push_back(std::move(fault));
}

void Checker::OnManifestUnreadable(const Status& status) {
  Add(Fault{.kind = kind::kManifest,
            .field = status.where().field,
            .found = status.where().ToString(),
            .zh = "清单（manifest.json）无法使用：" + status.zh(),
            .en = "manifest.json is unusable: " + status.en()});
}

void Checker::OnManifest(std::string_view bytes, const std::string& file_name) {
  Result<bundle::Manifest> manifest = bundle::DecodeManifest(bytes, file_name);
  if (!manifest.ok()) {
    OnManifestUnreadable(manifest.status());
    return;
  }
  manifest_ = std::move(manifest).value();
  // The exporter writes the manifest in canonical form: any other spelling
  // of the same values means the file was edited by hand.
  if (bundle::EncodeManifest(*manifest_) != bytes) {
    Add(Fault{.kind = kind::kManifest,
              .zh = "清单不是导出程序写出的规范形式（被改动过）",
              .en = "the manifest is not in the canonical form the exporter writes (edited)"});
  }
  if (origin_.empty()) {
    origin_ = manifest_->origin;
    report_->origin = origin_;
  } else if (manifest_->origin != origin_) {
    Add(Fault{.kind = kind::kOrigin,
              .field = "origin",
              .expected = origin_,
              .found = manifest_->origin,
              .zh = "清单的账本来源（origin）与审计方指定的不同",
              .en = "the manifest names another ledger origin than the auditor expects"});
  }
}

void Checker::OnEntriesMissing(const Status& status) {
  report_->root = range_.Root();
  Add(Fault{.kind = kind::kBundle,
            .field = std::string(bundle::kEntriesFile),
            .zh = "无法读取条目文件：" + status.zh(),
            .en = "cannot read the entries file: " + status.en()});
}

void Checker::OnReadError(const Status& status) {
  Add(Fault{.kind = kind::kBundle,
            .line = status.where().line,
            .field = std::string(bundle::kEntriesFile),
            .zh = "读取条目文件出错：" + status.zh(),
            .en = "error reading the entries file: " + status.en()});
}

void Checker::OnLineTooLong(const Status& status, int64_t line_number) {
  // The line was skipped unread: its leaf hash is unknown, so the tree gets a
  // placeholder (the root will not match) and the next link cannot be checked.
  Add(Fault{.kind = kind::kEnvelope,
            .line = line_number,
            .expected = "<= " + Num(limits::kEntryBytesMax) + " bytes",
            .zh = "条目过长：" + status.zh(),
            .en = "entry too long: " + status.en()});
  range_.Append(Hash256());
  prev_leaf_.reset();
  SkipBadLine(-1);
  if (options_.trusted && range_.size() == options_.trusted->first) CheckTrustedRoot();
}

void Checker::OnLine(const bundle::LineReader::Line& line, const Hash256& leaf,
                     DecodedLine* decoded) {
  range_.Append(leaf);
  std::optional<Hash256> expected_prev = prev_leaf_;
  prev_leaf_ = leaf;
  const bool ok = Decoded(line, *decoded);
  const Entry& entry = decoded->entry;
  if (!line.terminated) {
    Add(Fault{.kind = kind::kTruncated,
              .entry = ok ? static_cast<int64_t>(entry.seq) : -1,
              .line = line.number,
              .expected = "\\n",
              .found = "end of file",
              .zh = "最后一行没有换行符，文件可能被截断",
              .en = "the last line has no newline: the file may be truncated"});
  }
  if (ok) {
    ++report_->entries_checked;
    CheckSequence(entry, line.number);
    CheckLink(entry, line.number, expected_prev);
    CheckOrigin(entry, line.number);
    ApplyRules(decoded, line.number);
  }
  if (options_.trusted && range_.size() == options_.trusted->first) CheckTrustedRoot();
}

// Reports what is wrong with one decoded line on its own; true when nothing
// is. A line cut short by truncation is reported once (truncated), not twice.
bool Checker::Decoded(const bundle::LineReader::Line& line, const DecodedLine& decoded) {
  if (decoded.status.ok()) return true;
  const EntryFault fault = decoded.fault;
  Status s = decoded.status;
  s.AddContext(Where{.file = std::string(bundle::kEntriesFile), .line = line.number});
  int64_t seq =
      fault == EntryFault::kJson || fault == EntryFault::kTooLarge ? -1 : ReadableSeq(line.bytes);
  Fault f{.kind = kind::kEnvelope, .entry = seq, .line = line.number, .field = s.where().field};
  switch (fault) {
    case EntryFault::kJson:
      if (!line.terminated) break;
      f.kind = kind::kJson;
      f.found = s.where().ToString();
      f.zh = "不是有效的 JSON：" + s.zh();
      f.en = "not valid JSON: " + s.en();
      Add(std::move(f));
      break;
    case EntryFault::kNotCanonical:
      f.kind = kind::kNotCanonical;
      f.zh = "条目不是 RFC 8785 规范形式（字节被改动过）";
      f.en = "the entry is not in RFC 8785 canonical form (its bytes were altered)";
      Add(std::move(f));
      break;
    case EntryFault::kTooLarge:
      f.expected = "<= " + Num(limits::kEntryBytesMax) + " bytes";
      f.found = Num(line.bytes.size()) + " bytes";
      [[fallthrough]];
    case EntryFault::kNone:  // not expected with an error; reported as an envelope fault
    case EntryFault::kEnvelope:
      f.zh = "条目信封有误：" + s.zh();
      f.en = "bad entry envelope: " + s.en();
      Add(std::move(f));
      break;
  }
  SkipBadLine(seq);
  return false;
}

// A line that could not be decoded still takes a place in the sequence: the
// next line is expected to follow it, so one damaged line is one fault.
void Checker::SkipBadLine(int64_t readable_seq) {
  next_seq_ = readable_seq >= 0 ? static_cast<uint64_t>(readable_seq) + 1 : next_seq_ + 1;
}

void Checker::CheckSequence(const Entry& entry, int64_t line) {
  uint64_t expected = next_seq_;
  next_seq_ = entry.seq + 1;  // resync: one deletion is one fault, not one per later line
  if (entry.seq == expected) return;
  Fault fault{.kind = kind::kSequence,
              .entry = static_cast<int64_t>(entry.seq),
              .line = line,
              .field = std::string(field::kSeq),
              .expected = Num(expected),
              .found = Num(entry.seq)};
  if (entry.seq > expected) {
    bool one = entry.seq - 1 == expected;
    std::string range = one ? Num(expected) : Num(expected) + ".." + Num(entry.seq - 1);
    fault.zh = "序号不连续：缺少条目 " + range;
    fault.en = one ? "gap: entry " + range + " missing" : "gap: entries " + range + " missing";
  } else {
    fault.zh = "序号重复或顺序错乱";
    fault.en = "duplicate or out of order";
  }
  Add(std::move(fault));
}

void Checker::CheckLink(const Entry& entry, int64_t line, const std::optional<Hash256>& expected) {
  if (!expected || entry.prev == *expected) return;
  bool first = line == 1;
  Add(Fault{.kind = kind::kLink,
            .entry = static_cast<int64_t>(entry.seq),
            .line = line,
            .field = std::string(field::kPrev),
            .expected = expected->Hex(),
            .found = entry.prev.Hex(),
            .zh = first ? "第一条的 prev 必须全为零" : "prev 不等于上一行的叶子哈希，链条断开",
            .en = first ? "the first entry's prev must be all zero"
                        : "prev is not the leaf hash of the line before: the chain is broken"});
}

void Checker::CheckOrigin(const Entry& entry, int64_t line) {
  if (origin_.empty()) {  // no manifest and no expectation: the first entry decides
    origin_ = entry.origin;
    report_->origin = origin_;
    return;
  }
  if (entry.origin == origin_) return;
  Add(Fault{.kind = kind::kOrigin,
            .entry = static_cast<int64_t>(entry.seq),
            .line = line,
            .field = std::string(field::kOrigin),
            .expected = origin_,
            .found = entry.origin,
            .zh = "条目属于另一个账本（origin 不符）",
            .en = "the entry belongs to another ledger (origin differs)"});
}

// The rule state can only advance through entries in order: after a missing
// or damaged entry the replay stops, since later rules would judge against a
// state that never existed. Those entries already carry a fault. An entry the
// rules refuse is passed over and the replay goes on, so that every
// violation is reported.
void Checker::ApplyRules(DecodedLine* decoded, int64_t line) {
  Entry& entry = decoded->entry;
  if (rules_stopped_ || entry.seq != state_.entries) return;
  Status s = decoded->body_parsed ? domain::ApplyChecked(&state_, entry, decoded->alone)
                                  : domain::Apply(&state_, entry);
  if (s.ok()) return;
  if (s.code() == Code::kIo || s.code() == Code::kInternal) {
    // The verifier's own failure, not the ledger's: say so, and judge no
    // later entry against a state this one did not reach.
    rules_stopped_ = true;
    Add(Fault{.kind = kind::kIncomplete,
              .entry = static_cast<int64_t>(entry.seq),
              .line = line,
              .field = s.where().field,
              .zh = "校验程序未能完成业务规则检查：" + s.zh() + "；此后的条目未按业务规则检查",
              .en = "the verifier could not finish checking the business rules: " + s.en() +
                    "; the entries after it were not checked against them"});
    return;
  }
  domain::PassOver(&state_, entry);
  Add(Fault{.kind = kind::kRule,
            .entry = static_cast<int64_t>(entry.seq),
            .line = line,
            .field = s.where().field,
            .zh = "违反业务规则：" + s.zh(),
            .en = "business rule violated: " + s.en()});
}

void Checker::CheckTrustedRoot() {
  const auto& [size, root] = *options_.trusted;
  Hash256 found = range_.Root();
  if (found == root) return;
  Add(Fault{.kind = kind::kTrusted,
            .entry = static_cast<int64_t>(size) - 1,
            .line = static_cast<int64_t>(size),
            .field = "root",
            .expected = root.Hex(),
            .found = found.Hex(),
            .zh = "前 " + Num(size) + " 条的根哈希与审计方上次记录的不同：历史被改写",
            .en = "the root over the first " + Num(size) +
                  " entries differs from the auditor's record: history was rewritten"});
}

void Checker::Finish(uint64_t bytes, const Hash256& sha256) {
  report_->size = range_.size();
  report_->root = range_.Root();
  report_->bytes_checked = bytes;
  if (options_.trusted && range_.size() < options_.trusted->first) {
    Add(Fault{.kind = kind::kTrusted,
              .field = "size",
              .expected = Num(options_.trusted->first),
              .found = Num(range_.size()),
              .zh = "条目比审计方上次记录的还少：账本被截短",
              .en = "fewer entries than the auditor recorded before: the ledger was cut short"});
  }
  if (manifest_) CheckManifestTree(*manifest_, bytes, sha256);
  // Apply keeps the capital invariant from the members each entry touches;
  // once at the end, the whole state is added up again.
  if (state_.entries > 0 && !rules_stopped_) {
    Status s = domain::CheckInvariants(state_);
    if (!s.ok()) {
      Add(Fault{.kind = kind::kRule,
                .entry = s.where().entry,
                .zh = "违反业务规则：" + s.zh(),
                .en = "business rule violated: " + s.en()});
    }
  }
}

void Checker::CheckManifestTree(const bundle::Manifest& m, uint64_t bytes, const Hash256& sha) {
  if (m.size != range_.size()) {
    Add(Fault{.kind = kind::kSize,
              .field = "size",
              .expected = Num(m.size),
              .found = Num(range_.size()),
              .zh = "清单记录的条目数与文件中的不同",
              .en = "the manifest's entry count differs from the file's"});
  }
  if (m.root != range_.Root()) {
    Add(Fault{.kind = kind::kRoot,
              .field = "root",
              .expected = m.root.Hex(),
              .found = range_.Root().Hex(),
              .zh = "清单的根哈希与重新计算的不同",
              .en = "the manifest's root differs from the recomputed root"});
  }
  Hash256 last = range_.size() == 0 ? Hash256() : prev_leaf_.value_or(Hash256());
  if (m.last_leaf != last) {
    Add(Fault{.kind = kind::kChecksum,
              .field = "last_leaf",
              .expected = m.last_leaf.Hex(),
              .found = last.Hex(),
              .zh = "清单记录的最后一条叶子哈希不符",
              .en = "the manifest's last leaf hash does not match"});
  }
  if (m.entries_bytes != bytes) {
    Add(Fault{.kind = kind::kChecksum,
              .field = "entries_bytes",
              .expected = Num(m.entries_bytes),
              .found = Num(bytes),
              .zh = "条目文件的长度与清单不符",
              .en = "the entries file's length differs from the manifest"});
  }
  if (m.entries_sha256 != sha) {
    Add(Fault{.kind = kind::kChecksum,
              .field = "entries_sha256",
              .expected = m.entries_sha256.Hex(),
              .found = sha.Hex(),
              .zh = "条目文件的 SHA-256 与清单不符",
              .en = "the entries file's SHA-256 differs from the manifest"});
  }
}

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
  Hash256 sha256;            // of the whole file, set on the last batch

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
void ProcessBatch(ReadBatch* batch) {
  std::string_view bytes = batch->bytes;
  for (ReadEvent& e : batch->used()) {
    if (e.kind != ReadEvent::Kind::kLine || e.processed) continue;
    std::string_view line = bytes.substr(e.offset, e.size);
    e.leaf = LeafHash(line);
    DecodedLine& d = e.decoded;
    d.status = DecodeEntryLazy(line, &d.entry, &d.body_json, &d.fault);
    d.body_parsed = false;
    if (d.status.ok() && domain::NeedsBody(d.entry.type)) {
      // DecodeEntryLazy checked these bytes: they parse.
      Result<json::Parsed> body =
          json::Parse(d.body_json, json::ParseOptions{.depth_max = limits::kJsonDepthMax});
      assert(body.ok());
      if (body.ok()) {
        d.entry.body = std::move(body->value);
        d.alone = domain::CheckEntryAlone(d.entry);
        d.body_parsed = true;
      }
    }
    e.processed = true;
  }
}

constexpr size_t kBatchBytes = 1 << 20;
constexpr size_t kBatchEvents = 1024;  // decoded entries wait in a batch: keep it small
constexpr size_t kBatchesInFlight = 4;  // bounds the memory the pipeline holds

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
};

// Reads every line of `entries`, hashing the file, and hands the lines to
// `flow` in batches; the last batch has last = true.
void ReadLines(std::FILE* entries, const BatchFlow& flow) {
  Sha256Stream sha;
  bundle::LineReader reader(entries, limits::kEntryBytesMax);
  reader.set_sha(&sha);
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
      if (flow.consumer_busy()) ProcessBatch(&batch);
      flow.emit(std::move(batch));
      batch = flow.fresh();
    }
  }
  batch.last = true;
  batch.total_bytes = reader.bytes_read();
  batch.sha256 = sha.Finish();
  flow.emit(std::move(batch));
}

// Gives one batch to the checker, processing it first unless the reader
// did; true when it was the last.
bool CheckBatch(ReadBatch& batch, Checker* checker) {
  ProcessBatch(&batch);
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

// The streaming core shared by files and memory. Reading and the file's
// checksum run on a second thread while this one checks the lines in order;
// hashing and decoding each line, most of the work, is done by whichever of
// the two has time for it. The machine an auditor uses has more than one core.
void CheckEntries(std::FILE* entries, Checker* checker) {
  BatchQueue queue;
  std::thread reader;
  try {
    reader = std::thread([&] {
      ReadLines(entries, BatchFlow{.fresh = [&] { return queue.Fresh(); },
                                   .emit = [&](ReadBatch b) { queue.Push(std::move(b)); },
                                   .consumer_busy = [&] { return queue.Waiting() > 0; }});
    });
  } catch (const std::system_error&) {  // no thread to be had: do both halves here
    ReadLines(entries, BatchFlow{.fresh = [] { return ReadBatch(); },
                                 .emit = [&](ReadBatch b) { CheckBatch(b, checker); },
                                 .consumer_busy = [] { return false; }});
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
