// The seven sheets and their columns (docs/IMPORT.md, "Sheets").
#include "sheets.h"

namespace cunzhang::io::internal {
namespace {

using K = CellKind;

ColumnSpec MemberId() { return {"member_id", "成员编号", K::kText, true, true, "member_id"}; }
ColumnSpec Date(const char* zh = "日期") { return {"date", zh, K::kDate, true, true, "date"}; }
ColumnSpec RuleId() { return {"rule_id", "估值规则", K::kText, true, true, "rule_id"}; }
ColumnSpec DebitAccount() {
  return {"debit_account", "借方科目", K::kText, false, false, "debit_account"};
}
// A voucher or work-ticket number: part of the row's key, not of the entry.
ColumnSpec Voucher() { return {"voucher", "凭证号", K::kText, false, false, nullptr}; }

void FinishMember(RowContext* row) {
  const Cell* kind = row->Get("kind");
  const Cell* id = row->Get("id_number");
  if (kind == nullptr) return;
  bool unit = kind->value.as_string() == "unit";
  if (unit && id != nullptr) {
    row->Fail("id_number", "单位成员没有身份证号，请留空",
              "a unit member has no ID number; leave it empty");
  } else if (!unit && id == nullptr) {
    row->Fail("id_number", "个人或农户成员须填身份证号（只保存在本机登记文件中，不进账本）",
              "a person or household member needs the ID number (kept only in the local "
              "registry, never in the ledger)");
  } else if (id != nullptr) {
    row->id_number = id->text;
  }
}

// Which body field the price fills, by rule kind.
const char* PriceField(const std::string& kind) {
  if (kind == "share_price") return "fen_per_share";
  if (kind == "land") return "fen_per_mu";
  if (kind == "labour") return "fen_per_day";
  return "value_fen";
}

void FinishValuation(RowContext* row) {
  const Cell* kind_cell = row->Get("kind");
  const Cell* price = row->Get("price");
  if (kind_cell == nullptr || price == nullptr) return;
  const std::string kind = kind_cell->value.as_string();
  row->body.Set(PriceField(kind), price->value);
  const Cell* key = row->Get("key");
  const Cell* description = row->Get("description");
  if (kind == "land" || kind == "labour") {
    if (key == nullptr) {
      row->Fail(
          "key", kind == "land" ? "土地规则须填地块等级" : "劳动规则须填工种",
          kind == "land" ? "a land rule needs the land grade" : "a labour rule needs the category");
      return;
    }
    row->body.Set(kind == "land" ? "grade" : "category", key->value);
  } else if (key != nullptr) {
    row->Fail("key", "只有土地和劳动规则有等级或工种，请留空",
              "only land and labour rules have a grade or category; leave it empty");
  }
  if (kind == "goods_appraisal") {
    if (description == nullptr) {
      row->Fail("description", "实物评估须写明评估的是什么",
                "a goods appraisal must say what was appraised");
      return;
    }
    row->body.Set("description", description->value);
  } else if (description != nullptr) {
    row->Fail("description", "只有实物评估有说明，请留空",
              "only goods appraisals have a description; leave it empty");
  }
}

std::vector<SheetSpec> MakeSheets() {
  std::vector<SheetSpec> sheets;
  sheets.push_back({Sheet::kMembers,
                    "members",
                    "member.join",
                    {MemberId(),
                     {"name", "姓名", K::kText, true, true, "name"},
                     {"kind",
                      "类型",
                      K::kChoice,
                      true,
                      true,
                      "kind",
                      {{"person", {"个人", "person"}},
                       {"household", {"农户", "户", "家庭", "household"}},
                       {"unit", {"单位", "集体", "unit"}}}},
                     {"household", "户号", K::kText, false, false, "household"},
                     {"id_number", "身份证号", K::kIdNumber, true, false, nullptr},
                     Date("入社日期"),
                     {"farmer", "是否农民", K::kYesNo, false, false, "farmer"}},
                    {"member_id"},
                    FinishMember,
                    {{"id_commitment", "id_number"}}});
  sheets.push_back({Sheet::kLand,
                    "land",
                    "contribution.land",
                    {MemberId(),
                     Date(),
                     {"mu", "亩数", K::kMu, true, true, "mu"},
                     {"grade", "地块等级", K::kText, true, true, "grade"},
                     {"parcel", "地块编号", K::kText, true, true, "parcel"},
                     RuleId(),
                     DebitAccount(),
                     Voucher()},
                    {"member_id", "date", "parcel", "voucher"}});
  sheets.push_back({Sheet::kCapital,
                    "capital",
                    "contribution.capital",
                    {MemberId(),
                     Date(),
                     {"amount", "金额", K::kMoney, true, true, "amount_fen"},
                     DebitAccount(),
                     Voucher()},
                    {"member_id", "date", "voucher"}});
  sheets.push_back({Sheet::kGoods,
                    "goods",
                    "contribution.goods",
                    {MemberId(), Date(), RuleId(), DebitAccount(), Voucher()},
                    {"member_id", "rule_id"}});
  sheets.push_back({Sheet::kLabour,
                    "labour",
                    "contribution.labour",
                    {MemberId(),
                     Date(),
                     {"workdays", "工日", K::kWorkdays, true, true, "workdays"},
                     {"category", "工种", K::kText, true, true, "category"},
                     RuleId(),
                     DebitAccount(),
                     Voucher()},
                    {"member_id", "date", "category", "voucher"}});
  sheets.push_back(
      {Sheet::kResolutions,
       "resolutions",
       "resolution.record",
       {{"resolution_id", "决议编号", K::kText, true, true, "resolution_id"},
        Date(),
        {"body",
         "会议",
         K::kChoice,
         true,
         true,
         "body",
         {{"members_meeting", {"成员大会", "社员大会", "members_meeting"}},
          {"representatives_meeting", {"成员代表大会", "代表大会", "representatives_meeting"}}}},
        {"subject", "事项", K::kText, true, true, "subject"},
        {"members_total", "应到人数", K::kCount, true, true, "members_total"},
        {"present", "出席人数", K::kCount, true, true, "present"},
        {"in_favour", "赞成人数", K::kCount, true, true, "in_favour"},
        {"special", "特别事项", K::kYesNo, false, false, "special"},
        {"outcome",
         "表决结果",
         K::kChoice,
         false,
         false,
         "outcome",
         {{"adopted", {"通过", "adopted"}}, {"rejected", {"未通过", "否决", "rejected"}}}}},
       {"resolution_id"}});
  sheets.push_back({Sheet::kValuation,
                    "valuation",
                    "valuation.rule",
                    {{"rule_id", "规则编号", K::kText, true, true, "rule_id"},
                     {"kind",
                      "类型",
                      K::kChoice,
                      true,
                      true,
                      "kind",
                      {{"share_price", {"股价", "每股价格", "share_price"}},
                       {"land", {"土地", "land"}},
                       {"labour", {"劳动", "劳力", "labour"}},
                       {"goods_appraisal", {"实物评估", "实物", "goods_appraisal"}}}},
                     {"effective_from", "生效日期", K::kDate, true, true, "effective_from"},
                     {"resolution_id", "决议编号", K::kText, true, true, "resolution_id"},
                     {"key", "等级或工种", K::kText, true, false, nullptr},
                     {"price", "单价", K::kMoney, true, true, nullptr},
                     {"description", "说明", K::kText, false, false, nullptr}},
                    {"rule_id"},
                    FinishValuation,
                    {{"fen_per_share", "price"},
                     {"fen_per_mu", "price"},
                     {"fen_per_day", "price"},
                     {"value_fen", "price"},
                     {"grade", "key"},
                     {"category", "key"},
                     {"description", "description"}}});
  return sheets;
}

}  // namespace

const std::vector<SheetSpec>& AllSheets() {
  static const std::vector<SheetSpec> sheets = MakeSheets();
  return sheets;
}

const SheetSpec& SpecOf(Sheet sheet) { return AllSheets()[static_cast<size_t>(sheet)]; }

const Cell* RowContext::Get(const std::string& id) const {
  auto it = cells.find(id);
  return it == cells.end() || it->second.value.is_null() ? nullptr : &it->second;
}

void RowContext::Fail(const std::string& id, const std::string& zh, const std::string& en) {
  Where w = where;
  auto it = cells.find(id);
  if (it != cells.end()) {
    w.column = it->second.column;
    w.field = it->second.header;
  }
  errors->push_back(Status(Code::kInvalidInput, zh, en, std::move(w)));
}

}  // namespace cunzhang::io::internal
