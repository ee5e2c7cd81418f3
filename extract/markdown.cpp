#include "extract/markdown.h"

#include <algorithm>
#include <cstddef>

#include "extract/charset.h"
#include "extract/content.h"
#include "extract/document.h"

namespace nh::extract {
namespace {

// How far ahead of the last matched line a body line is looked for (bounds the work on pages
// with thousands of lines; a body line further away stays a plain paragraph).
constexpr size_t kLookahead = 4000;

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t nl = s.find('\n', start);
    out.push_back(s.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

bool is_list(Tag t) { return t == Tag::ul || t == Tag::ol; }

// 1-based position of `li` among the <li> children of `list`.
int item_number(const Document& doc, int list, int li) {
  int n = 0;
  for (int i = list + 1; i <= li; ++i)
    if (doc.node(i).parent == list && doc.node(i).tag == Tag::li) ++n;
  return n;
}

// Role of the line whose first text node is `text`: the innermost structural element around it.
struct LineRole {
  BodyBlock block;
  int cell = -1;  // row: the <td>/<th>
  int row = -1;   // row: the <tr>
};

LineRole role_of(const Document& doc, int text) {
  LineRole r;
  for (int p = doc.node(text).parent; p >= 0; p = doc.node(p).parent) {
    const Tag t = doc.node(p).tag;
    if (t == Tag::body || t == Tag::html) break;
    if (t >= Tag::h1 && t <= Tag::h6) {
      r.block.kind = BodyBlock::Kind::heading;
      r.block.level = 1 + static_cast<int>(t) - static_cast<int>(Tag::h1);
      return r;
    }
    if (t == Tag::li) {
      const int list = doc.node(p).parent;
      r.block.kind = BodyBlock::Kind::item;
      r.block.ordered = list >= 0 && doc.node(list).tag == Tag::ol;
      r.block.number = list >= 0 ? item_number(doc, list, p) : 1;
      int outer = list;
      for (int q = list >= 0 ? doc.node(list).parent : -1; q >= 0; q = doc.node(q).parent)
        if (is_list(doc.node(q).tag)) {
          ++r.block.level;
          outer = q;
        }
      r.block.group = outer;
      return r;
    }
    if (t == Tag::td || t == Tag::th) {
      r.block.kind = BodyBlock::Kind::row;
      r.cell = p;
      r.block.header = t == Tag::th;
      for (int q = doc.node(p).parent; q >= 0; q = doc.node(q).parent) {
        if (doc.node(q).tag == Tag::tr && r.row < 0) r.row = q;
        if (doc.node(q).tag == Tag::table) {
          r.block.group = q;
          break;
        }
      }
      return r;
    }
    if (t == Tag::figcaption || t == Tag::caption) {
      r.block.kind = BodyBlock::Kind::caption;
      return r;
    }
    if (t == Tag::blockquote) {
      r.block.kind = BodyBlock::Kind::quote;
      return r;
    }
    if (t == Tag::pre) {
      r.block.kind = BodyBlock::Kind::code;
      return r;
    }
  }
  return r;
}

// Index of `text` among lines[from, from + kLookahead), or -1.
int find_line(const std::vector<Line>& lines, size_t from, const std::string& text) {
  const size_t to = std::min(lines.size(), from + kLookahead);
  for (size_t i = from; i < to; ++i)
    if (lines[i].text == text) return static_cast<int>(i);
  return -1;
}

// Whether a line of text starts with something Markdown would read as syntax.
bool needs_escape(const std::string& s) {
  if (s.empty()) return false;
  const char c = s[0];
  if (c == '#' || c == '>' || c == '|' || c == '`' || c == '=') return true;
  if ((c == '-' || c == '*' || c == '+') && (s.size() == 1 || s[1] == ' ' || s[1] == c))
    return true;
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i > 0 && i < s.size() && (s[i] == '.' || s[i] == ')');
}

std::string escape_start(const std::string& s) {
  if (!needs_escape(s)) return s;
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return s.substr(0, i) + "\\" + s.substr(i);
}

std::string escape_cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string item_prefix(const BodyBlock& b, bool markdown) {
  std::string indent(static_cast<size_t>(b.level) * (markdown ? 3 : 2), ' ');
  return indent + (b.ordered ? std::to_string(b.number) + ". " : std::string("- "));
}

// The blocks that sit together without a blank line between them: items of one list, rows of
// one table.
bool same_group(const BodyBlock& a, const BodyBlock& b) {
  return a.kind == b.kind && a.group >= 0 && a.group == b.group &&
         (a.kind == BodyBlock::Kind::item || a.kind == BodyBlock::Kind::row);
}

std::string table_markdown(const std::vector<BodyBlock>& rows) {
  size_t cols = 1;
  for (const auto& r : rows) cols = std::max(cols, r.cells.size());
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (size_t i = 0; i < cols; ++i)
      out += " " + (i < cells.size() ? escape_cell(cells[i]) : std::string()) + " |";
    return out + "\n";
  };
  std::string out = line(rows.front().cells);
  out += "|";
  for (size_t i = 0; i < cols; ++i) out += " --- |";
  out += "\n";
  for (size_t i = 1; i < rows.size(); ++i) out += line(rows[i].cells);
  return out;
}

std::string block_markdown(const BodyBlock& b) {
  const std::string& text = b.cells.empty() ? std::string() : b.cells.front();
  switch (b.kind) {
    case BodyBlock::Kind::heading:
      return std::string(static_cast<size_t>(std::max(2, b.level)), '#') + " " + text + "\n";
    case BodyBlock::Kind::item:
      return item_prefix(b, true) + escape_start(text) + "\n";
    case BodyBlock::Kind::caption:
      return "*" + text + "*\n";
    case BodyBlock::Kind::quote:
      return "> " + text + "\n";
    case BodyBlock::Kind::code:
      return "```\n" + text + "\n```\n";
    default:
      return escape_start(text) + "\n";
  }
}

}  // namespace

std::vector<BodyBlock> body_blocks(std::string_view bytes, const ParseOptions& options,
                                   const Page& page) {
  std::vector<BodyBlock> out;
  if (!page.article.body || page.article.body->empty()) return out;
  const std::string charset = page.charset.empty() ? options.charset : page.charset;
  Decoded decoded = decode(bytes, options.content_type, charset);
  const Document doc(std::move(decoded.utf8));
  const std::vector<Line> lines = linearize(doc);
  size_t next = 0;
  int last_cell = -1, last_row = -1;
  for (const std::string& text : split_lines(*page.article.body)) {
    const int at = find_line(lines, next, text);
    LineRole r;
    if (at >= 0) {
      next = static_cast<size_t>(at) + 1;
      r = role_of(doc, lines[static_cast<size_t>(at)].first);
    }
    if (r.block.kind == BodyBlock::Kind::row && !out.empty() &&
        out.back().kind == BodyBlock::Kind::row && r.row == last_row) {
      if (r.cell == last_cell)
        out.back().cells.back() += " " + text;
      else
        out.back().cells.push_back(text);
      out.back().header = out.back().header && r.block.header;
    } else {
      r.block.cells.push_back(text);
      out.push_back(std::move(r.block));
    }
    last_cell = r.cell;
    last_row = r.row;
  }
  return out;
}

std::string render_markdown(const std::vector<BodyBlock>& blocks) {
  std::string out;
  for (size_t i = 0; i < blocks.size();) {
    if (!out.empty()) out += "\n";
    if (blocks[i].kind == BodyBlock::Kind::row) {
      std::vector<BodyBlock> rows{blocks[i]};
      while (++i < blocks.size() && same_group(rows.back(), blocks[i])) rows.push_back(blocks[i]);
      out += table_markdown(rows);
      continue;
    }
    out += block_markdown(blocks[i]);
    while (++i < blocks.size() && same_group(blocks[i - 1], blocks[i]))
      out += block_markdown(blocks[i]);
  }
  return out;
}

std::string render_text(const std::vector<BodyBlock>& blocks) {
  std::string out;
  for (size_t i = 0; i < blocks.size(); ++i) {
    const BodyBlock& b = blocks[i];
    if (!out.empty() && !(i > 0 && same_group(blocks[i - 1], b))) out += "\n";
    if (b.kind == BodyBlock::Kind::row) {
      for (size_t c = 0; c < b.cells.size(); ++c) out += (c ? "\t" : "") + b.cells[c];
      out += "\n";
    } else if (b.kind == BodyBlock::Kind::item) {
      out += item_prefix(b, false) + b.cells.front() + "\n";
    } else {
      out += b.cells.front() + "\n";
    }
  }
  return out;
}

}  // namespace nh::extract
