#include "extract/page.h"

#include <array>

namespace nh::extract {
namespace {
constexpr std::array<std::string_view, 8> kRoles = {"reporter",     "correspondent", "intern",
                                                    "photographer", "editor",        "reviewer",
                                                    "translator",   "author"};
}

std::string_view role_name(Role r) { return kRoles[static_cast<size_t>(r)]; }

std::optional<Role> role_from_name(std::string_view s) {
  for (size_t i = 0; i < kRoles.size(); ++i)
    if (kRoles[i] == s) return static_cast<Role>(i);
  return std::nullopt;
}

bool is_writer(Role r) { return r == Role::reporter || r == Role::author; }

std::string_view kind_name(PageKind k) {
  switch (k) {
    case PageKind::article:
      return "article";
    case PageKind::list:
      return "list";
    default:
      return "other";
  }
}

}  // namespace nh::extract
