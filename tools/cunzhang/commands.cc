#include "commands.h"

#include <cstdio>
#include <iostream>

#include "cunzhang/export.h"
#include "cunzhang/json.h"
#include "cunzhang/merkle.h"
#include "cunzhang/store.h"
#include "exit_codes.h"

namespace cunzhang::tool {
namespace {

using json::Value;

Result<std::unique_ptr<Ledger>> OpenLedger(const std::string& path, Ledger::Mode mode) {
  return Ledger::Open(path, mode);
}

Value HashList(const std::vector<Hash256>& hashes) {
  std::vector<Value> items;
  items.reserve(hashes.size());
  for (const Hash256& h : hashes) items.push_back(Value::String(h.Hex()));
  return Value::Array(std::move(items));
}

Value Uint(uint64_t v) { return Value::Int(static_cast<int64_t>(v)); }

void PrintJson(const Value& v) { std::cout << json::Canonical(v) << "\n"; }

Status SizeInRange(uint64_t size, uint64_t ledger_size, const char* what) {
  if (size > ledger_size) {
    return Status(Code::kInvalidInput,
                  std::string(what) + " " + std::to_string(size) + " 超过账本条数 " +
                      std::to_string(ledger_size),
                  std::string(what) + " " + std::to_string(size) + " is beyond the ledger's " +
                      std::to_string(ledger_size) + " entries");
  }
  return Status::Ok();
}

void PrintEntryLine(const Context& ctx, uint64_t seq, std::string_view bytes) {
  auto entry = DecodeEntry(bytes);
  if (!entry.ok()) {
    std::cout << "#" << seq << " " << cli::Tr(ctx.lang, "（无法解码）", "(undecodable)") << "\n";
    return;
  }
  std::cout << "#" << seq << "  " << entry->time << "  " << entry->type << "  " << entry->op.name
            << "(" << entry->op.role << ")  " << entry->idempotency_id << "\n    "
            << json::Canonical(entry->body) << "\n";
}

// Appends one atomic batch; prints what happened to each request.
// The store names a request by its index in the batch; the user wants the
// file and line it came from.
Status AtFileLine(Status s, const std::vector<int64_t>& lines, const std::string& file) {
  int64_t index = s.where().line - 1;
  if (index >= 0 && static_cast<size_t>(index) < lines.size()) {
    s.mutable_where().line = lines[static_cast<size_t>(index)];
  }
  if (s.where().file.empty()) s.mutable_where().file = file;
  return s;
}

Status AppendBatch(const Context& ctx, Ledger& ledger, const std::vector<EntryRequest>& requests,
                   const std::vector<int64_t>& lines, const std::string& file,
                   std::vector<Value>* rows) {
  auto outcome = ledger.Append(requests);
  if (!outcome.ok()) return AtFileLine(std::move(outcome).status(), lines, file);
  size_t fresh = 0;
  for (const AppendOutcome& o : *outcome) {
    fresh += !o.already_recorded;
    rows->push_back(Value::Object({{"already_recorded", Value::Bool(o.already_recorded)},
                                   {"seq", Uint(o.seq)}}));
    if (!ctx.json && outcome->size() <= 20) {
      if (o.already_recorded) {
        std::cout << cli::Tr(ctx.lang, "已存在（幂等重试，未重复写入）：序号 ",
                             "already recorded (idempotent retry, nothing written): seq ")
                  << o.seq << "\n";
      } else {
        std::cout << cli::Tr(ctx.lang, "已记录：序号 ", "recorded: seq ") << o.seq << "\n";
      }
    }
  }
  if (!ctx.json && outcome->size() > 20) {
    std::cout << cli::Tr(ctx.lang, "已记录 ", "recorded ") << fresh
              << cli::Tr(ctx.lang, " 条新条目，", " new entries, ") << outcome->size() - fresh
              << cli::Tr(ctx.lang, " 条已存在", " already recorded") << "\n";
  }
  return Status::Ok();
}

}  // namespace

int Fail(const Context& ctx, const Status& status) {
  std::cerr << cli::FormatError(status, ctx.lang);
  return cli::ExitCodeFor(status.code());
}

int CmdInit(const Context& ctx, const std::string& ledger_path, const std::string& origin) {
  auto ledger = Ledger::Create(ledger_path, origin);
  if (!ledger.ok()) return Fail(ctx, ledger.status());
  if (ctx.json) {
    PrintJson(Value::Object({{"ledger", Value::String(ledger_path)},
                             {"origin", Value::String(origin)},
                             {"root", Value::String((*ledger)->root().Hex())},
                             {"size", Uint(0)}}));
  } else {
    std::cout << cli::Tr(ctx.lang, "已创建账本 ", "created ledger ") << ledger_path << " ("
              << origin << ")\n";
  }
  return cli::kExitOk;
}

// Everything an append checks — envelopes, idempotency, the rules — on the
// ledger as it is, read-only, and what it would write.
int DryRunAppend(const Context& ctx, const AppendArgs& args, const cli::RequestBatch& batch,
                 const std::string& name) {
  auto ledger = OpenLedger(args.ledger, Ledger::Mode::kReadOnly);
  if (!ledger.ok()) return Fail(ctx, ledger.status());
  auto outcome = (*ledger)->Check(batch.requests);
  if (!outcome.ok()) {
    int code = Fail(ctx, AtFileLine(std::move(outcome).status(), batch.lines, name));
    std::cerr << cli::Both(ctx.lang, "试运行：未写入任何条目", "dry run: nothing was written");
    return code;
  }
  size_t fresh = 0;
  for (const AppendOutcome& o : *outcome) fresh += !o.already_recorded;
  if (ctx.json) {
    PrintJson(Value::Object({{"already_recorded", Uint(outcome->size() - fresh)},
                             {"dry_run", Value::Bool(true)},
                             {"new_entries", Uint(fresh)}}));
  } else {
    std::cout << cli::Tr(ctx.lang, "试运行：将写入 ", "dry run: would write ") << fresh
              << cli::Tr(ctx.lang, " 条新条目，", " new entries, ") << outcome->size() - fresh
              << cli::Tr(ctx.lang, " 条已存在；未写入。\n", " already recorded; nothing written.\n");
  }
  return cli::kExitOk;
}

int CmdAppend(const Context& ctx, const AppendArgs& args) {
  auto text = cli::ReadInput(args.input);
  if (!text.ok()) return Fail(ctx, text.status());
  std::string name = args.input == "-" ? "<stdin>" : args.input;
  cli::RequestBatch batch = cli::ParseRequests(*text, args.format, name, args.op);
  if (!batch.errors.empty()) {
    for (const Status& s : batch.errors) std::cerr << cli::FormatError(s, ctx.lang);
    const std::string n = std::to_string(batch.errors.size());
    std::cerr << cli::Both(ctx.lang, "共 " + n + " 处错误，未写入任何条目。",
                           n + " error(s); nothing was written.");
    return cli::kExitBadInput;
  }
  if (args.dry_run) return DryRunAppend(ctx, args, batch, name);
  auto ledger = OpenLedger(args.ledger, Ledger::Mode::kWrite);
  if (!ledger.ok()) return Fail(ctx, ledger.status());
  std::vector<Value> rows;
  size_t step = args.commit_every == 0 ? batch.requests.size() : args.commit_every;
  for (size_t begin = 0; begin < batch.requests.size(); begin += step) {
    size_t end = std::min(batch.requests.size(), begin + step);
    std::vector<EntryRequest> part(batch.requests.begin() + static_cast<ptrdiff_t>(begin),
                                   batch.requests.begin() + static_cast<ptrdiff_t>(end));
    std::vector<int64_t> lines(batch.lines.begin() + static_cast<ptrdiff_t>(begin),
                               batch.lines.begin() + static_cast<ptrdiff_t>(end));
    Status s = AppendBatch(ctx, **ledger, part, lines, name, &rows);
    if (!s.ok()) {
      int code = Fail(ctx, s);
      const std::string before = std::to_string(begin);
      std::cerr << cli::Both(
          ctx.lang,
          std::string("此批未写入任何条目") + (begin > 0 ? "；之前已提交 " + before + " 条" : ""),
          std::string("nothing of this batch was written") +
              (begin > 0 ? "; committed before it: " + before : ""));
      return code;
    }
    if (args.commit_every != 0 && !ctx.json) {
      std::cout << cli::Tr(ctx.lang, "已提交至序号 ", "committed through seq ") << (*ledger)->size() - 1
                << "\n";
    }
  }
  if (ctx.json) {
    PrintJson(Value::Object({{"entries", Value::Array(std::move(rows))},
                             {"root", Value::String((*ledger)->root().Hex())},
                             {"size", Uint((*ledger)->size())}}));
  } else {
    std::cout << cli::Tr(ctx.lang, "账本条数 ", "ledger size ") << (*ledger)->size()
              << cli::Tr(ctx.lang, "，根哈希 ", ", root ") << (*ledger)->root().Hex() << "\n";
  }
  return cli::kExitOk;
}

int CmdLog(const Context& ctx, const LogArgs& args) {
  auto opened = OpenLedger(args.ledger, Ledger::Mode::kReadOnly);
  if (!opened.ok()) return Fail(ctx, opened.status());
  Ledger& ledger = **opened;
  auto show = [&](uint64_t seq, std::string_view bytes) {
    if (args.raw || ctx.json) {
      std::cout << bytes << "\n";
    } else {
      PrintEntryLine(ctx, seq, bytes);
    }
    return true;
  };
  if (!args.type.empty()) {
    auto seqs = ledger.SeqsOfType(args.type);
    if (!seqs.ok()) return Fail(ctx, seqs.status());
    for (uint64_t seq : *seqs) {
      auto bytes = ledger.EntryBytes(seq);
      if (!bytes.ok()) return Fail(ctx, bytes.status());
      show(seq, *bytes);
    }
    return cli::kExitOk;
  }
  uint64_t first = args.seq.value_or(args.from.value_or(0));
  uint64_t last = args.seq ? *args.seq + 1 : args.to.value_or(ledger.size());
  if (args.seq && *args.seq >= ledger.size()) {
    return Fail(ctx, Status(Code::kNotFound,
                            "没有序号为 " + std::to_string(*args.seq) + " 的条目（账本共 " +
                                std::to_string(ledger.size()) + " 条）",
                            "no entry with seq " + std::to_string(*args.seq) + " (ledger size " +
                                std::to_string(ledger.size()) + ")"));
  }
  last = std::min(last, ledger.size());
  if (first >= last) return cli::kExitOk;
  Status s = ledger.Scan(first, last, show);
  return s.ok() ? cli::kExitOk : Fail(ctx, s);
}

int CmdRoot(const Context& ctx, const std::string& ledger_path, std::optional<uint64_t> size) {
  auto opened = OpenLedger(ledger_path, Ledger::Mode::kReadOnly);
  if (!opened.ok()) return Fail(ctx, opened.status());
  Ledger& ledger = **opened;
  uint64_t n = size.value_or(ledger.size());
  if (Status s = SizeInRange(n, ledger.size(), "size"); !s.ok()) return Fail(ctx, s);
  auto root = ledger.RootAt(n);
  if (!root.ok()) return Fail(ctx, root.status());
  if (ctx.json) {
    PrintJson(Value::Object({{"origin", Value::String(ledger.origin())},
                             {"root", Value::String(root->Hex())},
                             {"size", Uint(n)}}));
  } else {
    std::cout << ledger.origin() << "\n"
              << cli::Tr(ctx.lang, "条数 ", "size ") << n << "\n"
              << cli::Tr(ctx.lang, "根哈希 ", "root ") << root->Hex() << "\n";
  }
  return cli::kExitOk;
}

int CmdProveInclusion(const Context& ctx, const std::string& ledger_path, uint64_t seq,
                      std::optional<uint64_t> size) {
  auto opened = OpenLedger(ledger_path, Ledger::Mode::kReadOnly);
  if (!opened.ok()) return Fail(ctx, opened.status());
  Ledger& ledger = **opened;
  uint64_t n = size.value_or(ledger.size());
  if (Status s = SizeInRange(n, ledger.size(), "size"); !s.ok()) return Fail(ctx, s);
  if (seq >= n) {
    // Beyond the ledger: no such entry (as for log); inside it but beyond
    // the asked-for size: a bad request.
    return Fail(ctx, Status(seq >= ledger.size() ? Code::kNotFound : Code::kInvalidInput,
                            "序号 " + std::to_string(seq) + " 须小于树的大小 " + std::to_string(n),
                            "seq " + std::to_string(seq) + " must be below the tree size " +
                                std::to_string(n)));
  }
  auto bytes = ledger.EntryBytes(seq);
  if (!bytes.ok()) return Fail(ctx, bytes.status());
  auto proof = ledger.InclusionProof(seq, n);
  if (!proof.ok()) return Fail(ctx, proof.status());
  auto root = ledger.RootAt(n);
  if (!root.ok()) return Fail(ctx, root.status());
  PrintJson(Value::Object({{"index", Uint(seq)},
                           {"leaf_hash", Value::String(LeafHash(*bytes).Hex())},
                           {"origin", Value::String(ledger.origin())},
                           {"proof", HashList(*proof)},
                           {"root", Value::String(root->Hex())},
                           {"size", Uint(n)},
                           {"type", Value::String("inclusion")}}));
  return cli::kExitOk;
}

int CmdProveConsistency(const Context& ctx, const std::string& ledger_path, uint64_t size1,
                        std::optional<uint64_t> size2) {
  auto opened = OpenLedger(ledger_path, Ledger::Mode::kReadOnly);
  if (!opened.ok()) return Fail(ctx, opened.status());
  Ledger& ledger = **opened;
  uint64_t n = size2.value_or(ledger.size());
  if (Status s = SizeInRange(n, ledger.size(), "size2"); !s.ok()) return Fail(ctx, s);
  if (size1 == 0 || size1 > n) {
    return Fail(ctx, Status(Code::kInvalidInput, "须满足 0 < size1 ≤ size2",
                            "sizes must satisfy 0 < size1 <= size2"));
  }
  auto proof = ledger.ConsistencyProof(size1, n);
  if (!proof.ok()) return Fail(ctx, proof.status());
  auto root1 = ledger.RootAt(size1);
  auto root2 = ledger.RootAt(n);
  if (!root1.ok()) return Fail(ctx, root1.status());
  if (!root2.ok()) return Fail(ctx, root2.status());
  PrintJson(Value::Object({{"origin", Value::String(ledger.origin())},
                           {"proof", HashList(*proof)},
                           {"root1", Value::String(root1->Hex())},
                           {"root2", Value::String(root2->Hex())},
                           {"size1", Uint(size1)},
                           {"size2", Uint(n)},
                           {"type", Value::String("consistency")}}));
  return cli::kExitOk;
}

int CmdExport(const Context& ctx, const std::string& ledger_path, const std::string& out_dir) {
  auto opened = OpenLedger(ledger_path, Ledger::Mode::kReadOnly);
  if (!opened.ok()) return Fail(ctx, opened.status());
  auto manifest = ExportBundle(**opened, out_dir);
  if (!manifest.ok()) return Fail(ctx, manifest.status());
  if (ctx.json) {
    std::cout << bundle::EncodeManifest(*manifest);
  } else {
    std::cout << cli::Tr(ctx.lang, "已导出 ", "exported ") << manifest->size
              << cli::Tr(ctx.lang, " 条到 ", " entries to ") << out_dir << "\n"
              << cli::Tr(ctx.lang, "根哈希 ", "root ") << manifest->root.Hex() << "\n";
  }
  return cli::kExitOk;
}

}  // namespace cunzhang::tool
