// A verification report, as JSON for machines (schemas/verify-report.schema.json)
// and as text for people, in Chinese or English.
#include <nlohmann/json.hpp>
#include <string>

#include "cunzhang/verify.h"

namespace cunzhang::verify {
namespace {

constexpr const char* kReportFormat = "cunzhang-verify-report/1";

nlohmann::ordered_json FaultToJson(const Fault& fault) {
  return nlohmann::ordered_json{
      {"kind", fault.kind},
      {"entry", fault.entry},
      {"line", fault.line},
      {"field", fault.field},
      {"expected", fault.expected},
      {"found", fault.found},
      {"zh", fault.zh},
      {"en", fault.en},
  };
}

// "条目 7（第 8 行）" / "entry 7 (line 8)", or the whole bundle.
std::string Position(const Fault& fault, bool zh) {
  std::string entry = fault.entry >= 0 ? (zh ? "条目 " : "entry ") + std::to_string(fault.entry)
                                       : (zh ? "整个包" : "bundle");
  if (fault.line <= 0) return entry;
  std::string line = std::to_string(fault.line);
  return zh ? entry + "（第 " + line + " 行）" : entry + " (line " + line + ")";
}

// "条目 7（第 8 行）[link] <message>（字段 prev）", then expected and found
// on lines of their own so that long hashes line up for the reader; a fault
// that has only one of them (an unusable manifest: where it was found) shows
// only that one.
std::string FaultLine(const Fault& fault, bool zh) {
  std::string out = Position(fault, zh) + " [" + fault.kind + "] " + (zh ? fault.zh : fault.en);
  if (!fault.field.empty()) out += zh ? "（字段 " + fault.field + "）" : " (field " + fault.field + ")";
  out += "\n";
  if (!fault.expected.empty()) out += (zh ? "    期望 " : "    expected ") + fault.expected + "\n";
  if (!fault.found.empty()) out += (zh ? "    实际 " : "    found    ") + fault.found + "\n";
  return out;
}

std::string Summary(const Report& report, bool zh) {
  std::string n = std::to_string(report.size);
  std::string root = report.root.Hex();
  if (report.ok()) {
    return zh ? "校验通过：" + n + " 条，根哈希 " + root + "\n"
              : "OK: " + n + " entries, root " + root + "\n";
  }
  std::string faults = std::to_string(report.faults_total);
  return zh ? "校验失败：" + n + " 条，根哈希 " + root + "，发现 " + faults + " 处问题\n"
            : "FAILED: " + n + " entries, root " + root + ", " + faults + " faults\n";
}

}  // namespace

std::string ReportToJson(const Report& report) {
  nlohmann::ordered_json faults = nlohmann::ordered_json::array();
  for (const Fault& fault : report.faults) faults.push_back(FaultToJson(fault));
  nlohmann::ordered_json notes = nlohmann::ordered_json::array();
  for (const Note& note : report.notes) notes.push_back({{"zh", note.zh}, {"en", note.en}});
  nlohmann::ordered_json out{
      {"format", kReportFormat},
      {"ok", report.ok()},
      {"bundle", report.bundle},
      {"origin", report.origin},
      {"entries_checked", report.entries_checked},
      {"bytes_checked", report.bytes_checked},
      {"size", report.size},
      {"root", report.root.Hex()},
      {"faults_total", report.faults_total},
      {"faults", std::move(faults)},
      {"notes", std::move(notes)},
  };
  // Replacement keeps the report valid JSON even if a message carries bytes
  // from a damaged bundle that are not UTF-8.
  return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string ReportToText(const Report& report, std::string_view lang) {
  bool zh = lang != "en";
  std::string out = Summary(report, zh);
  for (const Fault& fault : report.faults) out += FaultLine(fault, zh);
  if (report.faults_total > report.faults.size()) {
    std::string more = std::to_string(report.faults_total - report.faults.size());
    out +=
        zh ? "……另有 " + more + " 处问题未列出\n" : "... and " + more + " more faults not listed\n";
  }
  for (const Note& note : report.notes) out += (zh ? "注意：" + note.zh : "Note: " + note.en) + "\n";
  return out;
}

}  // namespace cunzhang::verify
