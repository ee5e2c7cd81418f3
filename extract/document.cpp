#include "extract/document.h"

#include <gumbo.h>

#include <algorithm>
#include <cstring>

#include "extract/normalize.h"
#include "extract/rules.h"

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

bool skip_tag(Tag t) {
  switch (t) {
    case Tag::script:
    case Tag::style:
    case Tag::noscript:
    case Tag::template_:
    case Tag::iframe:
    case Tag::svg:
    case Tag::math:
    case Tag::canvas:
    case Tag::object:
    case Tag::embed:
    case Tag::select:
    case Tag::option:
    case Tag::button:
    case Tag::textarea:
    case Tag::input:
    case Tag::head:
    case Tag::title:
    case Tag::audio:
    case Tag::video:
    case Tag::map:
    case Tag::applet:
    case Tag::frameset:
    case Tag::datalist:
    case Tag::rt:  // ruby annotations (furigana, pinyin) are not text
    case Tag::rp:
      return true;
    default:
      return false;
  }
}

// Utility classes that hide an element in every stylesheet that uses them: SEO headings and
// screen-reader text ("<h1 class=none>站点名</h1>", "dn" is Chinese CSS shorthand).
bool hidden_class(std::string_view cls) {
  size_t i = 0;
  while (i < cls.size()) {
    while (i < cls.size() && cls[i] == ' ') ++i;
    size_t j = i;
    while (j < cls.size() && cls[j] != ' ') ++j;
    const std::string tok = lower_ascii(cls.substr(i, j - i));
    for (auto h : rules::hidden_class_tokens())
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

bool is_block_tag(Tag t) {
  switch (t) {
    case Tag::address:
    case Tag::article:
    case Tag::aside:
    case Tag::blockquote:
    case Tag::center:
    case Tag::dd:
    case Tag::details:
    case Tag::dir:
    case Tag::div:
    case Tag::dl:
    case Tag::dt:
    case Tag::fieldset:
    case Tag::figcaption:
    case Tag::figure:
    case Tag::footer:
    case Tag::form:
    case Tag::h1:
    case Tag::h2:
    case Tag::h3:
    case Tag::h4:
    case Tag::h5:
    case Tag::h6:
    case Tag::header:
    case Tag::hgroup:
    case Tag::hr:
    case Tag::li:
    case Tag::main:
    case Tag::menu:
    case Tag::nav:
    case Tag::ol:
    case Tag::p:
    case Tag::pre:
    case Tag::section:
    case Tag::table:
    case Tag::tbody:
    case Tag::thead:
    case Tag::tfoot:
    case Tag::tr:
    case Tag::td:
    case Tag::th:
    case Tag::ul:
    case Tag::caption:
    case Tag::summary:
    case Tag::body:
    case Tag::html:
    case Tag::listing:
    case Tag::xmp:
    case Tag::noframes:
      return true;
    default:
      return false;
  }
}

// Tag's values are Gumbo's: a node's tag is a cast, and tag_name() is Gumbo's.
static_assert(static_cast<int>(Tag::html) == GUMBO_TAG_HTML);
static_assert(static_cast<int>(Tag::head) == GUMBO_TAG_HEAD);
static_assert(static_cast<int>(Tag::title) == GUMBO_TAG_TITLE);
static_assert(static_cast<int>(Tag::base) == GUMBO_TAG_BASE);
static_assert(static_cast<int>(Tag::link) == GUMBO_TAG_LINK);
static_assert(static_cast<int>(Tag::meta) == GUMBO_TAG_META);
static_assert(static_cast<int>(Tag::style) == GUMBO_TAG_STYLE);
static_assert(static_cast<int>(Tag::script) == GUMBO_TAG_SCRIPT);
static_assert(static_cast<int>(Tag::noscript) == GUMBO_TAG_NOSCRIPT);
static_assert(static_cast<int>(Tag::template_) == GUMBO_TAG_TEMPLATE);
static_assert(static_cast<int>(Tag::body) == GUMBO_TAG_BODY);
static_assert(static_cast<int>(Tag::article) == GUMBO_TAG_ARTICLE);
static_assert(static_cast<int>(Tag::section) == GUMBO_TAG_SECTION);
static_assert(static_cast<int>(Tag::nav) == GUMBO_TAG_NAV);
static_assert(static_cast<int>(Tag::aside) == GUMBO_TAG_ASIDE);
static_assert(static_cast<int>(Tag::h1) == GUMBO_TAG_H1);
static_assert(static_cast<int>(Tag::h2) == GUMBO_TAG_H2);
static_assert(static_cast<int>(Tag::h3) == GUMBO_TAG_H3);
static_assert(static_cast<int>(Tag::h4) == GUMBO_TAG_H4);
static_assert(static_cast<int>(Tag::h5) == GUMBO_TAG_H5);
static_assert(static_cast<int>(Tag::h6) == GUMBO_TAG_H6);
static_assert(static_cast<int>(Tag::hgroup) == GUMBO_TAG_HGROUP);
static_assert(static_cast<int>(Tag::header) == GUMBO_TAG_HEADER);
static_assert(static_cast<int>(Tag::footer) == GUMBO_TAG_FOOTER);
static_assert(static_cast<int>(Tag::address) == GUMBO_TAG_ADDRESS);
static_assert(static_cast<int>(Tag::p) == GUMBO_TAG_P);
static_assert(static_cast<int>(Tag::hr) == GUMBO_TAG_HR);
static_assert(static_cast<int>(Tag::pre) == GUMBO_TAG_PRE);
static_assert(static_cast<int>(Tag::blockquote) == GUMBO_TAG_BLOCKQUOTE);
static_assert(static_cast<int>(Tag::ol) == GUMBO_TAG_OL);
static_assert(static_cast<int>(Tag::ul) == GUMBO_TAG_UL);
static_assert(static_cast<int>(Tag::li) == GUMBO_TAG_LI);
static_assert(static_cast<int>(Tag::dl) == GUMBO_TAG_DL);
static_assert(static_cast<int>(Tag::dt) == GUMBO_TAG_DT);
static_assert(static_cast<int>(Tag::dd) == GUMBO_TAG_DD);
static_assert(static_cast<int>(Tag::figure) == GUMBO_TAG_FIGURE);
static_assert(static_cast<int>(Tag::figcaption) == GUMBO_TAG_FIGCAPTION);
static_assert(static_cast<int>(Tag::main) == GUMBO_TAG_MAIN);
static_assert(static_cast<int>(Tag::div) == GUMBO_TAG_DIV);
static_assert(static_cast<int>(Tag::a) == GUMBO_TAG_A);
static_assert(static_cast<int>(Tag::strong) == GUMBO_TAG_STRONG);
static_assert(static_cast<int>(Tag::time) == GUMBO_TAG_TIME);
static_assert(static_cast<int>(Tag::b) == GUMBO_TAG_B);
static_assert(static_cast<int>(Tag::ruby) == GUMBO_TAG_RUBY);
static_assert(static_cast<int>(Tag::rt) == GUMBO_TAG_RT);
static_assert(static_cast<int>(Tag::rp) == GUMBO_TAG_RP);
static_assert(static_cast<int>(Tag::br) == GUMBO_TAG_BR);
static_assert(static_cast<int>(Tag::img) == GUMBO_TAG_IMG);
static_assert(static_cast<int>(Tag::iframe) == GUMBO_TAG_IFRAME);
static_assert(static_cast<int>(Tag::embed) == GUMBO_TAG_EMBED);
static_assert(static_cast<int>(Tag::object) == GUMBO_TAG_OBJECT);
static_assert(static_cast<int>(Tag::video) == GUMBO_TAG_VIDEO);
static_assert(static_cast<int>(Tag::audio) == GUMBO_TAG_AUDIO);
static_assert(static_cast<int>(Tag::canvas) == GUMBO_TAG_CANVAS);
static_assert(static_cast<int>(Tag::map) == GUMBO_TAG_MAP);
static_assert(static_cast<int>(Tag::math) == GUMBO_TAG_MATH);
static_assert(static_cast<int>(Tag::svg) == GUMBO_TAG_SVG);
static_assert(static_cast<int>(Tag::table) == GUMBO_TAG_TABLE);
static_assert(static_cast<int>(Tag::caption) == GUMBO_TAG_CAPTION);
static_assert(static_cast<int>(Tag::tbody) == GUMBO_TAG_TBODY);
static_assert(static_cast<int>(Tag::thead) == GUMBO_TAG_THEAD);
static_assert(static_cast<int>(Tag::tfoot) == GUMBO_TAG_TFOOT);
static_assert(static_cast<int>(Tag::tr) == GUMBO_TAG_TR);
static_assert(static_cast<int>(Tag::td) == GUMBO_TAG_TD);
static_assert(static_cast<int>(Tag::th) == GUMBO_TAG_TH);
static_assert(static_cast<int>(Tag::form) == GUMBO_TAG_FORM);
static_assert(static_cast<int>(Tag::fieldset) == GUMBO_TAG_FIELDSET);
static_assert(static_cast<int>(Tag::input) == GUMBO_TAG_INPUT);
static_assert(static_cast<int>(Tag::button) == GUMBO_TAG_BUTTON);
static_assert(static_cast<int>(Tag::select) == GUMBO_TAG_SELECT);
static_assert(static_cast<int>(Tag::datalist) == GUMBO_TAG_DATALIST);
static_assert(static_cast<int>(Tag::option) == GUMBO_TAG_OPTION);
static_assert(static_cast<int>(Tag::textarea) == GUMBO_TAG_TEXTAREA);
static_assert(static_cast<int>(Tag::details) == GUMBO_TAG_DETAILS);
static_assert(static_cast<int>(Tag::summary) == GUMBO_TAG_SUMMARY);
static_assert(static_cast<int>(Tag::menu) == GUMBO_TAG_MENU);
static_assert(static_cast<int>(Tag::applet) == GUMBO_TAG_APPLET);
static_assert(static_cast<int>(Tag::dir) == GUMBO_TAG_DIR);
static_assert(static_cast<int>(Tag::frameset) == GUMBO_TAG_FRAMESET);
static_assert(static_cast<int>(Tag::noframes) == GUMBO_TAG_NOFRAMES);
static_assert(static_cast<int>(Tag::listing) == GUMBO_TAG_LISTING);
static_assert(static_cast<int>(Tag::xmp) == GUMBO_TAG_XMP);
static_assert(static_cast<int>(Tag::center) == GUMBO_TAG_CENTER);
static_assert(static_cast<int>(Tag::font) == GUMBO_TAG_FONT);
static_assert(static_cast<int>(Tag::unknown) == GUMBO_TAG_UNKNOWN);

const char* tag_name(Tag t) { return gumbo_normalized_tagname(static_cast<GumboTag>(t)); }

struct Document::Tree {
  GumboOutput* output = nullptr;
  std::vector<const GumboNode*> g;  // by node index
  Tree() = default;
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;
  ~Tree() {
    if (output) gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};

void Document::TreeDeleter::operator()(Tree* t) const { delete t; }

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
  tree_.reset(new Tree);
  tree_->output = gumbo_parse_with_options(&options, html_.data(), html_.size());
  flatten();
}

void Document::flatten() {
  if (!tree_->output || !tree_->output->root) return;
  nodes_.reserve(html_.size() / 24 + 16);
  std::vector<const GumboNode*>& gnodes = tree_->g;
  gnodes.reserve(nodes_.capacity());
  // Iterative pre-order walk: (gumbo node, parent index, depth).
  struct Item {
    const GumboNode* g;
    int parent;
    int depth;
    bool skip;
  };
  std::vector<Item> stack{{tree_->output->root, -1, 0, false}};
  while (!stack.empty()) {
    Item it = stack.back();
    stack.pop_back();
    Node n;
    n.parent = it.parent;
    n.depth = it.depth;
    n.skip = it.skip;
    switch (it.g->type) {
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: {
        n.type = NodeType::element;
        n.tag = static_cast<Tag>(it.g->v.element.tag);
        n.block = is_block_tag(n.tag);
        const GumboElement& el = it.g->v.element;
        if (skip_tag(n.tag) || it.g->type == GUMBO_NODE_TEMPLATE) n.skip = true;
        // A wrapper holding most of the page that a script reveals (`<div class="root hide">`
        // behind a preloader) is the page, not chrome hidden from readers.
        if (!n.skip && !wraps_most_of_page(el, html_.size())) {
          const GumboAttribute* st = gumbo_get_attribute(&el.attributes, "style");
          if (st && hidden_style(st->value)) n.skip = true;
          if (gumbo_get_attribute(&el.attributes, "hidden") && n.tag != Tag::body &&
              n.tag != Tag::html && !streamed_boundary(el))
            n.skip = true;
          const GumboAttribute* cl = gumbo_get_attribute(&el.attributes, "class");
          if (cl && n.tag != Tag::body && n.tag != Tag::html && hidden_class(cl->value))
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
    gnodes.push_back(it.g);
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
      const GumboVector& a = gnodes[static_cast<size_t>(i)]->v.element.attributes;
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
    if (n.type == NodeType::element && n.tag == Tag::a &&
        gumbo_get_attribute(&gnodes[static_cast<size_t>(i)]->v.element.attributes, "href"))
      n.link = n.text;
    if (n.parent < 0 || n.skip) continue;
    Node& p = nodes_[static_cast<size_t>(n.parent)];
    if (p.tag != Tag::a) p.link += n.link;
  }
}

std::string_view Document::attr(int i, const char* name) const {
  const Node& n = node(i);
  if (n.type != NodeType::element) return {};
  const GumboNode* g = tree_->g[static_cast<size_t>(i)];
  const GumboAttribute* a = gumbo_get_attribute(&g->v.element.attributes, name);
  return a ? std::string_view(a->value) : std::string_view();
}

size_t Document::attribute_count(int i) const {
  if (node(i).type != NodeType::element) return 0;
  return tree_->g[static_cast<size_t>(i)]->v.element.attributes.length;
}

std::string Document::own_text(int i) const {
  std::string out;
  if (node(i).type != NodeType::element) return out;
  const GumboNode* g = tree_->g[static_cast<size_t>(i)];
  if (g->type != GUMBO_NODE_ELEMENT) return out;
  const GumboVector& ch = g->v.element.children;
  for (unsigned k = 0; k < ch.length; ++k) {
    const auto* c = static_cast<const GumboNode*>(ch.data[k]);
    if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE ||
        c->type == GUMBO_NODE_CDATA)
      out += c->v.text.text;
  }
  return out;
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
      if (n.tag == Tag::br) out += '\n';
      if (n.block && k != i) {
        out += '\n';
        open_blocks.push_back(n.end);
      }
    }
  }
  return out;
}

int Document::find_first(Tag tag) const {
  for (int i = 0; i < size(); ++i)
    if (node(i).type == NodeType::element && node(i).tag == tag) return i;
  return -1;
}

}  // namespace nh::extract
