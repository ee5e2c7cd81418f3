// Document: owns the UTF-8 buffer and the Gumbo tree built over it (Gumbo's nodes point into
// the buffer, so one object owns both), plus a flat pre-order table of the nodes that every
// later pass walks iteratively — no recursion anywhere, so a page nested 100k deep cannot
// overflow the stack.
//
// Limits that keep parse() total and its work bounded (issue 13: any page <= 8 MiB extracts in
// well under a second): input over kMaxHtmlBytes is cut there; a linear pre-pass before Gumbo
// flattens element nesting deeper than kMaxDepth, drops attributes after the first
// kMaxAttributesPerElement of a tag, cuts <title> content after kMaxTitleBytes, and cuts the
// document before its kMaxElements+1-th start tag. All only hit pathological input.
//
// Gumbo stays inside document.cpp: the rest of extract/ sees nodes through Node (a project Tag,
// type, flags, statistics, text) and Document's accessors (attr, own_text, text, tag_name).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nh::extract {

inline constexpr size_t kMaxHtmlBytes = 8u << 20;
inline constexpr int kMaxDepth = 400;
// 64: real elements carry a handful (the most on the project's fixtures and corpora is under
// 20: class, id, style, data-*, on* handlers); Gumbo's attribute insertion is quadratic.
inline constexpr size_t kMaxAttributesPerElement = 64;
// 100,000 start tags: large portal pages have 5-30k elements; 1M "<p>a</p>" (8 MB) cost 14 s
// and 656 MB in Gumbo. The document is cut before the tag over the cap.
inline constexpr size_t kMaxElements = 100'000;

// <title> content kept by the pre-pass: 16 KiB, ~30 times the longest real title; a 10 MB
// <title> used to cost seconds in the title rules.
inline constexpr size_t kMaxTitleBytes = 16 * 1024;

// What the pre-pass changed (all false for ordinary pages).
struct PrePass {
  bool depth_limited = false;
  bool attributes_cut = false;
  bool elements_cut = false;
  bool title_cut = false;
};

// An element's tag. The values are Gumbo's (document.cpp checks each one at compile time), so
// a tag extract/ never names still has its own value: compare with the enumerators, print with
// tag_name(). `unknown` is any tag outside the HTML5 list (custom elements).
enum class Tag : uint16_t {
  html = 0,
  head = 1,
  title = 2,
  base = 3,
  link = 4,
  meta = 5,
  style = 6,
  script = 7,
  noscript = 8,
  template_ = 9,
  body = 10,
  article = 11,
  section = 12,
  nav = 13,
  aside = 14,
  h1 = 15,
  h2 = 16,
  h3 = 17,
  h4 = 18,
  h5 = 19,
  h6 = 20,
  hgroup = 21,
  header = 22,
  footer = 23,
  address = 24,
  p = 25,
  hr = 26,
  pre = 27,
  blockquote = 28,
  ol = 29,
  ul = 30,
  li = 31,
  dl = 32,
  dt = 33,
  dd = 34,
  figure = 35,
  figcaption = 36,
  main = 37,
  div = 38,
  a = 39,
  strong = 41,
  time = 49,
  b = 57,
  ruby = 60,
  rt = 61,
  rp = 62,
  br = 66,
  img = 71,
  iframe = 72,
  embed = 73,
  object = 74,
  video = 76,
  audio = 77,
  canvas = 80,
  map = 81,
  math = 83,
  svg = 92,
  table = 95,
  caption = 96,
  tbody = 99,
  thead = 100,
  tfoot = 101,
  tr = 102,
  td = 103,
  th = 104,
  form = 105,
  fieldset = 106,
  input = 109,
  button = 110,
  select = 111,
  datalist = 112,
  option = 114,
  textarea = 115,
  details = 120,
  summary = 121,
  menu = 122,
  applet = 124,
  dir = 127,
  frameset = 129,
  noframes = 130,
  listing = 132,
  xmp = 133,
  center = 142,
  font = 143,
  unknown = 150,
};

// The normalised (lower-case) name of a tag as Gumbo gives it, e.g. "h1".
const char* tag_name(Tag t);

enum class NodeType : uint8_t { element, text, whitespace, other };

struct Node {
  int parent = -1;
  int end = 0;  // one past the last node of this subtree
  int depth = 0;
  Tag tag = Tag::unknown;
  NodeType type = NodeType::other;
  bool skip = false;      // never text: script, style, template, hidden (display:none) ...
  bool block = false;     // a block-level tag
  bool blockish = false;  // block, or an inline element with a block inside
  // Subtree statistics over non-skipped text (code points, white space excluded).
  int text = 0;
  int link = 0;   // inside <a href>
  int punct = 0;  // sentence punctuation (， 。 、 ; , . ...)
  int cjk = 0;
  std::string_view data;  // text nodes: the text
};

class Document {
 public:
  // Never throws on bad input: any bytes give a (possibly empty) tree.
  explicit Document(std::string utf8);
  Document(Document&&) noexcept = default;
  Document& operator=(Document&&) noexcept = default;
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  const std::vector<Node>& nodes() const { return nodes_; }
  const Node& node(int i) const { return nodes_[static_cast<size_t>(i)]; }
  int size() const { return static_cast<int>(nodes_.size()); }
  bool truncated() const { return truncated_; }
  bool depth_limited() const { return prepass_.depth_limited; }
  const PrePass& prepass() const { return prepass_; }

  // Attribute value of element i, "" when absent.
  std::string_view attr(int i, const char* name) const;
  // Number of attributes element i kept (0 for other nodes).
  size_t attribute_count(int i) const;
  // Text of element i's own text children (text, white space and CDATA, skipped or not,
  // nested elements left out): a <title>'s or <script>'s content. "" for other nodes.
  std::string own_text(int i) const;
  // Lower-cased "class id" of element i (cached).
  const std::string& class_id(int i) const { return class_id_[static_cast<size_t>(i)]; }
  // Raw text of the subtree (skipped nodes excluded); blocks and <br> become '\n'. With
  // `source_breaks_as_spaces`, line breaks and tabs of the page source become spaces (a
  // headline is one line however its HTML is wrapped).
  std::string text(int i, bool source_breaks_as_spaces = false) const;
  // Index of the first element with this tag, or -1.
  int find_first(Tag tag) const;

 private:
  // The Gumbo output and each node's Gumbo node, by node index (defined in document.cpp).
  struct Tree;
  struct TreeDeleter {
    void operator()(Tree* t) const;
  };
  std::string html_;
  std::unique_ptr<Tree, TreeDeleter> tree_;
  std::vector<Node> nodes_;
  std::vector<std::string> class_id_;
  bool truncated_ = false;
  PrePass prepass_;
  void flatten();
};

bool is_block_tag(Tag t);

}  // namespace nh::extract
