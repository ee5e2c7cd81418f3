// Main-content detection: the page as lines, and the subtrees that hold the article text.
//
// The scoring is Readability's paragraph-to-ancestor propagation, adapted for Chinese portals:
// a "paragraph" is any run of inline content (so <br>-separated text in a bare <div id=zoom>
// or <td> scores its own container), lengths are weighted so one Han character counts as ~2.5
// Latin ones, and punctuation density counts Chinese punctuation (，。、；).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "extract/document.h"
#include "extract/page.h"

namespace nh::extract {

// One visual line: the text between two block boundaries (or <br>), folded.
struct Line {
  int first = -1;      // first text node of the line
  int block = -1;      // nearest block ancestor of that node
  std::string text;    // fold()ed, never empty
  int chars = 0;       // code points, spaces excluded
  int link_chars = 0;  // of which inside <a href>
};

// Whether a line carries prose: 50+ characters with sentence punctuation, or 3+ marks.
bool is_prose(const Line& l);

// All non-empty lines of the document body, in document order.
std::vector<Line> linearize(const Document& doc);

// class/id token matching (see rules.cpp for the "x", "=x", "^x" forms).
bool class_matches(std::string_view class_id, std::span<const std::string_view> tokens);

struct ContentChoice {
  int top = -1;                // best candidate node, -1 when the page has no content at all
  std::vector<int> roots;      // top and the siblings merged with it, in document order
  std::vector<char> excluded;  // per node: inside a subtree dropped as chrome
  double score = 0;
  int text = 0;  // weighted text size of the chosen content
};

// title_node (-1 if unknown): the headline's element. The article text follows its headline,
// so candidates right after it are preferred over longer blocks elsewhere (side columns of
// other stories, recommendation feeds, several posts on one blog page).
ContentChoice choose_content(const Document& doc, int title_node, bool explain,
                             std::vector<Candidate>* trace);

// True when node lies inside one of the chosen roots and is not excluded.
bool in_content(const Document& doc, const ContentChoice& c, int node);

// Weighted text length: a Han character counts 1, anything else 0.4.
double weighted_chars(int text, int cjk);

}  // namespace nh::extract
