// Field rules: credits (reporters / contributors), section, source, and the helpers that read
// an info line (the headline is extract/title.h). Each takes folded text or the Document and
// returns values plus the name of the rule that produced them (for provenance).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/content.h"
#include "extract/document.h"
#include "extract/metadata.h"
#include "extract/page.h"

namespace nh::extract {

struct Credits {
  std::vector<Contributor> people;
  int covered = 0;  // code points explained by labels, names and outlet words
  int total = 0;    // code points in the line (spaces excluded)
  bool byline_only() const { return !people.empty() && covered * 10 >= total * 8; }
};

// Chinese credit lines: "本报记者 黄富强 通讯员 农喜养", "（记者 王明 实习生 李雪）",
// "文/图 赵强", "张三 摄", "责任编辑：李四", "作者：王  芳". Text must be fold()ed.
Credits parse_credits(std::string_view line);
// English: "By Jane Doe and Mark Smith" (the "By" is required unless `bare`).
std::vector<std::string> english_byline(std::string_view line, bool bare = false);
// The form of a Han name after a credit label: 2-4 Han characters (3-12 with "·" for minority
// names), no function words, no outlet. Pen names after a label pass ("作者：叨叨姐").
bool valid_cjk_name(std::string_view name);
// Trims whole code points in `chars` from both ends (multi-byte characters too).
std::string trim(std::string_view s, std::string_view chars = " ");
// "Jane Doe, John Roe & Ann Poe" -> the three parts (",", " and ", " & ", " und ", " et ", " y ").
std::vector<std::string> split_name_list(std::string_view names);
// A Latin name part cut where it runs into what follows (a month, a job title, "Updated"):
// "Sara Coughlin June" -> "Sara Coughlin"; "" when the part starts with a title.
std::string trim_name_words(std::string_view part);
// A Han personal name where no label vouches for it (bare names in brackets, before a date,
// in author elements and <meta>): valid_cjk_name() and it starts with a surname
// (rules::han_surnames()), or is a minority name with "·".
bool han_personal_name(std::string_view name);
bool valid_latin_name(std::string_view name);
// A Latin name's closing periods dropped, but not the period of an initial or a suffix
// ("Perry Bacon Jr.", "Joe S." stay; "Anna Berg." -> "Anna Berg").
std::string trim_name_end(std::string name);

// An outlet's name: 3-16 Han characters (digits allowed) ending like an organisation
// (报, 网, 社, 台, 中心 …) or a known outlet ("某某晚报", "新京报").
bool outlet_name(std::string_view text);

// A link to the site's front page ("/", "/index.html", or the root of the page's own host;
// with no page URL only a relative link can tell): its text is the site's name, not a column's.
bool home_link(std::string_view href, std::string_view page_url);
// A link to the root of any host ("https://news.example.com/", "/").
bool root_link(std::string_view href);
// The text of the first link to the front page (with `any_host`, to any host's root) that
// equals one of `texts` (folded), "" if none.
std::string home_link_text(const Document& doc, const std::vector<std::string>& texts,
                           std::string_view page_url, bool any_host = false);

// "来源：新华社 作者：..." -> "新华社"; "" when the label is there with nothing after it;
// nullopt when there is no source label.
std::optional<std::string> source_from_line(std::string_view line);
// "2022-02-13 09:57 光明网", "2005年03月21日 11:21 《理财周刊》": the outlet named right after
// an info line's date without a label (Han outlet name ending 网/报/社/台…, or a title in 《》).
std::optional<std::string> outlet_after_date(std::string_view line);
// "2004年7月16日08:19 [ 黄宇 ] 来源:[ 人民网 ]" (Sohu, 2000s): a bare name in brackets right
// after the info line's date, before the source label or the line's end, is the writer.
std::optional<std::string> bracketed_writer_after_date(std::string_view line);
// "中央社記者黃小華台北3日電", "新华社记者王明北京5月8日电": the writer whose name runs into
// the place of an agency dateline (no space or bracket between them); nullopt otherwise.
std::optional<std::string> dateline_writer(std::string_view line);
// "（新华社北京5月26日电）…", "法新社羅馬19日電 …": the news agency of a dateline opening the
// text (a name ending in 社 before a place, a day and 电/電/讯/訊); nullopt otherwise.
std::optional<std::string> agency_from_dateline(std::string_view line);

// The outlet of a press mark opening the text: "新京报讯（记者…）", "【大公報訊】記者…",
// "香港文匯報訊", "【明報專訊】", "长江网10月4日讯", "人民网北京5月8日电", "【星島日報報道】"
// -> 新京报, 大公報, 香港文匯報, 明報, 长江网, 人民网, 星島日報. The paper's own mark (本报讯,
// 本網訊) names no outlet: nullopt, like a line without a mark.
std::optional<std::string> outlet_from_press_mark(std::string_view line);
// Where the press mark of `line` ends (bytes; after a closing bracket and spaces), or npos.
size_t press_mark_end(std::string_view line);

// "当前位置：首页 > 时政动态 > 正文" -> "时政动态"; `title` (squashed) is never a section.
std::optional<std::string> section_from_breadcrumb(std::string_view line,
                                                   std::string_view title_squashed,
                                                   bool require_marker);

// Whether `node` stands in a list of other stories, where a date is never this article's:
// inside a container whose class/id names such a list (rules::other_story_tokens(): related,
// recommend, ranking, 上下篇 ...), or in a list item that is a teaser of another story (a
// headline link of 6+ characters and outside it only a short date, no date or source label:
// "<li><a>标题</a><span>2021-05-19</span></li>").
bool in_other_stories(const Document& doc, int node);
// Node inside a comment section (class/id comment, respond, discussion…).
bool in_comments(const Document& doc, int node);
// The name in an author box's text: "Veröffentlicht von Cem Basman" -> "Cem Basman",
// "Über Creeny" -> "Creeny", "Harald Bauer Autor" -> "Harald Bauer" (text fold()ed).
std::string strip_author_box_words(std::string text);

// Whether a line reads like an info line (date / source / views / author labels).
bool is_info_line(std::string_view line);
// Whether a line is chrome wherever it stands (上一篇, 打印本页, Share this ...).
bool is_chrome_line(std::string_view line);

// Longest common substring length (code points) of two strings.
size_t common_substring(std::string_view a, std::string_view b);

}  // namespace nh::extract
