#include "extract/document.h"

#include <algorithm>
#include <cstring>

#include "extract/normalize.h"

namespace nh::extract {
namespace {

bool is_void_or_optional_close(std::string_view name) {
  static constexpr std::string_view kTags[] = {
      "area",  "base",   "br",       "col",    "embed", "hr",     "img",      "input",
      "link",  "meta",   "param",    "source", "track", "wbr",    "p",        "li",
      "td",    "th",     "tr",       "dt",     "dd",    "option", "optgroup", "thead",
      "tbody", "tfoot",  "colgroup", "rb",     "rt",    "rp",     "!doctype", "basefont",
      "frame", "keygen", "isindex",  "spacer", "nobr"};
  for (auto t : kTags)
    if (name == t) return true;
  return false;
}

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// End of the attribute list of a tag whose name ends at `from` and whose '>' is at `gt`, after
// `keep` attributes; npos when the tag has no more than `keep`. Linear in the tag: a quoted
// value is searched for its closing quote only up to `gt`.
size_t attributes_cut(std::string_view s, size_t from, size_t gt, size_t keep) {
  size_t count = 0, k = from;
  while (k < gt) {
    while (k < gt && (space(s[k]) || s[k] == '/')) ++k;
    if (k >= gt) break;
    if (count == keep) return k;
    const size_t name = k;
    while (k < gt && !space(s[k]) && s[k] != '=' && s[k] != '/') ++k;
    if (k == name) ++k;  // a stray '=': one character, so the loop always advances
    while (k < gt && space(s[k])) ++k;
    if (k < gt && s[k] == '=') {
      ++k;
      while (k < gt && space(s[k])) ++k;
      if (k < gt && (s[k] == '"' || s[k] == '\'')) {
        const void* q = std::memchr(s.data() + k + 1, s[k], gt - k - 1);
        k = q ? static_cast<size_t>(static_cast<const char*>(q) - s.data()) + 1 : gt;
      } else {
        while (k < gt && !space(s[k])) ++k;
      }
    }
    ++count;
  }
  return std::string_view::npos;
}

// The bounded pre-pass, one linear scan of the markup before Gumbo sees it (Gumbo's costs are
// superlinear in nesting depth and in attributes per element, and its tree costs ~300 bytes
// per node):
//   - start/end tags beyond max_depth of (approximate) nesting are dropped, so Gumbo never
//     builds a tree deep enough to make its O(depth) scope checks quadratic or its recursive
//     teardown overflow;
//   - attributes after the first kMaxAttributesPerElement of a tag are dropped (Gumbo checks
//     each new attribute against all earlier ones: 80k attributes took 105 s);
//   - <title> content after kMaxTitleBytes is dropped;
//   - the document is cut before the start tag that would exceed kMaxElements.
// Returns "" when the input is within every limit (the common case: nothing is copied).
std::string bound_markup(std::string_view s, int max_depth, PrePass& stats) {
  int depth = 0, excess = 0;
  size_t elements = 0;
  bool needed = false;
  std::string out;
  size_t copied = 0;
  auto drop = [&](size_t b, size_t e) {
    if (!needed) {
      needed = true;
      out.reserve(s.size());
    }
    out.append(s.substr(copied, b - copied));
    copied = e;
  };
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '<') {
      const void* p = std::memchr(s.data() + i, '<', s.size() - i);
      if (!p) break;
      i = static_cast<size_t>(static_cast<const char*>(p) - s.data());
      continue;
    }
    if (s.substr(i, 4) == "<!--") {
      size_t e = s.find("-->", i + 4);
      i = e == std::string_view::npos ? s.size() : e + 3;
      continue;
    }
    size_t j = i + 1;
    const bool closing = j < s.size() && s[j] == '/';
    if (closing) ++j;
    size_t n0 = j;
    while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '!')) ++j;
    if (j == n0) {
      ++i;
      continue;
    }
    std::string name = lower_ascii(s.substr(n0, std::min<size_t>(j - n0, 16)));
    size_t e = s.find('>', j);
    if (e == std::string_view::npos) break;
    const size_t gt = e;
    const bool self_closing = e > 0 && s[e - 1] == '/';
    ++e;
    bool dropped = false;
    if (!closing && (name == "script" || name == "style" || name == "textarea" || name == "title" ||
                     name == "xmp" || name == "plaintext")) {
      if (++elements > kMaxElements) {
        drop(i, s.size());
        stats.elements_cut = true;
        break;
      }
      if (size_t cut = attributes_cut(s, j, gt, kMaxAttributesPerElement);
          cut != std::string_view::npos) {
        drop(cut, gt);
        stats.attributes_cut = true;
      }
      // Raw text: skip to the matching end tag.
      const std::string end_tag = "</" + name;
      size_t k = e;
      while (k < s.size()) {
        size_t lt = s.find("</", k);
        if (lt == std::string_view::npos) {
          k = s.size();
          break;
        }
        if (lower_ascii(s.substr(lt, end_tag.size())) == end_tag) {
          k = lt;
          break;
        }
        k = lt + 2;
      }
      // A <title> is one line of text: its content beyond kMaxTitleBytes (cut at a character
      // boundary) is dropped here, before every title rule reads (and folds) it.
      if (name == "title" && k - e > kMaxTitleBytes) {
        size_t cut = e + kMaxTitleBytes;
        while (cut > e && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
        drop(cut, k);
        stats.title_cut = true;
      }
      i = k;
      continue;
    }
    if (!closing && !is_void_or_optional_close(name) && !self_closing) {
      if (depth >= max_depth) {
        ++excess;
        drop(i, e);
        dropped = true;
        stats.depth_limited = true;
      } else {
        ++depth;
      }
    } else if (closing && !is_void_or_optional_close(name)) {
      if (excess > 0) {
        --excess;
        drop(i, e);
        dropped = true;
      } else if (depth > 0) {
        --depth;
      }
    }
    if (!closing && !dropped && ++elements > kMaxElements) {
      drop(i, s.size());  // everything from this tag on
      stats.elements_cut = true;
      break;
    }
    if (!closing && !dropped) {
      if (size_t cut = attributes_cut(s, j, gt, kMaxAttributesPerElement);
          cut != std::string_view::npos) {
        drop(cut, gt);
        stats.attributes_cut = true;
      }
    }
    i = e;
  }
  if (!needed) return {};
  out.append(s.substr(copied));
  return out;
}

bool skip_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_RT:  // ruby annotations (furigana, pinyin) are not text
    case GUMBO_TAG_RP:
      return true;
    default:
      return false;
  }
}

// Utility classes that hide an element in every stylesheet that uses them: SEO headings and
// screen-reader text ("<h1 class=none>站点名</h1>", "dn" is Chinese CSS shorthand).
bool hidden_class(std::string_view cls) {
  static constexpr std::string_view kHidden[] = {"none",
                                                 "hide",
                                                 "hidden",
                                                 "dn",
                                                 "sr-only",
                                                 "visually-hidden",
                                                 "screen-reader-text",
                                                 "invisible",
                                                 "d-none",
                                                 "visuallyhidden",
                                                 "element-invisible",
                                                 "screenreader-text",
                                                 "aural"};
  size_t i = 0;
  while (i < cls.size()) {
    while (i < cls.size() && cls[i] == ' ') ++i;
    size_t j = i;
    while (j < cls.size() && cls[j] != ' ') ++j;
    const std::string tok = lower_ascii(cls.substr(i, j - i));
    for (auto h : kHidden)
      if (tok == h) return true;
    i = j;
  }
  return false;
}

// Whether an element's source spans more than kRevealedWrapperShare of the page's bytes.
constexpr double kRevealedWrapperShare = 0.5;
bool wraps_most_of_page(const GumboElement& el, size_t page_bytes) {
  if (el.end_pos.offset <= el.start_pos.offset || page_bytes == 0) return false;
  return double(el.end_pos.offset - el.start_pos.offset) >
         kRevealedWrapperShare * double(page_bytes);
}

// React's streamed server rendering sends each Suspense boundary's content late, as
// `<div hidden id="S:3">…</div>`, and a script moves it into its place: it is shown.
bool streamed_boundary(const GumboElement& el) {
  const GumboAttribute* id = gumbo_get_attribute(&el.attributes, "id");
  if (!id) return false;
  std::string_view v = id->value;
  if (v.size() < 3 || v[0] != 'S' || v[1] != ':') return false;
  return std::all_of(v.begin() + 2, v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool hidden_style(std::string_view style) {
  if (style.empty()) return false;
  std::string s = lower_ascii(style);
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  // visibility:hidden is NOT hidden here: WeChat-style pages reveal the article by script.
  return s.find("display:none") != std::string::npos;
}

}  // namespace

bool is_block_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_NOFRAMES:
      return true;
    default:
      return false;
  }
}

void Document::OutputDeleter::operator()(GumboOutput* o) const {
  if (o) gumbo_destroy_output(&kGumboDefaultOptions, o);
}

Document::Document(std::string utf8) : html_(std::move(utf8)) {
  if (html_.size() > kMaxHtmlBytes) {
    // Cut at a character boundary.
    size_t cut = kMaxHtmlBytes;
    while (cut > 0 && (static_cast<unsigned char>(html_[cut]) & 0xC0) == 0x80) --cut;
    html_.resize(cut);
    truncated_ = true;
  }
  std::string limited = bound_markup(html_, kMaxDepth, prepass_);
  if (!limited.empty()) html_ = std::move(limited);
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // we never read parse errors; recording them costs time
  output_.reset(gumbo_parse_with_options(&options, html_.data(), html_.size()));
  flatten();
}

void Document::flatten() {
  if (!output_ || !output_->root) return;
  nodes_.reserve(html_.size() / 24 + 16);
  // Iterative pre-order walk: (gumbo node, parent index, depth).
  struct Item {
    const GumboNode* g;
    int parent;
    int depth;
    bool skip;
  };
  std::vector<Item> stack{{output_->root, -1, 0, false}};
  while (!stack.empty()) {
    Item it = stack.back();
    stack.pop_back();
    Node n;
    n.g = it.g;
    n.parent = it.parent;
    n.depth = it.depth;
    n.skip = it.skip;
    switch (it.g->type) {
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: {
        n.type = NodeType::element;
        n.tag = it.g->v.element.tag;
        n.block = is_block_tag(n.tag);
        const GumboElement& el = it.g->v.element;
        if (skip_tag(n.tag) || it.g->type == GUMBO_NODE_TEMPLATE) n.skip = true;
        // A wrapper holding most of the page that a script reveals (`<div class="root hide">`
        // behind a preloader) is the page, not chrome hidden from readers.
        if (!n.skip && !wraps_most_of_page(el, html_.size())) {
          const GumboAttribute* st = gumbo_get_attribute(&el.attributes, "style");
          if (st && hidden_style(st->value)) n.skip = true;
          if (gumbo_get_attribute(&el.attributes, "hidden") && n.tag != GUMBO_TAG_BODY &&
              n.tag != GUMBO_TAG_HTML && !streamed_boundary(el))
            n.skip = true;
          const GumboAttribute* cl = gumbo_get_attribute(&el.attributes, "class");
          if (cl && n.tag != GUMBO_TAG_BODY && n.tag != GUMBO_TAG_HTML && hidden_class(cl->value))
            n.skip = true;
        }
        break;
      }
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
        n.type = NodeType::text;
        n.data = it.g->v.text.text;
        break;
      case GUMBO_NODE_WHITESPACE:
        n.type = NodeType::whitespace;
        n.data = it.g->v.text.text;
        break;
      default:
        n.type = NodeType::other;
        break;
    }
    const int index = static_cast<int>(nodes_.size());
    nodes_.push_back(n);
    if (n.type == NodeType::element) {
      const GumboVector& children = it.g->v.element.children;
      for (unsigned k = children.length; k-- > 0;) {
        stack.push_back({static_cast<const GumboNode*>(children.data[k]), index, it.depth + 1,
                         nodes_[static_cast<size_t>(index)].skip});
      }
    }
  }
  // Subtree ends and statistics, bottom-up (reverse pre-order visits children first).
  const int count = static_cast<int>(nodes_.size());
  for (int i = 0; i < count; ++i) nodes_[static_cast<size_t>(i)].end = i + 1;
  class_id_.assign(nodes_.size(), std::string());
  for (int i = count - 1; i >= 0; --i) {
    Node& n = nodes_[static_cast<size_t>(i)];
    if (n.type == NodeType::text && !n.skip) {
      for (size_t k = 0; k < n.data.size();) {
        const char32_t cp = decode_utf8(n.data, k);
        if (is_space(cp)) continue;
        ++n.text;
        if (is_cjk(cp))
          ++n.cjk;
        else if (is_sentence_punct(cp))
          ++n.punct;
      }
    }
    if (n.type == NodeType::element) {
      if (n.block) n.blockish = true;
      const GumboVector& a = n.g->v.element.attributes;
      const GumboAttribute* c = gumbo_get_attribute(&a, "class");
      const GumboAttribute* id = gumbo_get_attribute(&a, "id");
      if (c || id) {
        std::string s;
        if (c) s += c->value;
        s += ' ';
        if (id) s += id->value;
        class_id_[static_cast<size_t>(i)] = lower_ascii(s);
      }
    }
    if (n.parent >= 0) {
      Node& p = nodes_[static_cast<size_t>(n.parent)];
      p.end = std::max(p.end, n.end);
      if (!n.skip) {
        p.text += n.text;
        p.punct += n.punct;
        p.cjk += n.cjk;
        if (n.blockish) p.blockish = true;
      }
    }
  }
  // Links: an <a href> counts all its text as link text (nested markup included).
  for (int i = count - 1; i >= 0; --i) {
    Node& n = nodes_[static_cast<size_t>(i)];
    if (n.type == NodeType::element && n.tag == GUMBO_TAG_A &&
        gumbo_get_attribute(&n.g->v.element.attributes, "href"))
      n.link = n.text;
    if (n.parent < 0 || n.skip) continue;
    Node& p = nodes_[static_cast<size_t>(n.parent)];
    if (p.tag != GUMBO_TAG_A) p.link += n.link;
  }
}

std::string_view Document::attr(int i, const char* name) const {
  const Node& n = node(i);
  if (n.type != NodeType::element) return {};
  const GumboAttribute* a = gumbo_get_attribute(&n.g->v.element.attributes, name);
  return a ? std::string_view(a->value) : std::string_view();
}

std::string Document::text(int i, bool source_breaks_as_spaces) const {
  std::string out;
  const Node& root = node(i);
  std::vector<int> open_blocks;  // subtree ends of the blocks we are inside
  for (int k = i; k < root.end; ++k) {
    while (!open_blocks.empty() && open_blocks.back() <= k) {
      open_blocks.pop_back();
      out += '\n';
    }
    const Node& n = node(k);
    if (n.skip) {
      k = n.end - 1;
      continue;
    }
    if (n.type == NodeType::text || n.type == NodeType::whitespace) {
      if (source_breaks_as_spaces)
        for (char c : n.data) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
      else
        out.append(n.data);
    } else if (n.type == NodeType::element) {
      if (n.tag == GUMBO_TAG_BR) out += '\n';
      if (n.block && k != i) {
        out += '\n';
        open_blocks.push_back(n.end);
      }
    }
  }
  return out;
}

int Document::find_first(GumboTag tag) const {
  for (int i = 0; i < size(); ++i)
    if (node(i).type == NodeType::element && node(i).tag == tag) return i;
  return -1;
}

}  // namespace nh::extract
