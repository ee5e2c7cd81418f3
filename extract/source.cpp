// The source cascade (see source.h).
#include "extract/source.h"

#include <algorithm>

#include "extract/cascade.h"
#include "extract/fields.h"
#include "extract/normalize.h"
#include "extract/rules.h"

namespace nh::extract {
namespace {

// A rule's answer: nullopt = nothing found; "" = a label with no value (the page names none).
using Found = std::optional<std::string>;

Found labelled_info(const SourceEvidence& ev) {
  for (int i : ev.info)
    if (auto s = source_from_line(ev.lines[static_cast<size_t>(i)].text)) return s;
  return std::nullopt;
}

Found meta_source(const SourceEvidence& ev) {
  if (auto [k, v] = ev.md.first(rules::meta_source_names());
      !v.empty() && v.find("://") == std::string::npos)
    return fold(v);
  return std::nullopt;
}

Found labelled_tail(const SourceEvidence& ev) {
  for (int i : ev.tail)
    if (auto s = source_from_line(ev.lines[static_cast<size_t>(i)].text); s && !s->empty())
      return s;
  return std::nullopt;
}

// Unlabelled: the outlet right after the info line's date ("2022-02-13 09:57 光明网").
Found after_date(const SourceEvidence& ev) {
  for (int i : ev.info)
    if (auto s = outlet_after_date(ev.lines[static_cast<size_t>(i)].text)) return s;
  return std::nullopt;
}

// The longest text a source element may hold (code points): a label and an outlet's name.
constexpr int kSourceElementChars = 30;

// An element of the info region classed as the source (<span class="source">某某晚报</span>,
// <a class="source">新京报</a>): its labelled value, or its text when that is an outlet's name.
Found source_element(const SourceEvidence& ev) {
  const Document& doc = ev.doc;
  for (int i : ev.info) {
    const Line& l = ev.lines[static_cast<size_t>(i)];
    if (l.block < 0) continue;
    for (int k = std::max(l.block, l.first - 8); k < doc.node(l.block).end; ++k) {
      const Node& n = doc.node(k);
      if (n.type != NodeType::element || n.skip || n.text == 0 || n.text > kSourceElementChars)
        continue;
      if (!class_matches(doc.class_id(k), rules::source_class_tokens())) continue;
      const std::string t = fold(doc.text(k));
      if (auto s = source_from_line(t); s && !s->empty()) return s;
      if (outlet_name(t)) return t;
    }
  }
  return std::nullopt;
}

// A credit line closing the text: "（本文来源：经济日报 作者：…）", "本文转自：央视新闻客户端".
Found closing_line(const SourceEvidence& ev) {
  if (ev.body_lines.empty()) return std::nullopt;
  const std::string& last = ev.body_lines.back();
  std::string_view v = last;
  while (v.starts_with('(') || v.starts_with("（")) v.remove_prefix(v.starts_with('(') ? 1 : 3);
  if (v.starts_with("本文来源") || v.starts_with("来源") || v.starts_with("本文转自") ||
      v.starts_with("转自") || v.starts_with("转载自"))
    if (auto s = source_from_line(last); s && !s->empty()) return s;
  return std::nullopt;
}

// The agency of a dateline opening the text: "（新华社北京5月26日电）".
Found dateline(const SourceEvidence& ev) {
  if (ev.body_lines.empty()) return std::nullopt;
  return agency_from_dateline(ev.body_lines.front());
}

// The outlet of a press mark opening the text: "新京报讯（记者…）", "【大公報訊】".
Found press_mark(const SourceEvidence& ev) {
  if (ev.body_lines.empty()) return std::nullopt;
  return outlet_from_press_mark(ev.body_lines.front());
}

constexpr NamedRule<SourceEvidence, std::string> kRules[] = {
    {"info-line", labelled_info},       {"meta", meta_source},
    {"tail-line", labelled_tail},       {"info-line-after-date", after_date},
    {"source-element", source_element}, {"text-last-line", closing_line},
    {"dateline-agency", dateline},      {"text-press-mark", press_mark},
};

}  // namespace

bool generic_source(std::string_view value) {
  const std::string v = squash(value);
  for (auto g : rules::generic_sources())
    if (v == g) return true;
  return false;
}

SourceResult find_source(const SourceEvidence& ev, std::vector<Candidate>* trace) {
  SourceResult r;
  bool settled = false;  // a specific outlet, or a labelled 来源 left empty
  // The first specific value wins; a generic one (本站, 网络) holds until a specific one comes.
  run_cascade<SourceEvidence, std::string>(
      kRules, ev, trace != nullptr, [&](std::string_view rule, Found&& v) {
        std::string name(rule);
        if (name == "meta") name = "meta:" + ev.md.first(rules::meta_source_names()).first;
        const bool generic = !v->empty() && generic_source(*v);
        std::string note = "won";
        if (settled)
          note = "lost: a rule above won";
        else if (r.value && generic)
          note = "lost: generic, like the value above";
        if (trace) trace->push_back({"source", name, v->empty() ? "(empty label)" : *v, 0, note});
        if (settled || (r.value && generic)) return settled;
        if (r.value && trace) trace->back().note = "won over the generic " + *r.value;
        if (v->empty()) {
          settled = true;  // "来源：" with no value: the page names no source
          if (trace) trace->back().note = "won: the page names no source";
          if (!r.value) r.rule = name;
          return settled;
        }
        r = {std::move(v), std::move(name)};
        settled = !generic;
        return settled;
      });
  return r;
}

}  // namespace nh::extract
