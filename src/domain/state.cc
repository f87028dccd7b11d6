#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/array.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/set.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <sstream>

#include "cunzhang/domain.h"

namespace cunzhang::domain {

std::string SerializeState(const State& state) {
  std::ostringstream out(std::ios::binary);
  {
    cereal::PortableBinaryOutputArchive ar(out);
    ar(kStateVersion, state);
  }
  return out.str();
}

Result<State> DeserializeState(std::string_view bytes) {
  std::istringstream in(std::string(bytes), std::ios::binary);
  State state;
  uint32_t version = 0;
  try {
    cereal::PortableBinaryInputArchive ar(in);
    ar(version);
    if (version != kStateVersion) {
      return Status(Code::kCorruption, "派生状态的版本不符，需要重放账本重建",
                    "derived state has version " + std::to_string(version) + ", expected " +
                        std::to_string(kStateVersion) + "; rebuild it by replaying the ledger");
    }
    ar(state);
  } catch (const std::exception& e) {
    return Status(Code::kCorruption, "派生状态无法读取", std::string("derived state unreadable: ") + e.what());
  }
  if (in.peek() != std::char_traits<char>::eof()) {
    return Status(Code::kCorruption, "派生状态末尾有多余字节", "derived state has trailing bytes");
  }
  return state;
}

}  // namespace cunzhang::domain
