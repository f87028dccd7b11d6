// Writing an export bundle (bundle.h) from a ledger.
#ifndef CUNZHANG_EXPORT_H_
#define CUNZHANG_EXPORT_H_

#include <string>

#include "cunzhang/bundle.h"
#include "cunzhang/status.h"
#include "cunzhang/store.h"

namespace cunzhang {

// Writes entries [0, ledger.size()) and the manifest into `dir`, which must
// not exist or be empty. Files are written under temporary names, synced and
// then renamed, so a crash leaves no bundle that looks complete but is not.
Result<bundle::Manifest> ExportBundle(Ledger& ledger, const std::string& dir);

}  // namespace cunzhang

#endif  // CUNZHANG_EXPORT_H_
