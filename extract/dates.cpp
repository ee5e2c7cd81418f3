// The publish-date cascade (see dates.h). Metadata is what the CMS stored; the shown date is
// what readers see. The shown date on the info line wins when it agrees with the metadata to
// within a day (metadata is often UTC, or the CMS's save time); a date-only value takes the
// time the other gives for the same day.
#include "extract/dates.h"

#include <algorithm>
#include <array>

#include "extract/fields.h"
#include "extract/rules.h"

namespace nh::extract {
namespace {

std::optional<DateTime> parse_date_value(std::string_view v) {
  const std::string f = fold(v);
  auto m = find_date(f);
  if (!m) return std::nullopt;
  return m->value;
}

// Whole days between two dates' calendar days (offsets ignored).
int days_apart(const DateTime& a, const DateTime& b) {
  auto days = [](const DateTime& d) {
    return days_from_civil(d.year, unsigned(d.month), unsigned(d.day));
  };
  const int d = days(a) - days(b);
  return d < 0 ? -d : d;
}

// Minutes since the epoch of a date's wall-clock fields (offset ignored).
long long wall_minutes(const DateTime& d) {
  const long long days = days_from_civil(d.year, unsigned(d.month), unsigned(d.day));
  return days * 1440 + std::max(d.hour, 0) * 60 + std::max(d.minute, 0);
}

// A visible time without an offset that shows the same moment as metadata with one
// ("06:00" on the page, "2022-01-28T05:00:00Z" in the JSON-LD) tells the site's offset (+01:00):
// the difference of the two, when it is a real zone offset (a multiple of 15 minutes within
// -12:00..+14:00). Otherwise the configured time zone stays in charge.
void offset_from_metadata(DateTime& shown, const DateTime& meta) {
  if (shown.offset_minutes || !meta.offset_minutes || !shown.has_time() || !meta.has_time()) return;
  const long long diff = wall_minutes(shown) - (wall_minutes(meta) - *meta.offset_minutes);
  if (diff % 15 == 0 && diff >= -12 * 60 && diff <= 14 * 60)
    shown.offset_minutes = static_cast<int>(diff);
}

bool has_any(std::string_view text, std::span<const std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return text.find(w) != std::string_view::npos; });
}

// <meta> names in order of trust (never the regeneration times), then JSON-LD datePublished.
DateResult metadata_date(const Metadata& md) {
  const auto never = rules::meta_never_date_names();
  for (auto name : rules::meta_date_names()) {
    if (std::find(never.begin(), never.end(), name) != never.end()) continue;
    const std::string v = md.get(name);
    if (v.empty()) continue;
    if (auto d = parse_date_value(v)) return {d, "meta:" + std::string(name)};
  }
  for (const auto& j : md.jsonld)
    if (auto d = parse_date_value(j.date_published)) return {d, "jsonld:datePublished"};
  return {};
}

// <time datetime> up to just after the article text, outside lists of other stories.
std::optional<DateTime> time_element(const DateEvidence& ev) {
  const Document& doc = ev.doc;
  for (int i = 0; i < doc.size(); ++i) {
    const Node& n = doc.node(i);
    if (n.type != NodeType::element || n.tag != Tag::time) continue;
    if (ev.content_top >= 0 && i > doc.node(ev.content_top).end + 50) break;
    std::string_view dt = doc.attr(i, "datetime");
    if (dt.empty() || in_other_stories(doc, i)) continue;
    if (auto d = parse_date_value(dt)) return d;
  }
  return std::nullopt;
}

// The first date on a line of `idx` (with a date label when `need_label`), skipping lines
// about other stories ("最新推荐文章于 2024-05-07 发布", related lists).
// `updated` is set when the date is labelled as a revision ("Updated", "最后修改"), on its
// line before the date or alone on the line above ("Last updated:" / "August 19, 2025").
std::optional<DateTime> scan_lines(const DateEvidence& ev, const std::vector<int>& idx,
                                   bool need_label, bool* updated = nullptr) {
  const Line* prev = nullptr;
  std::optional<DateTime> revision;  // the first date labelled as a revision
  for (int i : idx) {
    const Line& l = ev.lines[static_cast<size_t>(i)];
    const Line* above = prev;
    prev = &l;
    if (need_label && !has_any(l.text, rules::date_labels())) continue;
    if (count_code_points(l.text) > 160) continue;
    if (in_other_stories(ev.doc, l.first) || has_any(l.text, rules::other_story_words())) continue;
    if (auto m = find_date(l.text)) {
      if (!updated) return m->value;
      std::string label = lower_ascii(l.text.substr(0, m->begin));
      if (m->begin == 0 && above && above->chars <= 20) label = lower_ascii(above->text);
      if (!has_any(label, rules::update_labels())) {
        *updated = false;
        return m->value;  // the publish date beats a revision date shown before it
      }
      if (!revision) revision = m->value;
    }
  }
  if (updated) *updated = revision.has_value();
  return revision;
}

// The same calendar day read month-first and day-first: "8/5/2022" shown, 2022-05-08 stored.
bool day_month_swapped(const DateTime& a, const DateTime& b) {
  return a.year == b.year && a.month == b.day && a.day == b.month;
}

// A date shown without its time ("2015-11-05 阅读:8169") often has it elsewhere on the page
// next to a date label ("发布于:2015-11-05 11:34"): the time is taken from there.
bool add_labelled_time(const DateEvidence& ev, DateTime& shown) {
  for (const Line& l : ev.lines) {
    if (count_code_points(l.text) > 80 || !has_any(l.text, rules::date_labels())) continue;
    auto m = find_date(l.text);
    if (m && m->value.has_time() && days_apart(m->value, shown) == 0) {
      shown = m->value;
      return true;
    }
  }
  return false;
}

// How many nodes of the headline's parent may come before the headline for date elements
// there to count as the article's (a hero block: date, separator, reading time, h1). Tuned on
// wcxb-dev (tune half of the sites), session 6.
constexpr int kDateAboveHeadlineNodes = 24;

// Elements that say they hold the date (class date/published/time ...), from the headline's
// header block to the end of the content: their datetime/title attribute, else their text.
std::optional<DateTime> date_element(const DateEvidence& ev) {
  const Document& doc = ev.doc;
  int from = ev.title_node >= 0 ? ev.title_node : std::max(ev.content_top, 0);
  // A date shown just above the headline, in the same header block (kicker line, hero).
  if (ev.title_node >= 0) {
    const int header = doc.node(ev.title_node).parent;
    if (header >= 0 && ev.title_node - header <= kDateAboveHeadlineNodes) from = header;
  }
  const int to = ev.content_top >= 0 ? doc.node(ev.content_top).end + 200 : doc.size();
  for (int i = from; i < to && i < doc.size(); ++i) {
    const Node& n = doc.node(i);
    if (n.type != NodeType::element || n.skip) continue;
    if (!class_matches(doc.class_id(i), rules::date_class_tokens())) continue;
    if (in_other_stories(doc, i)) {
      i = n.end - 1;
      continue;
    }
    for (const char* attr : {"datetime", "title", "content"})
      if (auto d = parse_date_value(doc.attr(i, attr))) return d;
    if (n.text > 0 && n.text < 120)
      if (auto d = parse_date_value(doc.text(i))) return d;
  }
  return std::nullopt;
}

// Any short line under the text ("Benni, 10. September 2017").
std::optional<DateTime> short_tail_line(const DateEvidence& ev) {
  for (int i : ev.tail) {
    const Line& l = ev.lines[static_cast<size_t>(i)];
    if (l.chars > 40 || l.link_chars * 2 > l.chars || in_other_stories(ev.doc, l.first)) continue;
    if (has_any(l.text, rules::other_story_words())) continue;
    if (auto m = find_date(l.text)) return m->value;
  }
  return std::nullopt;
}

// A header strip the chosen content took in ("Dec 17, 2025" and "6 min read" on lines of their
// own under the lede): a short line with a date among the text's first lines. Read only when
// the page has no other date. Tuned on wcxb-dev (tune half of the sites), session 10.
constexpr size_t kBodyHeadLines = 5;
constexpr int kBodyHeadLineChars = 40;

std::optional<DateTime> body_head_line(const DateEvidence& ev) {
  for (size_t k = 0; k < ev.body_idx.size() && k < kBodyHeadLines; ++k) {
    const Line& l = ev.lines[static_cast<size_t>(ev.body_idx[k])];
    if (l.chars > kBodyHeadLineChars || l.link_chars * 2 > l.chars) continue;
    if (in_other_stories(ev.doc, l.first)) continue;
    if (auto m = find_date(l.text)) return m->value;
  }
  return std::nullopt;
}

// What the page shows readers: the info line, a labelled tail line, a date element, a short
// tail line (the last two only when the metadata has no date).
DateResult shown_date(const DateEvidence& ev, bool have_metadata, bool& updated) {
  DateResult r;
  updated = false;
  if ((r.value = scan_lines(ev, ev.info, false, &updated))) {
    r.rule = "info-line";
  } else if ((r.value = scan_lines(ev, ev.tail, true))) {
    r.rule = "tail-line";
  }
  if (r.value && !r.value->has_time() && add_labelled_time(ev, *r.value))
    r.rule += "+labelled-time";
  if (r.value || have_metadata) return r;
  if ((r.value = date_element(ev))) {
    r.rule = "date-element";
  } else if ((r.value = body_head_line(ev))) {
    r.rule = "body-head-line";
  } else if ((r.value = short_tail_line(ev))) {
    r.rule = "tail-line";
  }
  return r;
}

// "发布时间:10-08 12:00" without a year (Baijiahao): the year of any date in the metadata.
DateResult info_line_with_meta_year(const DateEvidence& ev) {
  for (int i : ev.info) {
    const std::string& t = ev.lines[static_cast<size_t>(i)].text;
    if (t.find("发布") == std::string::npos && t.find("时间") == std::string::npos) continue;
    const size_t colon = t.find(':');
    if (colon == std::string::npos) continue;
    int year = 0;
    for (const auto& [k, v] : ev.md.meta)
      if (auto d = parse_date_value(v)) {
        year = d->year;
        break;
      }
    if (year == 0) break;
    std::string probe = std::to_string(year) + "-" + t.substr(colon + 1);
    if (size_t sp = probe.find(' '); sp != std::string::npos && sp < 10) probe.erase(sp, 1);
    if (probe.size() > 10 && std::isdigit(static_cast<unsigned char>(probe[10])))
      probe = probe.substr(0, 10) + " " + probe.substr(10);
    if (auto m = find_date(probe); m && m->begin == 0) return {m->value, "info-line+meta-year"};
    break;
  }
  return {};
}

// A dateline opening the text ("27.1.2022 - Bei der Erinnerung…", "Pressemitteilung vom
// 25. Januar 2022 | Berlin – …"): a date within the first words of the first paragraphs.
DateResult dateline(const DateEvidence& ev) {
  int seen = 0;
  for (size_t k = 0; k < ev.body_idx.size() && seen < 2; ++k) {
    const Line& l = ev.lines[static_cast<size_t>(ev.body_idx[k])];
    if (!is_prose(l)) continue;
    ++seen;
    if (auto m = find_date(l.text); m && count_code_points(l.text.substr(0, m->begin)) <= 24)
      return {m->value, "dateline"};
  }
  return {};
}

// Whether an info line shows `d` (to within a day) among its dates, first or not, and not
// labelled as a revision: "May 21, 2025April 24, 2025 by …" shows a revision first and the
// publish date second.
bool info_shows(const DateEvidence& ev, const DateTime& d) {
  for (int i : ev.info) {
    const std::string& t = ev.lines[static_cast<size_t>(i)].text;
    if (count_code_points(t) > 160) continue;
    for (auto m = find_date(t); m; m = find_date(t, m->end))
      if (days_apart(m->value, d) <= 1 &&
          !has_any(lower_ascii(t.substr(0, m->begin)), rules::update_labels()))
        return true;
  }
  return false;
}

void explain(std::vector<Candidate>* trace, const DateResult& c, const DateResult& won) {
  if (!trace || !c.value) return;
  const DateTime& d = *c.value;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  std::string v = buf;
  if (d.has_time()) {
    std::snprintf(buf, sizeof buf, " %02d:%02d", d.hour, d.minute);
    v += buf;
  }
  const bool win = won.value && *won.value == d;
  trace->push_back({"published_at", c.rule, v, 0, win ? "won" : "lost"});
}

}  // namespace

DateResult find_published(const DateEvidence& ev, std::vector<Candidate>* trace) {
  DateResult chosen = metadata_date(ev.md);
  const DateResult meta = chosen;
  const DateResult time_el{time_element(ev), "time-element"};
  bool updated = false;  // the shown date is labelled as a revision
  const DateResult shown = shown_date(ev, chosen.value.has_value(), updated);
  if (!chosen.value && time_el.value) chosen = time_el;
  const DateResult script{
      ev.md.script_date.empty() ? std::nullopt : parse_date_value(ev.md.script_date),
      "script-data"};
  if (!chosen.value && script.value) chosen = script;
  if (chosen.value && shown.value && shown.rule == "info-line" && shown.value->has_time() &&
      days_apart(*chosen.value, *shown.value) <= 1) {
    DateTime v = *shown.value;
    offset_from_metadata(v, *chosen.value);
    chosen = {v, shown.rule + " (agrees with " + chosen.rule + ")"};
  } else if (chosen.value && shown.value && !chosen.value->has_time() && shown.value->has_time() &&
             days_apart(*chosen.value, *shown.value) == 0) {
    chosen = {shown.value, chosen.rule + "+" + shown.rule + "-time"};
  } else if (chosen.value && shown.value && shown.rule.starts_with("info-line") && !updated &&
             days_apart(*chosen.value, *shown.value) > 1 &&
             !day_month_swapped(*chosen.value, *shown.value) && !info_shows(ev, *chosen.value)) {
    // What readers see is the publish date: a CMS rewrites its metadata whenever it
    // regenerates the page. The conflict stays visible in the provenance.
    chosen = {shown.value, shown.rule + " (over " + chosen.rule + ")"};
  }
  if (!chosen.value && !shown.value) chosen = info_line_with_meta_year(ev);
  if (!chosen.value && shown.value) chosen = shown;
  if (!chosen.value) chosen = dateline(ev);
  if (!chosen.value && !ev.url.empty())
    if (auto d = date_from_url(ev.url)) chosen = {d, "url"};
  for (const DateResult* c : {&meta, &time_el, &script, &shown}) explain(trace, *c, chosen);
  return chosen;
}

}  // namespace nh::extract
