// FindMember and MemberLookups (internal.h): the member found last is
// remembered only while an entry of the same State is applied on this
// thread, only members that exist are remembered, and the answer is always
// the map's own.
#include <catch2/catch.hpp>

#include <string>
#include <thread>

#include "cunzhang/domain.h"
#include "internal.h"

namespace cunzhang::domain::internal {
namespace {

State WithMembers(std::initializer_list<const char*> ids) {
  State state;
  for (const char* id : ids) state.members[id].status = "active";
  return state;
}

TEST_CASE("FindMember gives the map's member or null, remembering only within a MemberLookups",
          "[domain]") {
  State state = WithMembers({"M-001", "M-002"});
  const Member* one = &state.members.at("M-001");
  const Member* two = &state.members.at("M-002");
  // No look-ups alive: the map's find.
  CHECK(FindMember(state, "M-001") == one);
  CHECK(FindMember(state, "M-003") == nullptr);
  {
    const MemberLookups remember(&state);
    CHECK(FindMember(state, "M-001") == one);
    CHECK(FindMember(state, "M-001") == one);  // remembered
    CHECK(FindMember(state, "M-002") == two);  // another id replaces it
    CHECK(FindMember(state, "M-001") == one);
    // An absent member is not remembered: created later in the same entry,
    // it is found.
    CHECK(FindMember(state, "M-003") == nullptr);
    state.members["M-003"].status = "active";
    CHECK(FindMember(state, "M-003") == &state.members.at("M-003"));
    // The mutable form gives the same node.
    Member* mutable_one = FindMember(&state, "M-001");
    CHECK(mutable_one == one);
    mutable_one->reserve_fen = 42;
    CHECK(state.members.at("M-001").reserve_fen == 42);
    // Another State, even with the same ids, is never answered from it.
    State other = WithMembers({"M-001"});
    CHECK(FindMember(other, "M-001") == &other.members.at("M-001"));
    CHECK(FindMember(state, "M-001") == one);
    // Another thread does not see this thread's look-ups.
    const Member* seen = nullptr;
    std::thread([&] { seen = FindMember(other, "M-001"); }).join();
    CHECK(seen == &other.members.at("M-001"));
  }
  // Gone with its scope: a State at the same address later is not answered
  // from a stale look-up.
  state = WithMembers({"M-001"});
  CHECK(FindMember(state, "M-001") == &state.members.at("M-001"));
  CHECK(FindMember(state, "M-002") == nullptr);
}

TEST_CASE("MemberLookups nest and restore the outer one", "[domain]") {
  State outer_state = WithMembers({"A"});
  State inner_state = WithMembers({"A"});
  const MemberLookups outer(&outer_state);
  CHECK(FindMember(outer_state, "A") == &outer_state.members.at("A"));
  {
    const MemberLookups inner(&inner_state);
    CHECK(FindMember(inner_state, "A") == &inner_state.members.at("A"));
    CHECK(FindMember(outer_state, "A") == &outer_state.members.at("A"));
  }
  CHECK(FindMember(outer_state, "A") == &outer_state.members.at("A"));
  CHECK(FindMember(inner_state, "A") == &inner_state.members.at("A"));
}

}  // namespace
}  // namespace cunzhang::domain::internal
