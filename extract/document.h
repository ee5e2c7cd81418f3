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
#pragma once

#include <gumbo.h>

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

enum class NodeType : uint8_t { element, text, whitespace, other };

struct Node {
  const GumboNode* g = nullptr;
  int parent = -1;
  int end = 0;  // one past the last node of this subtree
  int depth = 0;
  GumboTag tag = GUMBO_TAG_UNKNOWN;
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
  // Lower-cased "class id" of element i (cached).
  const std::string& class_id(int i) const { return class_id_[static_cast<size_t>(i)]; }
  // Raw text of the subtree (skipped nodes excluded); blocks and <br> become '\n'. With
  // `source_breaks_as_spaces`, line breaks and tabs of the page source become spaces (a
  // headline is one line however its HTML is wrapped).
  std::string text(int i, bool source_breaks_as_spaces = false) const;
  // Index of the first element with this tag, or -1.
  int find_first(GumboTag tag) const;

 private:
  struct OutputDeleter {
    void operator()(GumboOutput* o) const;
  };
  std::string html_;
  std::unique_ptr<GumboOutput, OutputDeleter> output_;
  std::vector<Node> nodes_;
  std::vector<std::string> class_id_;
  bool truncated_ = false;
  PrePass prepass_;
  void flatten();
};

bool is_block_tag(GumboTag t);

}  // namespace nh::extract
