// Checking an append request before it is encoded: envelope fields, and a
// body built in code that may hold what the JSON parser never would. Private
// to src/store.
#ifndef CUNZHANG_STORE_REQUEST_CHECK_H_
#define CUNZHANG_STORE_REQUEST_CHECK_H_

#include "cunzhang/entry.h"
#include "cunzhang/status.h"

namespace cunzhang::store {

// OK when `request` can become an entry the verifier accepts; otherwise
// kInvalidInput naming the field.
Status CheckRequest(const EntryRequest& request);

}  // namespace cunzhang::store

#endif  // CUNZHANG_STORE_REQUEST_CHECK_H_
