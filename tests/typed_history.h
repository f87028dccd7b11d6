// For tests that need entries the rule engine accepts, in any number: a
// valid typed history of the Daxinjing Xingnong cooperative, the same every
// time. Entry 0 registers the cooperative, 1 records the founding members'
// meeting, 2 the land price rule it adopted; from entry 3 on, in turns of
// four, a household joins (with an ID commitment), contributes capital, then
// land, and the accountant adds a note (with a quoted phrase and a line
// break, to exercise escaping). Any prefix is itself a valid history.
//
//   seq 3 + 4k      member.join           member k + 1 ("M0001", ...)
//   seq 4 + 4k      contribution.capital  10000 + 137 × seq fen
//   seq 5 + 4k      contribution.land     2.5000 mu of grade 一等
//   seq 6 + 4k      note
//
// Every member stays far below the 20% cap: the registered capital is
// 1,000,000 yuan and each member contributes about 20,000 yuan.
#ifndef CUNZHANG_TESTS_TYPED_HISTORY_H_
#define CUNZHANG_TESTS_TYPED_HISTORY_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "cunzhang/entry.h"
#include "cunzhang/hash.h"
#include "cunzhang/json.h"

namespace cunzhang::testing {

struct TypedBody {
  std::string type;
  json::Value body;
};

inline constexpr uint64_t kHistoryPreamble = 3;  // org.register, resolution, land rule
inline constexpr uint64_t kHistoryTurn = 4;      // join, capital, land, note

inline std::string HistoryMemberId(uint64_t member) {
  char id[32];
  std::snprintf(id, sizeof id, "M%04llu", static_cast<unsigned long long>(member));
  return id;
}

// Stands in for the salted commitment of a member's ID number: 64 hex digits,
// different for every member.
inline std::string HistoryCommitment(uint64_t member) {
  return Sha256("typed-history-member-" + std::to_string(member)).Hex();
}

// The seq of member `member`'s (1-based) entry of the turn: 0 join, 1
// capital, 2 land, 3 note.
inline uint64_t HistorySeq(uint64_t member, uint64_t step) {
  return kHistoryPreamble + (member - 1) * kHistoryTurn + step;
}

inline TypedBody HistoryPreamble(uint64_t seq) {
  using json::Value;
  if (seq == 0) {
    return {"org.register", Value::Object({{"founded", Value::String("2026-01-01")},
                                           {"kind", Value::String("cooperative")},
                                           {"name", Value::String("大新井村兴农农机专业合作社")},
                                           {"registered_capital_fen", Value::Int(100'000'000)},
                                           {"share_price_fen", Value::Int(100)}})};
  }
  if (seq == 1) {
    return {"resolution.record", Value::Object({{"body", Value::String("members_meeting")},
                                                {"date", Value::String("2026-01-10")},
                                                {"in_favour", Value::Int(30)},
                                                {"members_total", Value::Int(40)},
                                                {"present", Value::Int(36)},
                                                {"resolution_id", Value::String("R2026-01")},
                                                {"subject", Value::String("章程与入股作价办法")}})};
  }
  return {"valuation.rule", Value::Object({{"effective_from", Value::String("2026-01-10")},
                                           {"fen_per_mu", Value::Int(800'000)},
                                           {"grade", Value::String("一等")},
                                           {"kind", Value::String("land")},
                                           {"resolution_id", Value::String("R2026-01")},
                                           {"rule_id", Value::String("land-1")}})};
}

// Entry `seq` of the history.
inline TypedBody HistoryEntry(uint64_t seq) {
  using json::Value;
  if (seq < kHistoryPreamble) return HistoryPreamble(seq);
  static const char* kNames[] = {"张三", "李四", "王五", "赵六"};
  const uint64_t member = (seq - kHistoryPreamble) / kHistoryTurn + 1;
  const std::string id = HistoryMemberId(member);
  switch ((seq - kHistoryPreamble) % kHistoryTurn) {
    case 0:
      return {
          "member.join",
          Value::Object({{"date", Value::String("2026-02-01")},
                         {"household", Value::String("大新井村" + std::to_string(member) + "户")},
                         {"id_commitment", Value::String(HistoryCommitment(member))},
                         {"kind", Value::String("household")},
                         {"member_id", Value::String(id)},
                         {"name", Value::String(kNames[member % 4])}})};
    case 1:
      return {"contribution.capital",
              Value::Object({{"amount_fen", Value::Int(static_cast<int64_t>(10'000 + seq * 137))},
                             {"date", Value::String("2026-03-01")},
                             {"member_id", Value::String(id)}})};
    case 2:
      return {"contribution.land", Value::Object({{"date", Value::String("2026-03-01")},
                                                  {"grade", Value::String("一等")},
                                                  {"member_id", Value::String(id)},
                                                  {"mu", Value::String("2.5000")},
                                                  {"parcel", Value::String("1504260012-" + id)},
                                                  {"rule_id", Value::String("land-1")}})};
    default:
      return {"note", Value::Object({{"ref", Value::String(id)},
                                     {"text", Value::String("第 " + std::to_string(member % 4 + 1) +
                                                            " 季度 \"分红\"\n已核对")}})};
  }
}

// Entry `seq` as a request line for `cunzhang append` (JSON Lines).
inline std::string HistoryRequestLine(
    uint64_t seq, const std::string& operator_json = R"({"name":"李红梅","role":"accountant"})") {
  TypedBody typed = HistoryEntry(seq);
  json::Value request = json::Value::Object(
      {{"body", std::move(typed.body)},
       {"idempotency_id", json::Value::String("history-" + std::to_string(seq))},
       {"operator", json::Parse(operator_json)->value},
       {"type", json::Value::String(typed.type)}});
  return json::Canonical(request);
}

// Encodes entries in order, linking each prev to the line before (what the
// writer does, and what a forger redoes after editing): the lines of
// entries.jsonl, without their newlines.
inline std::vector<std::string> Link(std::vector<Entry> entries) {
  std::vector<std::string> lines;
  Hash256 prev;
  for (Entry& e : entries) {
    e.prev = prev;
    lines.push_back(EncodeEntry(e));
    prev = LeafHash(lines.back());
  }
  return lines;
}

}  // namespace cunzhang::testing

#endif  // CUNZHANG_TESTS_TYPED_HISTORY_H_
