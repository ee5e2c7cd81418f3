// The credits cascade (see credits.h). Evidence, in the order it is trusted for the writers:
//   visible   — labelled credit lines (本报记者 甲, 文/乙, By Jane Doe) in the info region, in
//               the body and under it: what readers see, and the only source of roles;
//   declared  — JSON-LD `author` (Person or untyped) and <meta name=author>: what the CMS
//               says, reliable on Latin-script sites, often the site's own name on Chinese ones;
//   elements  — elements classed author/byline or linked rel=author: a guess at the slot.
// A Han name among the visible writers settles it; otherwise declared authors name the writers
// when there are any (their value is one field, without the neighbouring date, job title or
// "Sponsored" that runs into an element's text), then the visible ones, then author elements.
#include "extract/credits.h"

#include <algorithm>
#include <array>

#include "extract/fields.h"
#include "extract/normalize.h"
#include "extract/rules.h"

namespace nh::extract {
namespace {

bool has_writer(const std::vector<Contributor>& people) {
  return std::any_of(people.begin(), people.end(), [](auto& p) { return is_writer(p.role); });
}

bool has_han(std::string_view s) {
  for (size_t i = 0; i < s.size();)
    if (is_cjk(decode_utf8(s, i))) return true;
  return false;
}

// The longest forum handle read before a "posted at" marker (code points).
constexpr size_t kPosterHandleChars = 20;

// "王利阳 2015-06-21 11:39:55", "原创 周启明 于 2024-05-06 发布": a bare name right before the
// date of an info line (after a badge at most) is its writer; so is a name followed by the
// account or outlet that posted it.
void name_before_date(const std::string& t, std::vector<Contributor>& out) {
  auto d = find_date(t);
  if (!d || d->begin == 0) return;
  std::vector<std::string> toks;
  const std::string head = t.substr(0, d->begin);
  for (size_t from = 0; from < head.size();) {
    size_t sp = head.find(' ', from);
    if (sp == std::string::npos) sp = head.size();
    if (sp > from) toks.push_back(head.substr(from, sp - from));
    from = sp + 1;
  }
  if (!toks.empty() && toks.back() == "于") toks.pop_back();
  const auto badges = rules::title_badges();
  size_t k = 0;
  while (k < toks.size() && k < 1 &&
         std::find(badges.begin(), badges.end(), toks[k]) != badges.end())
    ++k;
  const size_t rest = toks.size() - k;
  if (rest == 1 && han_personal_name(toks[k])) add_people(out, {{toks[k], Role::author}});
  // "原创 赵六 某某公众号 2024-01-02" (WeChat): the writer, then the account that posted it.
  if (rest == 2 && han_personal_name(toks[k]) && !han_personal_name(toks[k + 1]) &&
      count_code_points(toks[k + 1]) >= 3)
    add_people(out, {{toks[k], Role::author}});
}

// "乡村小记者 发表于 2023-10-08 15:20" (forums, blogs): the handle right before a "posted at"
// marker and a date is the post's writer, whatever it looks like.
void poster_before_posted(const std::string& t, std::vector<Contributor>& out) {
  for (auto marker : rules::posted_markers()) {
    const size_t p = t.find(marker);
    if (p == std::string::npos || p == 0) continue;
    const auto d = find_date(t, p);
    if (!d || d->begin > p + marker.size() + 4) continue;
    const std::string handle = trim(t.substr(0, p));
    const size_t n = count_code_points(handle);
    if (n < 2 || n > kPosterHandleChars || handle.find(' ') != std::string::npos) continue;
    if (find_date(handle)) continue;
    add_people(out, {{handle, Role::author}});
    return;
  }
}

// What separates an info line's fields (bytes of ASCII and UTF-8 dashes and dots).
constexpr const char* kFieldSeparators = " ·|•-–—,";

// The longest info line split into fields for a byline (bytes).
constexpr size_t kInfoFieldsBytes = 240;

// An info line's fields: the text between " | ", " · ", " • " separators.
std::vector<std::string> info_fields(std::string_view t) {
  std::vector<std::string> out;
  size_t from = 0;
  while (from <= t.size()) {
    size_t cut = std::string_view::npos, len = 0;
    for (std::string_view sep : {" | ", " · ", " • "})
      if (size_t p = t.find(sep, from); p < cut) {
        cut = p;
        len = sep.size();
      }
    if (std::string f = trim(t.substr(from, cut == std::string_view::npos ? cut : cut - from));
        !f.empty())
      out.push_back(std::move(f));
    if (cut == std::string_view::npos) break;
    from = cut + len;
  }
  return out;
}

// What follows an info line's opening date: a labelled byline ("by Agatha Caleo"), or after
// a time ("13:10 Uhr | Uta Helkenberg", "- Reiner Nagel") a bare full name and nothing else.
std::vector<std::string> dated_byline(std::string_view rest) {
  std::vector<std::string> names = english_byline(trim(rest, kFieldSeparators));
  if (!names.empty()) return names;
  std::string bare = trim(rest);
  for (std::string_view w : rules::time_words())
    if (lower_ascii(bare).starts_with(w)) bare = trim(bare.substr(w.size()));
  // The name stands in a field of its own ("| Uta Helkenberg"), not run into the date line
  // ("2020-04-26 Deutsche Sprache"), and is not a label in capitals ("| PAID CONTENT").
  // (The separators' UTF-8 lead bytes are in kFieldSeparators too.)
  if (bare.empty() || std::string_view(kFieldSeparators).find(bare[0]) == std::string_view::npos)
    return names;
  bare = trim(bare, kFieldSeparators);
  const bool capitals =
      std::none_of(bare.begin(), bare.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  if (!capitals && valid_latin_name(bare)) names.push_back(bare);
  return names;
}

// "Written by" / "By" alone on a line, the name on the next ("<p>Written by</p><p>Jane Doe</p>").
bool bare_byline_label(std::string_view line) {
  const std::string l = lower_ascii(line);
  for (auto p : rules::byline_prefixes()) {
    std::string_view label = p;
    while (!label.empty() && label.back() == ' ') label.remove_suffix(1);
    if (l == label || l + ":" == label) return true;
  }
  return false;
}

std::vector<Contributor> info_line_people(const CreditEvidence& ev) {
  std::vector<Contributor> out;
  for (size_t k = 0; k < ev.info.size(); ++k) {
    const std::string& t = ev.lines[static_cast<size_t>(ev.info[k])].text;
    if (bare_byline_label(t) && k + 1 < ev.info.size()) {
      const std::string& next = ev.lines[static_cast<size_t>(ev.info[k + 1])].text;
      for (auto& n : english_byline(next, /*bare=*/true)) add_people(out, {{n, Role::reporter}});
      continue;
    }
    const Credits c = parse_credits(t);
    add_people(out, c.people);
    std::vector<std::string> names = english_byline(t);
    // "03/01/2017 by Agatha Caleo", "Dec 19, 2025 · By Niko Matsakis": the date first.
    if (auto d = find_date(t); names.empty() && d && d->begin == 0)
      names = dated_byline(std::string_view(t).substr(d->end));
    // "Trending | By Cara Stiles | April 13, 2020": a byline field of a separated info line.
    if (names.empty() && t.size() <= kInfoFieldsBytes)
      for (const std::string& field : info_fields(t))
        if (names = english_byline(field); !names.empty()) break;
    for (auto& n : names) add_people(out, {{n, Role::reporter}});
    if (c.people.empty()) {
      poster_before_posted(t, out);
      name_before_date(t, out);
      if (auto w = bracketed_writer_after_date(t)) add_people(out, {{*w, Role::author}});
    }
  }
  return out;
}

// The longest line under the text read as an English byline ("Written by Jane Doe").
constexpr int kTailBylineChars = 60;

std::vector<Contributor> tail_people(const CreditEvidence& ev) {
  std::vector<Contributor> out;
  for (int i : ev.tail) {
    const Line& l = ev.lines[static_cast<size_t>(i)];
    const Credits c = parse_credits(l.text);
    // Short labelled lines under the text ("本文来源:每日经济新闻 作者:刘姝威") credit people
    // even when the line holds other fields too.
    if (c.byline_only() || (!c.people.empty() && l.chars <= 60 && l.link_chars * 2 < l.chars))
      add_people(out, c.people);
  }
  return out;
}

// "Written by Jane Doe" under the text (an author box's first line): read only when nothing
// above credits a writer, and only after an English "by" label.
std::vector<Contributor> tail_english_byline(const CreditEvidence& ev) {
  std::vector<Contributor> out;
  for (int i : ev.tail) {
    const Line& l = ev.lines[static_cast<size_t>(i)];
    if (l.chars > kTailBylineChars || in_other_stories(ev.doc, l.first) ||
        in_comments(ev.doc, l.first))
      continue;
    const std::string lower = lower_ascii(l.text);
    const auto labels = rules::english_by_labels();
    if (std::none_of(labels.begin(), labels.end(),
                     [&](std::string_view p) { return lower.starts_with(p); }))
      continue;
    for (auto& n : english_byline(l.text))
      if (valid_latin_name(n)) add_people(out, {{n, Role::reporter}});
    if (!out.empty()) break;
  }
  return out;
}

// The longest name line of an author box (code points).
constexpr int kAuthorBoxNameChars = 40;

// An author box under the text, when nothing else credits a writer: a byline label alone on
// its line above a name ("Article by" / "Matias Heikkilä"), or a name whose next line is the
// bio that opens with it and a verb of a bio ("Lauren Vetter" / "Lauren Vetter is a
// growth-focused marketer…", "Bence Kovács" / "Bence is a software developer…").
std::vector<Contributor> tail_author_box(const CreditEvidence& ev) {
  std::vector<Contributor> out;
  for (size_t k = 0; k + 1 < ev.tail.size(); ++k) {
    const int i = ev.tail[k], j = ev.tail[k + 1];
    if (j != i + 1) continue;
    const Line& a = ev.lines[static_cast<size_t>(i)];
    const Line& b = ev.lines[static_cast<size_t>(j)];
    if (in_other_stories(ev.doc, a.first) || in_comments(ev.doc, a.first)) continue;
    std::string name;
    if (bare_byline_label(a.text) && b.chars <= kAuthorBoxNameChars && valid_latin_name(b.text)) {
      name = b.text;
    } else if (a.chars <= kAuthorBoxNameChars && valid_latin_name(a.text) &&
               a.text.find(' ') != std::string::npos && b.text.size() > a.text.size()) {
      const std::string first = a.text.substr(0, a.text.find(' '));
      for (const std::string& opening : {a.text, first}) {
        if (!b.text.starts_with(opening + " ")) continue;
        const std::string_view next = std::string_view(b.text).substr(opening.size() + 1);
        const std::string_view verb = next.substr(0, next.find_first_of(" ,"));
        const auto verbs = rules::bio_verbs();
        if (std::find(verbs.begin(), verbs.end(), verb) != verbs.end()) name = a.text;
        break;
      }
    }
    if (name.empty()) continue;
    add_people(out, {{name, Role::author}});
    break;
  }
  return out;
}

// The most text an author slot may hold (code points): a name with a job title and a date on
// lines of their own; its first line is read. Tuned on wcxb-dev/trafilatura-eval (80 -> 200:
// both halves gain).
constexpr int kAuthorSlotChars = 200;

bool author_archive_link(std::string_view href) {
  for (std::string_view p : rules::author_archive_paths()) {
    const size_t at = href.find(p);
    if (at != std::string_view::npos && at + p.size() < href.size()) return true;
  }
  return false;
}

// Author elements (class/id author, byline, rel=author); `rel` says whether one was a link.
std::vector<Contributor> author_element_people(const CreditEvidence& ev, bool& rel) {
  std::vector<Contributor> all;
  const Document& doc = ev.doc;
  int slot = -1;  // the parent of the first author element that names someone
  for (int i = 0; i < doc.size(); ++i) {
    const Node& n = doc.node(i);
    if (slot >= 0 && i >= doc.node(slot).end) break;
    if (n.type != NodeType::element || n.skip || n.text == 0 || n.text > kAuthorSlotChars) continue;
    // rel=author, or a link to the writer's archive page (WordPress /author/slug/).
    const bool rel_author =
        n.tag == Tag::a && (lower_ascii(doc.attr(i, "rel")) == "author" ||
                            author_archive_link(lower_ascii(doc.attr(i, "href"))));
    const bool microdata = lower_ascii(doc.attr(i, "itemprop")) == "author";
    if (!rel_author && !microdata && !class_matches(doc.class_id(i), rules::author_class_tokens()))
      continue;
    // Comment authors and the authors of other stories are not this article's writers.
    if (in_comments(doc, i) || in_other_stories(doc, i)) {
      i = n.end - 1;
      continue;
    }
    // A byline's text ends at its block: the first line of the element ("Lauren Vetter" of
    // "Lauren Vetter / Content Marketing Manager"), with the next when the first is a label.
    std::vector<std::string> lines;
    {
      const std::string raw = doc.text(i);
      for (size_t from = 0; from <= raw.size() && lines.size() < 2;) {
        size_t nl = raw.find('\n', from);
        if (nl == std::string::npos) nl = raw.size();
        if (std::string l = fold(std::string_view(raw).substr(from, nl - from)); !l.empty())
          lines.push_back(std::move(l));
        from = nl + 1;
      }
    }
    if (lines.empty()) continue;
    std::string t = lines[0];
    if (lines.size() > 1 && (bare_byline_label(t) || lower_ascii(t) == "author"))
      t += " " + lines[1];
    t = strip_author_box_words(t);
    std::vector<Contributor> found = parse_credits(t).people;
    if (found.empty()) {
      for (auto& nm : english_byline(t, /*bare=*/true)) found.push_back({nm, Role::reporter});
      if (found.empty() && han_personal_name(squash_folded(t)))
        found.push_back({squash_folded(t), Role::author});
      // A link the page marks as its author's (rel=author, the /author/slug/ archive) names
      // the writer as a name field does: a handle or a first name alone counts ("gnaddrig").
      if (found.empty() && (rel_author || microdata))
        for (auto& nm : declared_author_names(t, ev.site)) found.push_back({nm, Role::author});
    }
    if (!found.empty()) {
      add_people(all, found);
      rel = rel || rel_author;
      // The article's author slot is the first that names someone, with its siblings ("By
      // <a rel=author>A</a> and <a rel=author>B</a>"); later ones belong to author boxes,
      // teasers and lists of other posts.
      if (slot < 0) slot = std::max(0, n.parent);
      i = n.end - 1;
    }
  }
  return all;
}

// The site's own names: og:site_name / publisher / the name found for the page.
std::vector<std::string> site_keys(const CreditEvidence& ev) {
  std::vector<std::string> keys;
  auto add = [&](std::string_view v) {
    std::string k = lower_ascii(squash(v));
    if (!k.empty()) keys.push_back(std::move(k));
  };
  add(ev.site);
  for (auto name : rules::meta_site_names()) add(ev.md.get(name));
  for (const auto& j : ev.md.jsonld) add(j.publisher);
  return keys;
}

std::vector<Contributor> declared_people(const CreditEvidence& ev, std::string& rule) {
  std::vector<Contributor> out;
  const std::string site = std::string(ev.site);
  const std::vector<std::string> sites = site_keys(ev);
  auto take = [&](std::string_view value) {
    for (auto& n : declared_author_names(value, site)) {
      const std::string k = lower_ascii(squash(n));
      if (std::find(sites.begin(), sites.end(), k) == sites.end())
        add_people(out, {{n, Role::author}});
    }
  };
  for (const auto& j : ev.md.jsonld) {
    if (j.authors.empty()) continue;
    for (const auto& w : j.authors)
      if (w.type.find("Organization") == std::string::npos) take(w.name);
    rule = "jsonld:author";
    break;
  }
  if (out.empty()) {
    for (auto name : rules::meta_author_names()) {
      const std::string v = ev.md.get(name);
      if (v.empty() || v.find("://") != std::string::npos) continue;
      take(v);
      if (!out.empty()) {
        rule = "meta:" + std::string(name);
        break;
      }
    }
  }
  // Scholarly metadata: one meta element per author, "First Last" or "Last, First".
  for (auto name : rules::meta_each_author_names()) {
    if (!out.empty()) break;
    for (const auto& [k, v] : ev.md.meta) {
      if (k != name || v.empty() || v.find("://") != std::string::npos) continue;
      const size_t comma = v.find(',');
      if (comma != std::string::npos && v.find(',', comma + 1) == std::string::npos)
        take(trim(v.substr(comma + 1)) + " " + trim(v.substr(0, comma)));
      else
        take(v);
    }
    if (!out.empty()) rule = "meta:" + std::string(name);
  }
  return out;
}

void explain(std::vector<Candidate>* trace, std::string_view rule,
             const std::vector<Contributor>& people, bool won, std::string_view why) {
  if (!trace) return;
  for (const auto& p : people)
    trace->push_back({"contributors", std::string(rule),
                      p.name + " (" + std::string(role_name(p.role)) + ")", 0,
                      won ? "won" : "lost: " + std::string(why)});
}

// "PhD", "MD", "RN", "Ph.D.", "CFP®": a qualification after a name, not a person.
bool credential(std::string_view part) {
  std::string letters;
  for (char c : part)
    if (c != '.' && c != ' ') letters += c;
  if (letters.size() > 6) return false;
  for (auto c : rules::name_credentials())
    if (lower_ascii(letters) == c) return true;
  return letters.size() >= 2 && letters.size() <= 5 &&
         std::all_of(letters.begin(), letters.end(),
                     [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
}

bool placeholder(std::string_view lower) {
  for (auto w : rules::author_placeholders())
    if (lower == w) return true;
  return false;
}

}  // namespace

void add_people(std::vector<Contributor>& all, const std::vector<Contributor>& more) {
  for (const auto& p : more) {
    bool dup = false;
    for (const auto& q : all)
      if (q.name == p.name && q.role == p.role) dup = true;
    if (!dup) all.push_back(p);
  }
}

std::vector<std::string> declared_author_names(std::string_view value, std::string_view site) {
  std::vector<std::string> out;
  std::string v = fold(value);
  if (v.empty() || v.size() > 200 || v.find("://") != std::string::npos ||
      v.find('@') != std::string::npos || v.find("{{") != std::string::npos)
    return out;
  if (!site.empty() && lower_ascii(squash_folded(v)) == lower_ascii(squash(site))) return out;
  if (has_han(v)) {
    // "张三 李四", "张三、李四": each part must be a personal name (not 新华网, not 本网编辑).
    std::string part;
    auto flush = [&] {
      if (han_personal_name(part)) out.push_back(part);
      part.clear();
    };
    for (size_t i = 0; i < v.size();) {
      const size_t at = i;
      const char32_t c = decode_utf8(v, i);
      if (c == ' ' || c == ',' || c == U'、' || c == ';')
        flush();
      else
        part += v.substr(at, i - at);
    }
    flush();
    return out;
  }
  // A declared value is a name field, whole: no date or job title runs into it, so its parts
  // are kept as written ("EcoCult Staff", "Great Day Editorial Team"). A first name or handle
  // alone ("Susan", "aawoods"), a lower-case name ("kirstin boatto") and "Maria & Katerina"
  // count; a CMS account ("admin"), a user name ("andrew.keaveney"), a credential after the
  // name ("Grant Tinsley, PhD") and an outlet after the names ("…, The Daily Post") do not.
  std::string_view rest = v;
  const std::string lower_v = lower_ascii(v);
  for (auto prefix : rules::byline_prefixes())
    if (lower_v.starts_with(prefix)) {
      rest.remove_prefix(prefix.size());
      break;
    }
  for (const std::string& part : split_name_list(rest)) {
    const std::string lower = lower_ascii(part);
    if (part.size() < 3 || part.find_first_of("_/\\|:;@0123456789") != std::string::npos ||
        placeholder(lower) || credential(part) || (!out.empty() && part.starts_with("The ")))
      continue;
    const size_t words = static_cast<size_t>(std::count(part.begin(), part.end(), ' ')) + 1;
    if (words == 1 && part.find('.') != std::string::npos) continue;  // a user name
    const bool letters = std::all_of(part.begin(), part.end(), [](char c) {
      return std::isalpha(static_cast<unsigned char>(c)) || c == ' ' || c == '-' || c == '\'' ||
             c == '.' || static_cast<unsigned char>(c) >= 0x80;
    });
    if (letters && words <= 5) out.push_back(part);
  }
  return out;
}

CreditsResult find_credits(const CreditEvidence& ev, std::vector<Candidate>* trace) {
  CreditsResult r;
  std::vector<std::string> rules_used;
  // Visible credit lines: info region first, then the body's bylines, then the tail.
  const std::vector<Contributor> info = info_line_people(ev);
  std::vector<Contributor> visible = info;
  if (!info.empty()) rules_used.push_back("info-line");
  add_people(visible, ev.body_people);
  rules_used.insert(rules_used.end(), ev.body_rules.begin(), ev.body_rules.end());
  const std::vector<Contributor> tail = tail_people(ev);
  if (!tail.empty()) rules_used.push_back("tail-line");
  add_people(visible, tail);

  std::string declared_rule;
  std::vector<Contributor> declared = declared_people(ev, declared_rule);
  // Declared Han names are a CMS's account more often than the writer (an editor, the site):
  // they only fill in last, for a page that credits nobody visibly and shows the name.
  std::vector<Contributor> declared_han;
  for (auto it = declared.begin(); it != declared.end();)
    if (has_han(it->name)) {
      declared_han.push_back(*it);
      it = declared.erase(it);
    } else {
      ++it;
    }
  const bool han_writer = std::any_of(visible.begin(), visible.end(),
                                      [](auto& p) { return is_writer(p.role) && has_han(p.name); });
  std::vector<Contributor> all = visible;
  if (!han_writer && !declared.empty()) {
    // The declared authors are the writers; visible people keep their other roles.
    // A declared name the page credits visibly keeps the role the page gives it.
    std::vector<Contributor> writers;
    for (const auto& d : declared) {
      auto seen = std::find_if(visible.begin(), visible.end(),
                               [&](auto& p) { return p.name == d.name && is_writer(p.role); });
      writers.push_back(seen == visible.end() ? d : *seen);
    }
    std::erase_if(all, [](auto& p) { return is_writer(p.role); });
    add_people(writers, all);
    all = std::move(writers);
    rules_used.push_back(declared_rule);
    explain(trace, "visible", visible, false, "declared authors name the writers");
    explain(trace, declared_rule, declared, true, "");
  } else {
    explain(trace, "visible", visible, true, "");
    explain(trace, declared_rule, declared, false, "a Han name is credited on the page");
  }
  if (!has_writer(all)) {
    bool rel = false;
    const std::vector<Contributor> elements = author_element_people(ev, rel);
    if (!elements.empty()) rules_used.push_back(rel ? "rel-author" : "author-element");
    add_people(all, elements);
    explain(trace, rel ? "rel-author" : "author-element", elements, true, "");
  }
  if (!has_writer(all)) {
    const std::vector<Contributor> by = tail_english_byline(ev);
    if (!by.empty()) rules_used.push_back("tail-byline");
    add_people(all, by);
    explain(trace, "tail-byline", by, true, "");
  }
  if (!has_writer(all)) {
    const std::vector<Contributor> box = tail_author_box(ev);
    if (!box.empty()) rules_used.push_back("tail-author-box");
    add_people(all, box);
    explain(trace, "tail-author-box", box, true, "");
  }
  const bool shown = std::all_of(declared_han.begin(), declared_han.end(), [&](auto& p) {
    return std::any_of(ev.lines.begin(), ev.lines.end(),
                       [&](const Line& l) { return l.text.find(p.name) != std::string::npos; });
  });
  if (all.empty() && !declared_han.empty() && shown) {
    add_people(all, declared_han);
    rules_used.push_back(declared_rule);
    explain(trace, declared_rule, declared_han, true, "");
  } else {
    explain(trace, declared_rule, declared_han, false,
            all.empty() ? "not shown on the page" : "the page credits people visibly");
  }
  r.contributors = std::move(all);
  for (const auto& p : r.contributors)
    if (is_writer(p.role) &&
        std::find(r.reporters.begin(), r.reporters.end(), p.name) == r.reporters.end())
      r.reporters.push_back(p.name);
  if (!r.contributors.empty())
    for (const auto& x : rules_used)
      if (r.rule.find(x) == std::string::npos) r.rule += (r.rule.empty() ? "" : ",") + x;
  return r;
}

}  // namespace nh::extract
