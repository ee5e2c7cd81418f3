// The vocabularies. Matching rules for class/id tokens (see content.cpp, class_matches()):
//   "x"   substring of the lower-cased "class id" string
//   "=x"  equals one token (tokens split on space, '-', '_')
//   "^x"  starts one token
#include "extract/rules.h"

#include <array>
#include <utility>

namespace nh::extract::rules {
namespace {
using R = Role;

// Learned from: TRS WCM (TRS_Editor), Hanweb (zoom), Founder e-paper (ozoom, founder-content),
// PHPCMS/DedeCMS/EmpireCMS (content, text), 163 (post_text, endText), Sina (artibody),
// people.cn (rm_txt_con), WordPress (entry-content, post-content), Readability's positive list.
constexpr std::string_view kPositive[] = {
    "article", "content", "entry",      "=main",      "post",        "text",     "story",
    "body",    "zoom",    "trs_editor", "detail",     "=zw",         "zhengwen", "artibody",
    "ozoom",   "founder", "=con",       "newstext",   "news_txt",    "blog",     "hentry",
    "=page",   "read",    "wenzhang",   "rich_media", "articlecont",
};

// Readability's negative + unlikely-candidate patterns, plus Chinese portal chrome:
// dh (导航), fx (分享), xgxw/xgwz (相关新闻/文章), ewm (二维码), bq (版权), yqlj (友情链接).
constexpr std::string_view kNegative[] = {
    "comment",     "^foot",
    "copyright",   "sidebar",
    "=side",       "^nav",
    "menu",        "breadcrumb",
    "crumb",       "share",
    "social",      "related",
    "recommend",   "=hot",
    "hotnews",     "=rank",
    "ranking",     "banner",
    "=ad",         "=ads",
    "^advert",     "adsbygoogle",
    "sponsor",     "promo",
    "login",       "=search",
    "searchbox",   "toolbar",
    "=tool",       "=tools",
    "widget",      "=tags",
    "=tag",        "tagcloud",
    "subscribe",   "newsletter",
    "cookie",      "popup",
    "modal",       "=print",
    "qrcode",      "ewm",
    "=header",     "masthead",
    "topbar",      "bottom",
    "friendlink",  "=links",
    "pagination",  "=pager",
    "disclaimer",  "=meta",
    "outbrain",    "taboola",
    "=rss",        "shoutbox",
    "skyscraper",  "gdpr",
    "consent",     "=fx",
    "xgxw",        "xgwz",
    "=dh",         "yqlj",
    "=bq",         "=hidden",
    "=hide",       "=byline",
    "=author",     "=info",
    "=date",       "=time",
    "=source",     "=caption-credit",
    "=signup",     "=follow",
    "=donate",     "=crumbs",
    "=location",   "=position",
    "=weizhi",     "=dqwz",
    "=more",       "=prev",
    "=next",       "prevnext",
    "=keywords",   "=edit",
    "=editor",     "=zrbj",
    "morestories", "more-stories",
};

// Inside the chosen content these are dropped whatever their link density.
constexpr std::string_view kStrongNegative[] = {
    "comment",   "share",     "social",   "related",     "recommend",   "breadcrumb",
    "crumb",     "copyright", "^foot",    "^nav",        "sidebar",     "banner",
    "=ad",       "=ads",      "^advert",  "adsbygoogle", "subscribe",   "newsletter",
    "cookie",    "popup",     "qrcode",   "ewm",         "=print",      "pagination",
    "=pager",    "=tags",     "tagcloud", "toolbar",     "=fx",         "xgxw",
    "xgwz",      "=hidden",   "=hide",    "outbrain",    "taboola",     "=signup",
    "=follow",   "=donate",   "=prev",    "=next",       "prevnext",    "=location",
    "=position", "=weizhi",   "=dqwz",    "=keywords",   "morestories", "more-stories",
};

// Strong negatives that name what a block is (comments, share bars, related stories, footers),
// as opposed to how it is shown ("=hidden", "=print", "=ads", "=position", "=tags", "=next":
// on the trafilatura set those are modifiers of article sections, e.g. Drupal's
// "field--label-hidden", "testreport__section--ads", "position-relative", "tag-foo" of
// WordPress's post_class). Only these drop a block of prose inside the chosen content.
constexpr std::string_view kNamingNegative[] = {
    "comment",  "share",      "social",     "related",    "recommend",   "breadcrumb",
    "crumb",    "copyright",  "sidebar",    "subscribe",  "newsletter",  "cookie",
    "popup",    "qrcode",     "ewm",        "=fx",        "xgxw",        "xgwz",
    "outbrain", "taboola",    "=signup",    "pagination", "=pager",      "prevnext",
    "=author",  "disclaimer", "disclosure", "kommentar",  "morestories", "more-stories",
};

// Classes of the parts of an article header that are not its standfirst: captions, credits,
// byline and date boxes.
constexpr std::string_view kCaption[] = {"caption", "credit", "=byline", "=author",
                                         "=meta",   "=date",  "=time"};
// Ends of picture captions (lower case): "(Foto: Getty)", "© CAE", "/domena publiczna".
constexpr std::string_view kPictureCredit[] = {"(foto",   "(photo", "(bild",   "(image",
                                               "(credit", "foto:",  "photo:",  "bild:",
                                               "credit:", "©",      "/domena", "fot."};

// Footers of Chinese portals: footer/foot/foot_nav, copyright, bq/banquan (版权).
constexpr std::string_view kChromeContainer[] = {
    "^foot",
    "copyright",
    "=bq",
    "=banquan",
};

constexpr std::string_view kMaybe[] = {
    "article", "=body", "column", "content", "=main", "shadow", "entry",
};

constexpr std::string_view kChromeLinePrefixes[] = {
    "上一篇",   "下一篇",     "上一条",   "下一条",       "上篇:",      "下篇:",      "【打印",
    "[打印",    "打印本页",   "打印此页", "【关闭",       "[关闭",      "关闭窗口",   "分享到",
    "分享至",   "扫一扫",     "返回顶部", "返回首页",     "【字体",     "[字体",      "字号:",
    "【字号",   "[字号",      "相关阅读", "相关新闻",     "相关链接",   "相关文章",   "推荐阅读",
    "热点推荐", "版权所有",   "版权声明", "免责声明",     "copyright",  "©",          "网站地图",
    "联系我们", "icp备",      "京icp",    "公网安备",     "扫描二维码", "微信扫一扫", "点击排行",
    "热门排行", "收藏本页",   "加入收藏", "设为首页",     "【收藏",     "[收藏",      "【返回",
    "[返回",    "当前位置",   "您的位置", "您现在的位置", "所在位置",   "阅读次数",   "浏览次数",
    "点击数:",  "点击:",      "浏览:",    "【纠错",       "原标题:",    "本文链接",   "文章链接",
    "分享:",    "转载请注明", "未经授权",
};

constexpr std::string_view kChromeLineContains[] = {
    "打印本页",
    "关闭窗口",
    "【打印】",
    "【关闭】",
    "[打印]",
    "[关闭]",
    "扫一扫",
    "分享到",
    "【大 中 小】",
    "【大中小】",
    "字体:大",
    "字号:大",
    "打印此页",
    "加入收藏",
    "返回顶部",
    // A reading-time badge ("6 min read") in an article's header strip.
    " min read",
};

// Learned from Chinese gov/portal footers (ICP filing numbers are on every mainland site) and
// the trafilatura evaluation pages' "without" snippets (© and All rights reserved lines).
constexpr std::string_view kFooterLineContains[] = {
    "版权所有", "版權所有", "all rights reserved", "icp备", "icp证", "公网安备", "网安备",
};
// Platform disclaimers under self-media articles (搜狐号, 网易号, 头条号, 百家号) and portal
// reprint notices; lines holding one are chrome at any length.
constexpr std::string_view kDisclaimerContains[] = {
    "仅代表作者本人", "仅代表作者观点",    "仅代表作者个人观点",     "不代表本站观点",
    "不代表本网观点", "不代表本网站观点",  "仅提供信息存储空间服务", "仅提供信息存储服务",
    "平台声明:",      "特别声明:以上内容",
};
constexpr std::string_view kSponsorWords[] = {
    "主办单位", "主管单位", "承办单位", "协办单位", "主办",     "主管",
    "承办",     "协办",     "技术支持", "网站维护", "维护单位",
};

constexpr std::string_view kEnglishChrome[] = {
    "share this",
    "share on",
    "advertisement",
    "read more",
    "related articles",
    "related stories",
    "related posts",
    "sign up",
    "subscribe",
    "follow us",
    "click here",
    "leave a reply",
    "leave a comment",
    "posted in",
    "filed under",
    "tags:",
    "skip to content",
    "previous post",
    "next post",
    "you may also like",
    "all rights reserved",
    "loading...",
    "print this",
    "email this",
    "share:",
    "comments",
    "continue reading",
    "back to top",
    "recommended",
    "trending",
    "most popular",
    "newsletter",
    // The same furniture in the other languages of the evaluation pages (German, French,
    // Spanish, Finnish): teaser headings, comment and share prompts, image credits.
    "auch interessant",
    "das könnte sie auch interessieren",
    "das könnte dich auch interessieren",
    "das thema könnte dich auch interessieren",
    "lesen sie auch",
    "mehr zum thema",
    "war der artikel nützlich",
    "möchten sie den artikel teilen",
    "kommentare schreiben",
    "kommentar schreiben",
    "kommentieren",
    "bild anzeigen",
    "zum vergrößern",
    "titelbild:",
    "bild via",
    "bildquelle:",
    "credit:",
    "crédits photos",
    "crédit photo",
    "vos réactions",
    "puede escribirnos",
    "kuva:",
    "- anzeige",
    "-anzeige-",
    "vorschau auf den nächsten artikel",
    "(noch keine bewertungen)",
    "stay up-to-date",
    "if you enjoyed reading",
    "als pdf herunterladen",
    "foto:",
    "fotos:",
    "bild:",
    "(foto:",
    "(quelle:",
    "quelle:",
    "quellen:",
    "quellenangaben",
    "quellen ausblenden",
    "zusatzinformationen",
    "weitere informationen",
    "kontakt:",
    "schon gelesen",
    "lust auf mehr",
    "mehr themen",
    "diese seite teilen",
    "empfehlungen aus der redaktion",
    "bildergalerie",
    "über den autor",
    "about the author",
    "alle angaben ohne gewähr",
    "erschienen in",
    "last modified",
    "permalien",
    "permalink",
    "photo:",
    "źródło:",
    "reklama",
    "materiał chroniony prawem",
};

constexpr std::string_view kMetaTitle[] = {
    "articletitle", "og:title", "twitter:title", "headline", "title", "dc.title",
};
// Trust order: the government page standard first (GB/T 33190-style meta used by TRS/Hanweb),
// then publishers' own, then OpenGraph/Dublin Core.
constexpr std::string_view kMetaDate[] = {
    "pubdate",
    "firstpublishedtime",
    "publishdate",
    "publish_date",
    "publish-date",
    "publishtime",
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "og:published_time",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "pub_date",
    "pubtime",
    "ptime",
    "weibo:article:create_at",
    "article.published",
    "published_time",
    "citation_publication_date",
    "release_date",
    "og:release_date",
    "originalpublicationdate",
    // Dublin Core and CMS variants (dc.created, DC.Issued, created, datecreated).
    "dc.date.created",
    "dc.created",
    "dc.issued",
    "og:datepublished",
    "datecreated",
    "created",
    "published",
    "published-date",
    "published_date",
    "publication-date",
    "publication_date",
    "date",
};
// Keys of the page-data objects portals embed in <script> (QQ `window.DATA`, Toutiao, Sina):
// `"pubtime": "2019-09-07 19:02:26"`. The first one in the page is the article's own.
constexpr std::string_view kScriptDateKeys[] = {
    "\"pubtime\"",       "\"pub_time\"",         "\"publish_time\"", "\"publishtime\"",
    "\"publishTime\"",   "\"pubDate\"",          "\"publishDate\"",  "\"publish_date\"",
    "\"datePublished\"", "\"firstPublishTime\"", "\"publishedAt\"",  "\"published_at\"",
};
constexpr std::string_view kMetaNeverDate[] = {
    "maketime",         "htmlgeneratetime",      "generatetime",    "createtime",
    "lastmodifiedtime", "article:modified_time", "og:updated_time", "datemodified",
};
constexpr std::string_view kMetaSection[] = {
    "columnname",
    "article:section",
    "og:article:section",
    "section",
};
constexpr std::string_view kMetaSource[] = {"contentsource", "source"};
constexpr std::string_view kMetaSite[] = {
    "og:site_name",
    "sitename",
    "site_name",
    "application-name",
};
constexpr std::string_view kMetaAuthor[] = {
    "author",          "article:author", "byline",  "dc.creator",
    "sailthru.author", "parsely-author", "authors",
};
// Meta names repeated once per author (Google Scholar / Highwire tags), read when none of
// kMetaAuthor names anyone.
constexpr std::string_view kMetaEachAuthor[] = {"citation_author"};

// Longest first within each leading character so the scanner can take the first hit.
constexpr std::array kRoleLabels = {
    RoleLabel{"责任编辑", R::editor},
    RoleLabel{"特约记者", R::reporter},
    RoleLabel{"见习记者", R::reporter},
    RoleLabel{"首席记者", R::reporter},
    RoleLabel{"实习记者", R::reporter},
    RoleLabel{"本报记者", R::reporter},
    RoleLabel{"本报通讯员", R::correspondent},
    RoleLabel{"通讯员", R::correspondent},
    RoleLabel{"实习生", R::intern},
    RoleLabel{"记者", R::reporter},
    RoleLabel{"文/图", R::author, true},
    RoleLabel{"图/文", R::author, true},
    RoleLabel{"文图", R::author, true},
    RoleLabel{"作者", R::author},
    RoleLabel{"撰文", R::author},
    RoleLabel{"撰稿", R::author},
    RoleLabel{"执笔人", R::author},
    RoleLabel{"执笔", R::author},
    RoleLabel{"采写", R::author},
    RoleLabel{"文字", R::author},
    // Editorial credits of features ("策划：甲 统筹：乙 文字：丙 摄影：丁"): not writers.
    RoleLabel{"策划", R::editor},
    RoleLabel{"统筹", R::editor},
    RoleLabel{"监制", R::editor},
    RoleLabel{"文/", R::author},
    RoleLabel{"文丨", R::author},
    RoleLabel{"图/", R::photographer},
    RoleLabel{"图丨", R::photographer},
    RoleLabel{"摄/", R::photographer},
    RoleLabel{"摄影/", R::photographer},
    RoleLabel{"摄影", R::photographer},
    RoleLabel{"摄像", R::photographer},
    RoleLabel{"图片", R::photographer},
    RoleLabel{"责编", R::editor},
    RoleLabel{"编辑", R::editor},
    RoleLabel{"主编", R::editor},
    RoleLabel{"审核", R::reviewer},
    RoleLabel{"审校", R::reviewer},
    RoleLabel{"校对", R::reviewer},
    RoleLabel{"终审", R::reviewer},
    RoleLabel{"初审", R::reviewer},
    RoleLabel{"复审", R::reviewer},
    RoleLabel{"审稿", R::reviewer},
    RoleLabel{"审签", R::reviewer},
    RoleLabel{"翻译", R::translator},
    RoleLabel{"编译", R::translator},
    RoleLabel{"译者", R::translator},
    RoleLabel{"By", R::reporter},
    RoleLabel{"BY", R::reporter},
    RoleLabel{"by", R::reporter},
    // Traditional forms (Big5 pages) — NFKC does not fold these.
    RoleLabel{"記者", R::reporter},
    RoleLabel{"編輯", R::editor},
    RoleLabel{"責任編輯", R::editor},
    RoleLabel{"通訊員", R::correspondent},
    RoleLabel{"實習生", R::intern},
    RoleLabel{"攝影", R::photographer},
    RoleLabel{"撰文", R::author},
    RoleLabel{"翻譯", R::translator},
    RoleLabel{"本報記者", R::reporter},
    RoleLabel{"本報通訊員", R::correspondent},
    RoleLabel{"特約記者", R::reporter},
    RoleLabel{"實習記者", R::reporter},
    RoleLabel{"見習記者", R::reporter},
    RoleLabel{"首席記者", R::reporter},
    RoleLabel{"責編", R::editor},
    RoleLabel{"主編", R::editor},
    RoleLabel{"審核", R::reviewer},
    RoleLabel{"校對", R::reviewer},
    RoleLabel{"審稿", R::reviewer},
    RoleLabel{"編譯", R::translator},
    RoleLabel{"譯者", R::translator},
    RoleLabel{"執筆", R::author},
    RoleLabel{"採寫", R::author},
    RoleLabel{"圖/", R::photographer},
    RoleLabel{"攝/", R::photographer},
    RoleLabel{"圖片", R::photographer},
    // A full-width vertical bar folds to "|" (文｜周明, 图｜李四, 编辑｜王五: WeChat, self-media).
    RoleLabel{"文 |", R::author},
    RoleLabel{"图 |", R::photographer},
    RoleLabel{"文|", R::author},
    RoleLabel{"图|", R::photographer},
    RoleLabel{"圖|", R::photographer},
    RoleLabel{"编辑|", R::editor},
    RoleLabel{"編輯|", R::editor},
};
constexpr std::array kRoleSuffixes = {
    RoleLabel{"摄影报道", R::photographer},
    RoleLabel{"摄", R::photographer},
    RoleLabel{"攝", R::photographer},
    RoleLabel{"/摄", R::photographer},
    RoleLabel{"/文", R::author},
    RoleLabel{"/图", R::photographer},
    RoleLabel{"/攝", R::photographer},
    RoleLabel{"/圖", R::photographer},
    RoleLabel{"报道", R::reporter},
    RoleLabel{"報導", R::reporter},
    RoleLabel{"報道", R::reporter},
};

constexpr std::string_view kNotPerson[] = {
    "新华社", "本报",   "本网",    "本站",   "人民网",   "新华网", "中新网", "中新社", "央视网",
    "央视",   "中国网", "光明网",  "环球网", "新京报",   "澎湃",   "admin",  "管理员", "记者",
    "通讯员", "编辑",   "本刊",    "特约",   "网友",     "佚名",   "未知",   "综合",   "来源",
    "原创",   "转载",   "整理",    "供图",   "视觉中国", "图虫",   "资料图", "报道",   "Admin",
    "Editor", "Staff",  "Reuters", "AP",     "AFP",      "Xinhua",
};
constexpr std::string_view kOrgSuffixes[] = {
    "社",
    "网",
    "报",
    "台",
    "站",
    "部",
    "局",
    "委",
    "厅",
    "室",
    "处",
    "办",
    "中心",
    "公司",
    "集团",
    "日报",
    "晚报",
    "电视",
    "协会",
    "学会",
    "政府",
    "大学",
    "学院",
    "医院",
    "银行",
    "法院",
    "检察院",
    "频道",
    "杂志",
    "周刊",
    "新闻",
    "时报",
    "传媒",
    "媒体",
    "融媒",
    "科技",
    "财经",
    "资讯",
    "在线",
    "客户端",
    // The same in Traditional characters (Taiwan, Hong Kong, Macau).
    "報",
    "網",
    "臺",
    "電視",
    "頻道",
    "雜誌",
    "週刊",
    "傳媒",
    "新聞",
    "資訊",
    "集團",
    "大學",
    "學院",
    "醫院",
    "銀行",
    "協會",
    "學會",
};

// Words that are never (part of) a person's name, though they look like one to the
// character rules: page furniture next to author slots (learned on zh-dev author elements),
// and words that follow a credit label in chrome and running text (相关报道, 其他文章,
// 发表于 2014-08-24, 向记者了解, 记者表示).
constexpr std::string_view kNotNameWords[] = {
    "整合", "专题", "整理", "联系", "文章", "简介", "精华", "媒体", "关注", "网络", "博客", "密码",
    "账号", "登录", "注册", "评论", "分享", "收藏", "点赞", "更多", "推荐", "热门", "最新", "原创",
    "转载", "来源", "作者", "编辑", "暂无", "匿名", "游客", "用户", "网友", "小编", "本站", "官方",
    "频道", "栏目", "首页", "阅读", "订阅", "投稿", "举报", "声明", "免责", "版权", "图片", "视频",
    "直播", "搜索", "下载", "客户", "报料", "纠错", "打印", "观点", "本人", "出自", "顾问", "字体",
    "字号", "大中", "律师", "专家", "教授", "主任", "记者", "北京", "上海", "相关", "其他", "发表",
    "了解", "表示", "介绍", "采访", "获悉", "得知", "发现", "看到", "商业",
};

// A writer's position written straight before the name in a credit ("研究员徐占忱"), or after
// it together with an affiliation ("方敏北京大学经济学院教授"): cut off, the name remains.
constexpr std::string_view kJobTitles[] = {
    "特约评论员", "高级记者", "首席记者", "特约记者", "总编辑", "副教授", "副主任",
    "副院长",     "研究员",   "评论员",   "副部长",   "副所长", "主编",   "教授",
    "讲师",       "博士",     "主任",     "部长",     "院长",   "所长",   "委员",
    "学者",       "专家",     "记者",     "编辑",
};
// Where an affiliation glued after a name begins ("方敏|北京大学…", "王文|中国人民大学…"):
// the provinces (kProvinces) and these national heads.
constexpr std::string_view kAffiliationHeads[] = {"中国", "国家", "全国", "中央", "国务院"};
// An affiliation ends in an institution or a position ("…经济学院教授", "…研究中心").
constexpr std::string_view kAffiliationTails[] = {
    "大学", "学院", "研究院", "研究所", "研究中心", "中心", "教授", "研究员", "院长",
    "主任", "所长", "部长",   "学者",   "讲师",     "博士", "专家", "委员",
};

constexpr std::string_view kDateLabels[] = {
    "发布时间",  "发布日期",       "发表时间",       "发表日期",         "更新时间",      "时间",
    "日期",      "发布于",         "发文日期",       "成文日期",         "Published",     "Updated",
    "Datum:",    "Veröffentlicht", "veröffentlicht", "Veröffentlichung", "Erschienen am", "Publié",
    "Publicado", "Pubblicato",     "Fecha:",
};
// Labels of a date that is not the publish date but a later revision ("Updated", "最后修改"),
// lower case: such a date shown on the page does not overrule the metadata's publish date.
constexpr std::string_view kUpdateLabels[] = {
    "update",          "modified",   "reviewed",   "revised",        "refreshed",
    "aktualisiert",    "geändert",   "mis à jour", "modifié",        "actualizado",
    "aggiornato",      "atualizado", "更新",       "修改",           "修订",
    "last edited",     "actualisé",  "bijgewerkt", "zaktualizowano", "обновлено",
    "letzte änderung",
};
// Source values that name no outlet (squashed): the site itself, the web at large, a reprint
// marker. Such a 来源 gives way to an outlet the page names elsewhere.
constexpr std::string_view kGenericSources[] = {
    "本站",     "本网", "本站原创", "本网原创", "原创",     "网络",     "互联网",
    "网络转载", "转载", "综合",     "综合整理", "网络整理", "整理",     "网友投稿",
    "投稿",     "未知", "佚名",     "其他",     "本站整理", "本網",     "網絡",
    "網路",     "綜合", "轉載",     "本网综合", "本站综合", "综合报道", "综合消息",
};
constexpr std::string_view kSourceLabels[] = {
    "信息来源",
    "文章来源",
    "稿件来源",
    "新闻来源",
    "消息来源",
    "来源于",
    "来源",
    "出处",
    "來源",
    "稿源",
    "出處",
    // A reprint credit as a field ("本文转自：央视新闻客户端"): needs its colon like the others.
    "本文转自",
    "转载自",
    "转自",
    "轉載自",
    "轉自",
};
// Words before an outlet's name in a source value that say it was reprinted ("转载自澎湃新闻").
constexpr std::string_view kReprintMarkers[] = {"转载自", "转自",   "摘自", "选自",
                                                "来自",   "轉載自", "轉自", "摘錄自"};
constexpr std::string_view kInfoStop[] = {
    "作者", "记者",   "编辑",     "责任编辑", "责编",   "时间", "日期",   "发布", "浏览",
    "点击", "阅读",   "字号",     "字体",     "【",     "[",    "|",      "分享", "打印",
    "访问", "次数",   "评论",     "来源",     "通讯员", "审核", "校对",   "供稿", "人气",
    "收藏", "扫一扫", "大 中 小", "大中小",   "发稿",   "录入", "阅读量", "文章",
};

constexpr std::string_view kBreadcrumbMarkers[] = {
    "当前位置", "您的位置",     "您现在的位置", "所在位置",   "现在位置", "当前的位置",
    "你的位置", "你现在的位置", "位置:",        "位置 :",     "目前位置", "您現在的位置",
    "現在位置", "當前位置",     "所在的位置",   "現在的位置",
};
constexpr std::string_view kBreadcrumbSeparators[] = {
    ">", "›", "»", "→", "/", "|", "-", "·", ">>", "》",
};
constexpr std::string_view kBreadcrumbHome[] = {
    "首页", "网站首页", "主页",       "home",       "Home",   "HOME",    "首 页",  "返回首页",
    "首頁", "主頁",     "Startseite", "startseite", "ホーム", "Accueil", "Inicio",
};
// Filing labels of the info line that name the column: "栏目：时政动态", "所属分类：通知公告".
// Longest first. Learned from Chinese CMS article templates (DedeCMS, PHPCMS, TRS, WordPress
// themes in Chinese).
constexpr std::string_view kSectionLabels[] = {
    "所属栏目", "所属分类", "所属频道", "文章分类", "文章栏目", "栏目", "分类",
    "类别",     "频道",     "欄目",     "分類",     "類別",     "頻道",
};
constexpr std::string_view kBreadcrumbTerminal[] = {
    "正文",
    "内容",
    "详情",
    "阅读文章",
    "文章内容",
    "详细内容",
    "浏览文章",
    "正文内容",
    "內容",
    "詳情",
    // Forums: the trail ends at the thread view ("首页 › 亲子游玩 › 帖子").
    "帖子",
    "查看帖子",
    "浏览帖子",
    "帖子详情",
    "主题",
};

constexpr std::string_view kTitleSeparators[] = {
    "_", " - ", "|", " – ", " — ", "--", "——", " :: ", "｜", " · ", " » ", " « ", " • ", " // ",
};

// Learned from the trafilatura evaluation pages (German, English, French, Spanish, Italian).
constexpr MonthName kMonths[] = {
    {"january", 1},    {"januar", 1},     {"jänner", 1},    {"janvier", 1},   {"enero", 1},
    {"gennaio", 1},    {"januari", 1},    {"janeiro", 1},   {"jan", 1},       {"jän", 1},
    {"february", 2},   {"februar", 2},    {"février", 2},   {"febrero", 2},   {"febbraio", 2},
    {"februari", 2},   {"fevereiro", 2},  {"feb", 2},       {"fév", 2},       {"march", 3},
    {"märz", 3},       {"mars", 3},       {"marzo", 3},     {"maart", 3},     {"março", 3},
    {"mar", 3},        {"mär", 3},        {"april", 4},     {"avril", 4},     {"abril", 4},
    {"aprile", 4},     {"apr", 4},        {"avr", 4},       {"may", 5},       {"mai", 5},
    {"mayo", 5},       {"maggio", 5},     {"mei", 5},       {"maio", 5},      {"june", 6},
    {"juni", 6},       {"juin", 6},       {"junio", 6},     {"giugno", 6},    {"junho", 6},
    {"jun", 6},        {"july", 7},       {"juli", 7},      {"juillet", 7},   {"julio", 7},
    {"luglio", 7},     {"julho", 7},      {"jul", 7},       {"august", 8},    {"août", 8},
    {"agosto", 8},     {"augustus", 8},   {"aug", 8},       {"september", 9}, {"septembre", 9},
    {"septiembre", 9}, {"settembre", 9},  {"setembro", 9},  {"sept", 9},      {"sep", 9},
    {"october", 10},   {"oktober", 10},   {"octobre", 10},  {"octubre", 10},  {"ottobre", 10},
    {"outubro", 10},   {"oct", 10},       {"okt", 10},      {"november", 11}, {"novembre", 11},
    {"noviembre", 11}, {"novembro", 11},  {"nov", 11},      {"december", 12}, {"dezember", 12},
    {"décembre", 12},  {"diciembre", 12}, {"dicembre", 12}, {"dezembro", 12}, {"dec", 12},
    {"dez", 12},       {"déc", 12},
};

// Only the unambiguous, common ones (CST is China, US Central and Cuba: left out).
constexpr ZoneAbbreviation kZones[] = {
    {"UTC", 0},   {"GMT", 0},    {"CET", 60},   {"CEST", 120}, {"MEZ", 60},   {"MESZ", 120},
    {"BST", 60},  {"EST", -300}, {"EDT", -240}, {"PST", -480}, {"PDT", -420}, {"HKT", 480},
    {"JST", 540}, {"KST", 540},  {"SGT", 480},  {"BJT", 480},
};

constexpr std::string_view kOtherStory[] = {"推荐",        "相关",     "热门", "排行",
                                            "上一篇",      "下一篇",   "往期", "Related",
                                            "Recommended", "Previous", "Next"};

// Learned from the side lists of the golden pages (trs-wcm-gov, phpcms-news) and Chinese
// portals (xgxw/xgwz 相关新闻/文章, tuijian 推荐, phb 排行榜, rdph 热点排行, sxp 上下篇).
// Narrow on purpose: "sidebar", "comment" and "list" also name wrappers of the article and
// its own meta line on the trafilatura evaluation set ("has-sidebar", "post__metas__list").
constexpr std::string_view kOtherStoryTokens[] = {
    "related",
    "recommend",
    "xgxw",
    "xgwz",
    "tuijian",
    "hotnews",
    "ranking",
    "=rank",
    "=phb",
    "=rdph",
    "=sxp",
    "prevnext",
    "prenext",
    "morestories",
    "more-stories",
    // Embedded posts: a quoted tweet, Instagram, TikTok or Weibo card carries its own date.
    "twitter-tweet",
    "instagram-media",
    "tiktok-embed",
    "weibo-card",
    "embed-post",
};

constexpr std::string_view kBylinePrefixes[] = {
    "erstellt von ", "verfasst von ", "geschrieben von ",
    "written by: ",  "written by ",   "posted by: ",
    "posted by ",    "article by ",   "authored by ",
    "story by ",     "words by ",     "by: ",
    "by:",           "by ",           "von: ",
    "von:",          "von ",          "text: ",
    "par ",          "por ",          "di ",
    "door ",         "av ",           "autor: ",
    "autorin: ",     "auteur : ",     "auteur: ",
    "text von ",
};

constexpr std::string_view kSiteNameSuffixes[] = {
    "网", "论坛", "社区", "博客", "报", "新闻", "在线", "门户", "之家", "中心", "政府", "频道",
};

constexpr std::string_view kProvinces[] = {
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海",
    "江苏", "浙江", "安徽", "福建", "江西",   "山东", "河南", "湖北",   "湖南",
    "广东", "广西", "海南", "重庆", "四川",   "贵州", "云南", "西藏",   "陕西",
    "甘肃", "青海", "宁夏", "新疆", "台湾",   "香港", "澳门"};
// Country-code domains of countries on one clock, and the IANA zone of that clock.
constexpr std::pair<std::string_view, std::string_view> kCountryZones[] = {
    {"cn", "Asia/Shanghai"},
    {"hk", "Asia/Hong_Kong"},
    {"mo", "Asia/Macau"},
    {"tw", "Asia/Taipei"},
    {"jp", "Asia/Tokyo"},
    {"kr", "Asia/Seoul"},
    {"sg", "Asia/Singapore"},
    {"my", "Asia/Kuala_Lumpur"},
    {"th", "Asia/Bangkok"},
    {"vn", "Asia/Ho_Chi_Minh"},
    {"ph", "Asia/Manila"},
    {"in", "Asia/Kolkata"},
    {"de", "Europe/Berlin"},
    {"at", "Europe/Vienna"},
    {"ch", "Europe/Zurich"},
    {"li", "Europe/Vaduz"},
    {"lu", "Europe/Luxembourg"},
    {"be", "Europe/Brussels"},
    {"nl", "Europe/Amsterdam"},
    {"fr", "Europe/Paris"},
    {"it", "Europe/Rome"},
    {"pl", "Europe/Warsaw"},
    {"cz", "Europe/Prague"},
    {"sk", "Europe/Bratislava"},
    {"hu", "Europe/Budapest"},
    {"si", "Europe/Ljubljana"},
    {"hr", "Europe/Zagreb"},
    {"dk", "Europe/Copenhagen"},
    {"se", "Europe/Stockholm"},
    {"no", "Europe/Oslo"},
    {"fi", "Europe/Helsinki"},
    {"ee", "Europe/Tallinn"},
    {"lv", "Europe/Riga"},
    {"lt", "Europe/Vilnius"},
    {"gr", "Europe/Athens"},
    {"ro", "Europe/Bucharest"},
    {"bg", "Europe/Sofia"},
    {"ie", "Europe/Dublin"},
    {"uk", "Europe/London"},
    {"is", "Atlantic/Reykjavik"},
    {"ua", "Europe/Kiev"},
    {"tr", "Europe/Istanbul"},
    {"il", "Asia/Jerusalem"},
    {"uy", "America/Montevideo"},
    {"co", "America/Bogota"},
    {"ve", "America/Caracas"},
    {"pe", "America/Lima"},
    {"cl", "America/Santiago"},
    {"ar", "America/Argentina/Buenos_Aires"},
    {"nz", "Pacific/Auckland"},
};
// Post tags of forums (Discuz!, phpBB themes in Chinese) before a subject: "[原创] 标题". Only
// these are dropped: a column in brackets is part of a headline ("【资讯汇总】…", zh-dev).
constexpr std::string_view kForumTags[] = {
    "原创", "转载", "转帖",   "求助", "讨论", "分享",
    "精华", "置顶", "已解决", "提问", "原創", "轉載",
};
constexpr std::string_view kTitleBadges[] = {"原创", "独家", "置顶", "热门", "推荐", "首发"};

// Learned from the trafilatura evaluation pages (German/English news templates) and common
// CMS themes; matched as substrings of the lower-cased "class id".
constexpr std::string_view kKickerClass[] = {
    "kicker",    "dachzeile",  "roofline",    "overline",    "topline",  "toptitle",
    "top-title", "eyebrow",    "supertitle",  "super-title", "pretitle", "pre-title",
    "topic",     "spitzmarke", "titleheader", "label",       "yinti",
};
// The element of a 引题 line above the headline (class/id tokens, class_matches forms).
constexpr std::string_view kLeadTitleClass[] = {"title",    "yinti",     "=yt", "kicker",
                                                "pretitle", "pre-title", "=ft", "fubiaoti"};
// Classes that set a piece of the headline apart without saying it is a kicker
// ("<h1><span class=subtitle>Olympia</span> Headline</h1>"): a separator, so the piece goes
// when the <title> agrees with the rest, but not on the class alone.
constexpr std::string_view kHeadlinePieceClass[] = {"subtitle", "small"};

// Labels of an article's info line in other languages ("Veröffentlicht von X am 14.10.2019
// (88 Lesungen)", "Posted by X on May 3, 2021"), matched in the lower-cased line together with
// a date.
constexpr std::string_view kInfoLineLabels[] = {
    "veröffentlicht", "aktualisiert", "geschrieben von", "lesungen",   "gelesen", "published",
    "posted",         "updated",      "written by",      "views",      "publié",  "mis à jour",
    "publicado",      "actualizado",  "pubblicato",      "aggiornato",
};

// Class/id words of comment sections (WordPress #comments/#respond, Disqus, forums' replies).
constexpr std::string_view kCommentTokens[] = {"comment",  "=respond", "disqus",
                                               "=replies", "=reply",   "discussion"};
// CMS accounts and role words that JSON-LD and <meta name=author> carry instead of a name
// (WordPress "admin", Drupal "Anonymous"; seen on wcxb-dev and trafilatura-eval pages).
constexpr std::string_view kAuthorPlaceholders[] = {
    "admin",     "administrator", "anonymous", "author", "editor",    "editors",
    "guest",     "root",          "staff",     "user",   "webmaster", "redaktion",
    "redacción", "unknown",       "null",      "none",   "team",
};
// Han surnames: the common single-character surnames (the Hundred Family Surnames and the
// most frequent surnames of the mainland, Taiwan and Hong Kong population registers, about
// 530 with the Traditional forms) and the compound ones. A Chinese personal name starts with
// one of them (or is a minority name with "·"): 网易, 参考消息, 新华 are not names.
constexpr std::string_view kHanSurnames =
    "赖賴王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章"
    "鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉"
    "骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄"
    "丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼"
    "盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云"
    "容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉"
    "银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由陳楊黃"
    "趙吳鄭謝許韓馮鄧蕭葉蘇呂盧薑鍾譚陸範賈韋鄒閆賀顧龔錢嚴溫顏聶魯歐關蘭紀畢單塗駱藍"
    "鮑華饒項麥婁竇費衛師欒鄺談劉張馬孫羅蔣餘萬龍湯莊嶽寧淩遊鄔邊榮叢鞏遲荊樂鬱儲勞諶"
    "藺樓盤滿聞厲區闞權強帥樸蓋練豐國計晉門雲來闕烏況鮮諸戰銀賓幹陰堯閉齊喬龐陽時農繆"
    "簡車連蘆黨宮應閔";
constexpr std::string_view kHanCompoundSurnames[] = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟", "澹台", "公冶",
    "太史", "申屠", "钟离", "闻人", "濮阳", "赫连", "第五", "歐陽", "司馬", "諸葛", "東方", "尉遲",
    "公孫", "長孫", "令狐", "獨孤", "南宮", "呼延", "萬俟", "鍾離", "聞人", "赫連",
};
// Qualifications written after a name in author fields ("Jane Doe, PhD"), lower case without
// dots; an all-capitals word of two to five letters counts as one too (RD, FAND, CEPF).
constexpr std::string_view kNameCredentials[] = {"phd", "md",  "rn",  "ms",  "ma", "mba", "jd",
                                                 "dvm", "cfp", "cpa", "esq", "jr", "sr"};
// Words that end a Latin-script name in an author slot: job titles, UI words and labels that
// run into the name when an element's text is read whole ("Jane Doe Senior Editor", "John Roe
// Updated", "Written By", "Sign In"). Lower case, whole words. Learned on wcxb-dev author
// elements; month names (rules::month_names()) end a name too.
constexpr std::string_view kNameStopWords[] = {
    "writer",        "writers",     "editor",        "editors",   "reporter",     "reporters",
    "correspondent", "contributor", "contributing",  "columnist", "director",     "manager",
    "consultant",    "expert",      "reviewer",      "reviewed",  "founder",      "co-founder",
    "ceo",           "cto",         "cfo",           "vp",        "president",    "attorney",
    "lawyer",        "admin",       "administrator", "research",  "researcher",   "analyst",
    "author",        "authors",     "written",       "posted",    "published",    "updated",
    "last",          "sponsored",   "sign",          "login",     "follow",       "bio",
    "profile",       "share",       "editorial",     "senior",    "chief",        "certified",
    "former",        "associate",   "assistant",     "intern",    "photographer", "producer",
    "specialist",    "strategist",  "marketing",     "content",   "seo",          "fact",
    "checked",       "medically",   "staff",         "read",      "view",         "min",
};
// Words around the name in author boxes: "Veröffentlicht von X", "Über X", "X Autor".
constexpr std::string_view kAuthorBoxPrefixes[] = {
    "veröffentlicht von ",
    "geschrieben von ",
    "erstellt von ",
    "verfasst von ",
    "posted by ",
    "written by ",
    "publié par ",
    "publicado por ",
    "pubblicato da ",
    "über ",
    "about ",
    "von ",
    "by ",
};
constexpr std::string_view kAuthorBoxSuffixes[] = {" autor", " autorin", " author"};

// Class/id fragments of the element holding the site's name or logo (WordPress and most CMS
// themes): "<h1 id=site-title><a href=/>Blog</a></h1>" is not the headline.
constexpr std::string_view kSiteNameClass[] = {
    "site-title", "sitetitle", "site-name", "sitename", "blog-title", "blogtitle",
    "site-logo",  "sitelogo",  "logo",      "masthead", "brand",
};

}  // namespace

std::span<const std::string_view> info_line_labels() { return kInfoLineLabels; }
std::span<const std::string_view> comment_tokens() { return kCommentTokens; }
std::span<const std::string_view> author_box_prefixes() { return kAuthorBoxPrefixes; }
std::span<const std::string_view> author_placeholders() { return kAuthorPlaceholders; }
std::span<const std::string_view> name_stop_words() { return kNameStopWords; }
std::span<const std::string_view> name_credentials() { return kNameCredentials; }
std::string_view han_surnames() { return kHanSurnames; }
std::span<const std::string_view> han_compound_surnames() { return kHanCompoundSurnames; }
std::span<const std::string_view> author_box_suffixes() { return kAuthorBoxSuffixes; }
std::span<const std::string_view> site_name_class_tokens() { return kSiteNameClass; }
std::span<const std::string_view> title_badges() { return kTitleBadges; }
std::string_view country_time_zone(std::string_view tld) {
  for (const auto& [cc, zone] : kCountryZones)
    if (cc == tld) return zone;
  return {};
}
std::span<const std::string_view> kicker_class_tokens() { return kKickerClass; }
std::span<const std::string_view> lead_title_class_tokens() { return kLeadTitleClass; }
std::span<const std::string_view> headline_piece_class_tokens() { return kHeadlinePieceClass; }
std::span<const std::string_view> site_name_suffixes() { return kSiteNameSuffixes; }
std::span<const std::string_view> byline_prefixes() { return kBylinePrefixes; }
std::span<const std::string_view> other_story_words() { return kOtherStory; }
std::span<const std::string_view> other_story_tokens() { return kOtherStoryTokens; }
std::span<const MonthName> month_names() { return kMonths; }
std::span<const ZoneAbbreviation> zone_abbreviations() { return kZones; }
std::span<const std::string_view> positive_tokens() { return kPositive; }
std::span<const std::string_view> negative_tokens() { return kNegative; }
std::span<const std::string_view> strong_negative_tokens() { return kStrongNegative; }
std::span<const std::string_view> maybe_tokens() { return kMaybe; }
std::span<const std::string_view> naming_negative_tokens() { return kNamingNegative; }
std::span<const std::string_view> caption_tokens() { return kCaption; }
std::span<const std::string_view> picture_credit_marks() { return kPictureCredit; }
std::span<const std::string_view> chrome_container_tokens() { return kChromeContainer; }
std::span<const std::string_view> chrome_line_prefixes() { return kChromeLinePrefixes; }
std::span<const std::string_view> chrome_line_contains() { return kChromeLineContains; }
std::span<const std::string_view> english_chrome_lines() { return kEnglishChrome; }
std::span<const std::string_view> footer_line_contains() { return kFooterLineContains; }
std::span<const std::string_view> sponsor_words() { return kSponsorWords; }
std::span<const std::string_view> disclaimer_contains() { return kDisclaimerContains; }
std::span<const std::string_view> meta_title_names() { return kMetaTitle; }
std::span<const std::string_view> meta_date_names() { return kMetaDate; }
std::span<const std::string_view> script_date_keys() { return kScriptDateKeys; }
std::span<const std::string_view> meta_never_date_names() { return kMetaNeverDate; }
std::span<const std::string_view> meta_section_names() { return kMetaSection; }
std::span<const std::string_view> meta_source_names() { return kMetaSource; }
std::span<const std::string_view> meta_site_names() { return kMetaSite; }
std::span<const std::string_view> meta_author_names() { return kMetaAuthor; }
std::span<const std::string_view> meta_each_author_names() { return kMetaEachAuthor; }
std::span<const RoleLabel> role_labels() { return kRoleLabels; }
std::span<const RoleLabel> role_suffixes() { return kRoleSuffixes; }
std::span<const std::string_view> not_person_words() { return kNotPerson; }
std::span<const std::string_view> organisation_suffixes() { return kOrgSuffixes; }
std::span<const std::string_view> not_name_words() { return kNotNameWords; }
std::span<const std::string_view> province_names() { return kProvinces; }
std::span<const std::string_view> job_titles() { return kJobTitles; }
std::span<const std::string_view> affiliation_heads() { return kAffiliationHeads; }
std::span<const std::string_view> affiliation_tails() { return kAffiliationTails; }
std::span<const std::string_view> date_labels() { return kDateLabels; }
std::span<const std::string_view> update_labels() { return kUpdateLabels; }
std::span<const std::string_view> section_labels() { return kSectionLabels; }
std::span<const std::string_view> forum_tags() { return kForumTags; }
std::span<const std::string_view> generic_sources() { return kGenericSources; }
std::span<const std::string_view> reprint_markers() { return kReprintMarkers; }
std::span<const std::string_view> source_labels() { return kSourceLabels; }
std::span<const std::string_view> info_stop_labels() { return kInfoStop; }
std::span<const std::string_view> breadcrumb_markers() { return kBreadcrumbMarkers; }
std::span<const std::string_view> breadcrumb_separators() { return kBreadcrumbSeparators; }
std::span<const std::string_view> breadcrumb_home_words() { return kBreadcrumbHome; }
std::span<const std::string_view> breadcrumb_terminal_words() { return kBreadcrumbTerminal; }
std::span<const std::string_view> title_separators() { return kTitleSeparators; }

namespace {
constexpr std::string_view kAuthorClass[] = {"author", "byline", "=writer"};
constexpr std::string_view kAuthorArchivePaths[] = {"/author/", "/authors/", "/autor/", "/auteur/",
                                                    "/autore/"};
constexpr std::string_view kDateClass[] = {
    "=date",      "published", "pubdate",      "=time",       "posted", "dateline",
    "entry-date", "post-date", "article-date", "=datum",      "=fecha", "=meta",
    "timestamp",  "byline",    "__date",       "publication", "publish"};
constexpr std::string_view kHiddenClasses[] = {"none",
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
constexpr std::string_view kNameParticles[] = {"de",  "van", "von", "der", "da", "di",
                                               "del", "la",  "le",  "bin", "al", "du"};
constexpr std::string_view kNotLatinNames[] = {"Associated Press",  "Staff Writer",
                                               "Staff Reporter",    "The Associated",
                                               "Press Association", "Updated On"};
constexpr std::string_view kNameLikeMonths[] = {"may", "june", "april", "august", "augustus",
                                                "mar", "mai",  "jan",   "jun"};
constexpr std::string_view kBylineCuts[] = {
    " | ",        " - ",   " — ",       " – ",  " · ",  " • ", "\n",   " on ", " Updated",
    " Published", " for ", ", Reuters", " at ", " in ", " (",  " is ", " was "};
constexpr std::string_view kInfoHan[] = {"来源", "作者", "发布", "时间", "日期", "浏览",
                                         "点击", "编辑", "字号", "阅读", "次数", "分享",
                                         "打印", "记者", "供稿", "访问"};
constexpr std::string_view kTitleClassWords[] = {"title", "biaoti", "headline", "timu"};
constexpr std::string_view kSubtitleClassWords[] = {"subtitle", "sub-title"};
constexpr std::string_view kWeekdayMarkers[] = {"星期", "週", "周", "(星期", "(周"};
constexpr std::string_view kOrdinalSuffixes[] = {"st", "nd", "rd", "th"};
constexpr std::string_view kTimeWords[] = {"uhr"};
constexpr std::string_view kTimeConnectors[] = {"um ", "at ", "à ", "a las ", "alle ", "- ", "| "};
constexpr std::string_view kReplyMarkers[] = {"re:", "回复:", "答复:"};
constexpr std::string_view kBreadcrumbArrows[] = {">", "›", "»", "→"};
constexpr std::string_view kSourceClass[] = {"=source", "^source", "laiyuan", "=from"};
constexpr std::string_view kBreadcrumbClass[] = {"crumb", "=position", "=location", "weizhi",
                                                 "dqwz",  "=path",     "=current",  "mbx",
                                                 "=here", "bread"};
// The verb after the name that opens an author's bio ("Jane Doe is a reporter…", "Jane has
// covered…"): what tells a bio from a sentence that starts with the same words.
constexpr std::string_view kBioVerbs[] = {
    "is",     "was",    "has",         "had",         "writes", "wrote",   "works",  "worked",
    "covers", "joined", "lives",       "loves",       "holds",  "leads",   "serves", "teaches",
    "helps",  "brings", "specializes", "specialises", "began",  "started", "earned", "graduated",
};
constexpr std::string_view kPostedMarkers[] = {"发表于", "發表於", "posted on", "Posted on"};
constexpr std::string_view kEnglishByLabels[] = {"written by ", "posted by ", "authored by ",
                                                 "by ",         "auteur : ",  "auteur: "};
constexpr std::pair<std::string_view, std::string_view> kCreditBrackets[] = {
    {"(", ")"}, {"〔", "〕"}, {"【", "】"}, {"[", "]"}, {"〖", "〗"}};
constexpr std::string_view kArticleTypes[] = {"BlogPosting",          "Report",  "LiveBlogPosting",
                                              "SocialMediaPosting",   "Posting", "WebPage",
                                              "ReportageNewsArticle", "Recipe",  "HowTo"};
}  // namespace

std::span<const std::string_view> author_class_tokens() { return kAuthorClass; }
std::span<const std::string_view> author_archive_paths() { return kAuthorArchivePaths; }
std::span<const std::string_view> date_class_tokens() { return kDateClass; }
std::span<const std::string_view> hidden_class_tokens() { return kHiddenClasses; }
std::span<const std::string_view> latin_name_particles() { return kNameParticles; }
std::span<const std::string_view> not_latin_names() { return kNotLatinNames; }
std::span<const std::string_view> name_like_months() { return kNameLikeMonths; }
std::span<const std::string_view> english_byline_cuts() { return kBylineCuts; }
std::span<const std::string_view> info_line_han_labels() { return kInfoHan; }
std::span<const std::string_view> title_class_words() { return kTitleClassWords; }
std::span<const std::string_view> subtitle_class_words() { return kSubtitleClassWords; }
std::span<const std::string_view> article_types() { return kArticleTypes; }
std::span<const std::string_view> weekday_markers() { return kWeekdayMarkers; }
std::span<const std::string_view> ordinal_suffixes() { return kOrdinalSuffixes; }
std::span<const std::string_view> time_connectors() { return kTimeConnectors; }
std::span<const std::string_view> time_words() { return kTimeWords; }
std::span<const std::string_view> reply_markers() { return kReplyMarkers; }
std::span<const std::string_view> breadcrumb_arrows() { return kBreadcrumbArrows; }
std::span<const std::string_view> english_by_labels() { return kEnglishByLabels; }
std::span<const std::string_view> bio_verbs() { return kBioVerbs; }
std::span<const std::string_view> posted_markers() { return kPostedMarkers; }
std::span<const std::string_view> source_class_tokens() { return kSourceClass; }
std::span<const std::string_view> breadcrumb_class_tokens() { return kBreadcrumbClass; }
std::span<const std::pair<std::string_view, std::string_view>> credit_brackets() {
  return kCreditBrackets;
}

}  // namespace nh::extract::rules
