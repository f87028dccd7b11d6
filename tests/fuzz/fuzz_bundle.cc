// libFuzzer target for the verifier: arbitrary bytes as a bundle must give a
// report, never a crash, a hang or unbounded memory.
//
// Input layout: the manifest, a 0x00 byte, then entries.jsonl. Without a 0x00
// byte the first line (with its newline) is the manifest and the rest the
// entries. The first byte also picks the auditor's options, so the origin and
// trusted-checkpoint paths are reached too. The corpus in tests/fuzz/corpus/
// holds small valid and damaged bundles in this layout.
//
// The two ways of reading JSON and entries must agree on every input: json::Parse
// and json::Scan, DecodeEntry and DecodeEntryLazy (which the verifier uses).
// The harness aborts on any disagreement.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cunzhang/bundle.h"
#include "cunzhang/entry.h"
#include "cunzhang/json.h"
#include "cunzhang/limits.h"
#include "cunzhang/verify.h"

namespace {

using cunzhang::verify::Options;

Options OptionsFor(std::string_view input) {
  Options options;
  if (input.empty()) return options;
  auto selector = static_cast<uint8_t>(input[0]);
  if ((selector & 0x01) != 0) options.expected_origin = "cunzhang.example/daxinjing";
  if ((selector & 0x02) != 0) {
    options.trusted = std::make_pair(static_cast<uint64_t>(selector >> 4), cunzhang::Sha256(""));
  }
  return options;
}

bool SameError(const cunzhang::Status& a, const cunzhang::Status& b) {
  return a.code() == b.code() && a.zh() == b.zh() && a.en() == b.en() &&
         a.where().ToString() == b.where().ToString();
}

void CheckJsonModesAgree(std::string_view text) {
  auto built = cunzhang::json::Parse(text);
  auto scanned = cunzhang::json::Scan(text);
  if (built.ok() != scanned.ok()) std::abort();
  if (!built.ok() && !SameError(built.status(), scanned.status())) std::abort();
  if (built.ok() && built->canonical != scanned->canonical) std::abort();
}

void CheckDecodersAgree(std::string_view bytes) {
  cunzhang::EntryFault full_fault = cunzhang::EntryFault::kNone;
  cunzhang::Result<cunzhang::Entry> full = cunzhang::DecodeEntry(bytes, &full_fault);
  cunzhang::EntryFault lazy_fault = cunzhang::EntryFault::kNone;
  cunzhang::Entry lazy;
  std::string_view body_json;
  cunzhang::Status status = cunzhang::DecodeEntryLazy(bytes, &lazy, &body_json, &lazy_fault);
  if (full.ok() != status.ok() || full_fault != lazy_fault) std::abort();
  if (!full.ok()) {
    if (!SameError(full.status(), status)) std::abort();
    return;
  }
  const cunzhang::Entry& e = *full;
  if (e.version != lazy.version || e.seq != lazy.seq || e.origin != lazy.origin ||
      e.time != lazy.time || e.type != lazy.type || !(e.op == lazy.op) ||
      e.idempotency_id != lazy.idempotency_id || !(e.prev == lazy.prev) || !lazy.body.is_null() ||
      cunzhang::json::Canonical(e.body) != body_json) {
    std::abort();
  }
}

// Invariants every report holds, whatever the input.
void CheckReport(const cunzhang::verify::Report& report, std::string_view entries) {
  if (report.faults.size() > cunzhang::limits::kVerifyFaultsMax) std::abort();
  if (report.faults_total < report.faults.size()) std::abort();
  if (report.ok() != report.faults.empty()) std::abort();
  bool unreadable = !report.faults.empty() && report.faults[0].kind == "bundle";
  if (!unreadable && report.bytes_checked != entries.size()) std::abort();
  if (report.entries_checked > report.size) std::abort();
  std::string json = cunzhang::verify::ReportToJson(report);
  if (json.empty() || json.back() != '\n') std::abort();
  cunzhang::verify::ReportToText(report, "zh");
  cunzhang::verify::ReportToText(report, "en");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\0');
  std::string_view manifest;
  std::string_view entries;
  if (split != std::string_view::npos) {
    manifest = input.substr(0, split);
    entries = input.substr(split + 1);
  } else {
    size_t newline = input.find('\n');
    size_t cut = newline == std::string_view::npos ? input.size() : newline + 1;
    manifest = input.substr(0, cut);
    entries = input.substr(cut);
  }
  cunzhang::verify::Report report =
      cunzhang::verify::VerifyBundleBytes(manifest, entries, OptionsFor(input));
  CheckReport(report, entries);

  CheckJsonModesAgree(input);
  CheckDecodersAgree(input);
  for (std::string_view rest = entries; !rest.empty();) {
    size_t end = std::min(rest.find('\n'), rest.size());
    CheckJsonModesAgree(rest.substr(0, end));
    CheckDecodersAgree(rest.substr(0, end));
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  (void)cunzhang::bundle::DecodeManifest(input, "fuzz");
  return 0;
}
