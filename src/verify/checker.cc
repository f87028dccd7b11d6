// The verifier's checks (checker.h): every fault it reports is found here.
#include "checker.h"

#include <cassert>
#include <string>
#include <utility>

#include "cunzhang/json.h"
#include "cunzhang/limits.h"

namespace cunzhang::verify {
namespace {

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

}  // namespace

void DecodeLine(std::string_view line, DecodedLine* d, std::string_view origin) {
  // The body this slot held last time is parsed over, not freed: bodies of
  // the same type have the same shape, so their strings and vectors fit.
  swap(d->spare_body, d->entry.body);
  d->status = DecodeEntryLazy(line, &d->entry, &d->body_json, &d->fault);
  d->body_parsed = false;
  d->origin_known = d->status.ok() && !origin.empty();
  d->origin_matches = d->origin_known && d->entry.origin == origin;
  if (!d->status.ok() || !domain::NeedsBody(d->entry.type)) return;
  // DecodeEntryLazy found these bytes canonical: build, do not parse again.
  const bool built = json::BuildCanonical(d->body_json, &d->spare_body, limits::kJsonDepthMax);
  assert(built);
  if (!built) return;
  swap(d->spare_body, d->entry.body);
  // A body without a backslash has no control character in its strings.
  d->alone = domain::CheckEntryAlone(d->entry, d->body_json.find('\\') == std::string_view::npos
                                                   ? domain::BodyText::kNoBackslash
                                                   : domain::BodyText::kUnknown);
  d->body_parsed = true;
}

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
    CheckOrigin(*decoded, line.number);
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

void Checker::CheckOrigin(const DecodedLine& decoded, int64_t line) {
  const Entry& entry = decoded.entry;
  if (origin_.empty()) {  // no manifest and no expectation: the first entry decides
    origin_ = entry.origin;
    report_->origin = origin_;
    return;
  }
  // DecodeLine compared it with origin_ when it was already known (it does
  // not change once known).
  if (decoded.origin_known ? decoded.origin_matches : entry.origin == origin_) return;
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

void Checker::Finish(uint64_t bytes, const std::optional<Hash256>& sha256) {
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

void Checker::CheckManifestTree(const bundle::Manifest& m, uint64_t bytes,
                                const std::optional<Hash256>& sha) {
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
  // Optional (bundle.h); the reader computed it when the manifest has it.
  if (m.entries_sha256 && m.entries_sha256 != sha) {
    Add(Fault{.kind = kind::kChecksum,
              .field = "entries_sha256",
              .expected = m.entries_sha256->Hex(),
              .found = sha ? sha->Hex() : "",
              .zh = "条目文件的 SHA-256 与清单不符",
              .en = "the entries file's SHA-256 differs from the manifest"});
  }
}

}  // namespace cunzhang::verify
