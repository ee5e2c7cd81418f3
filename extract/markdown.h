// The body's structure (headings, paragraphs, list items, table rows, captions, quotes) for
// Markdown and plain-text output of `extract` / `fetch`.
//
// Works beside parse(), not inside it: the Page's body (its lines, exactly as parse() kept them)
// is matched, in order, against the visual lines of the same bytes (decoded with the charset
// parse() chose), and each matched line takes its role from the elements around it. A body line
// that no element shows as such (a lead taken from the description) stays a paragraph. So the
// text is always exactly the record's `body`; only the layout is added.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "extract/extract.h"
#include "extract/page.h"

namespace nh::extract {

struct BodyBlock {
  enum class Kind { paragraph, heading, item, row, caption, quote, code };
  Kind kind = Kind::paragraph;
  std::vector<std::string> cells;  // one for every kind but row (a table row's cells)
  int level = 0;                   // heading: 1..6; item: list nesting (0 = outermost)
  bool ordered = false;            // item: in an <ol>
  int number = 0;                  // item in an <ol>: its 1-based position
  int group = -1;                  // row: the table's node; item: the outermost list's node
  bool header = false;             // row: made of <th> cells
};

// The blocks of page.article.body in order; empty when the page has no body.
std::vector<BodyBlock> body_blocks(std::string_view bytes, const ParseOptions& options,
                                   const Page& page);

// GitHub-flavoured Markdown of the blocks (pipe tables; headings at level 2 or deeper, the
// article's title being the document's level 1), paragraphs separated by a blank line.
std::string render_markdown(const std::vector<BodyBlock>& blocks);
// Plain text of the blocks: paragraphs separated by a blank line, list items as "- " / "1. ",
// table cells separated by a tab, headings and captions as their text.
std::string render_text(const std::vector<BodyBlock>& blocks);

}  // namespace nh::extract
