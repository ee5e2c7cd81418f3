// The shared cascade of the field modules: an ordered table of named rules, each reading the
// module's evidence and proposing a value or nothing, run first to last. The module's judge
// sees every proposal in order (rule name and value) and decides what it means for the
// result (the first wins; a generic value gives way to a later specific one ...); it records
// the candidate in the --explain trace and says whether the cascade is settled. Without a
// trace, the cascade stops at the first rule after it is settled; with one, every rule runs so
// the trace lists every candidate considered and why it lost. The winning rule's name is what
// the module puts in provenance.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace nh::extract {

template <class Evidence, class Value>
struct NamedRule {
  std::string_view name;  // provenance name ("breadcrumb", "meta", "info-line", ...)
  std::optional<Value> (*run)(const Evidence&);
};

// Runs `rules` in order over `ev`. `judge(std::string_view name, std::optional<Value>&& v)` is
// called for each rule that found a value and returns true once the result is settled.
template <class Evidence, class Value, class Judge>
void run_cascade(std::span<const NamedRule<Evidence, Value>> rules, const Evidence& ev,
                 bool tracing, Judge&& judge) {
  bool settled = false;
  for (const auto& rule : rules) {
    if (settled && !tracing) break;
    std::optional<Value> v = rule.run(ev);
    if (!v) continue;
    if (judge(rule.name, std::move(v))) settled = true;
  }
}

}  // namespace nh::extract
