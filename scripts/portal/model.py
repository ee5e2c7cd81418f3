"""The demo portal: a model of articles and sections, rendered to pages in memory.

`Site` holds every article (with its expected record), renders every page of both
virtual hosts into `resources`, and builds the manifest. It can publish new
articles and switch the article template; the server calls `render()` again after
each change and only pages whose bytes changed get a new ETag / Last-Modified.

URLs inside pages use two placeholders, replaced when a page is served: `@@BASE@@`
(the main host's origin as the client addressed it) and `@@MIRROR@@` (the mirror
host's origin). Files written to disk and the on-disk manifest use the canonical
origins http://demo.portal.test and http://www.gxzx-mirror.test.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from . import templates
from .textgen import TextGen, normalize

MAIN_HOST = "demo.portal.test"
MIRROR_HOST = "www.gxzx-mirror.test"
SITE_NAME = "示范政协新闻网"
MIRROR_NAME = "政协资讯转载网"
BASE = "@@BASE@@"
MIRROR = "@@MIRROR@@"
CANONICAL_ORIGINS = {BASE: "http://" + MAIN_HOST, MIRROR: "http://" + MIRROR_HOST}
TZ = dt.timezone(dt.timedelta(hours=8))
PAGE_SIZE = 15

# slug, name, family, list style, article count, charset
SECTIONS = [
    dict(slug="szdt", name="时政动态", family="trs", style="trs", count=70, charset="utf-8"),
    dict(slug="xsyz", name="协商议政", family="phpcms", style="phpcms", count=60, charset="utf-8", catid=12),
    dict(slug="wyfc", name="委员风采", family="dede", style="dede", count=60, charset="gbk", typeid=3),
    dict(slug="sxzx", name="市县政协", family="hanweb", style="hanweb", count=60, charset="utf-8", colid=15),
    dict(slug="tzgg", name="通知公告", family="trs", style="nextonly", count=40, charset="utf-8"),
    dict(slug="epaper", name="数字报", family="founder", style="epaper", count=30, charset="utf-8"),
]
SECTION_BY_SLUG = {s["slug"]: s for s in SECTIONS}

ROLE_WORDS = {  # label shown on the page -> record role
    "本报记者": "reporter", "记者": "reporter", "通讯员": "correspondent", "实习生": "intern",
    "摄": "photographer", "摄影": "photographer", "文": "author", "作者": "author",
    "编辑": "editor", "责任编辑": "editor", "审核": "reviewer", "校对": "reviewer",
}
SEED_ID = 1234
SEED_DATE = dt.date(2021, 5, 26)


@dataclass
class Credit:
    label: str  # as shown: 本报记者, 通讯员, 文, 摄, 责任编辑 ...
    name: str

    @property
    def role(self) -> str:
        return ROLE_WORDS[self.label]


@dataclass
class Article:
    id: int
    slug: str  # section slug, or "mirror"
    family: str
    date: dt.date
    time: str | None  # "09:30" or "09:30:15" when the page shows a time
    title: str
    subtitle: str | None
    pages: list[list[str]]  # raw paragraphs (full-width punctuation) per page
    source: str | None
    info_credits: list[Credit] = field(default_factory=list)  # in the info line
    top_credits: list[Credit] = field(default_factory=list)  # line above the body
    end_credits: list[Credit] = field(default_factory=list)  # line after the body
    editor_credits: list[Credit] = field(default_factory=list)  # （责任编辑：Z） line
    host: str = BASE
    seed: bool = False
    images: bool = False
    duplicate_of: str | None = None  # reprints: canonical URL of the original
    alternates: list[dict] = field(default_factory=list)  # {"path", "canonical_link"}
    published_seq: int = 0  # >0 for articles added by /__admin/publish
    revised: float = 0.0  # unix time of the last correction (/__admin/revise); 0 = never

    def lastmod(self) -> float:
        """The sitemap's <lastmod> and the page's Last-Modified: publication or last correction."""
        return max(self.timestamp(), self.revised)

    # -- URLs -------------------------------------------------------------
    def page_paths(self) -> list[str]:
        d = self.date
        n = len(self.pages)
        if self.family == "trs":
            base = f"/{self.slug}/{d:%Y%m}/t{d:%Y%m%d}_{self.id}"
            return [base + ".html"] + [f"{base}_{k}.html" for k in range(2, n + 1)]
        if self.family == "phpcms":
            return [f"/{self.slug}/show-{SECTION_BY_SLUG[self.slug]['catid']}-{self.id}.html"]
        if self.family == "dede":
            base = f"/a/{d:%Y%m%d}/{self.id}"
            return [base + ".html"] + [f"{base}_{k}.html" for k in range(2, n + 1)]
        if self.family == "hanweb":
            return [f"/art/{d.year}/{d.month}/{d.day}/art_{SECTION_BY_SLUG[self.slug]['colid']}_{self.id}.html"]
        if self.family == "founder":
            return [f"/html/{d:%Y-%m}/{d:%d}/content_{self.id}.htm"]
        if self.family == "mirror":
            return [f"/news/{d:%Y}/{d:%m%d}/{self.id}.html"]
        raise ValueError(self.family)

    @property
    def path(self) -> str:
        return self.page_paths()[0]

    @property
    def url(self) -> str:
        return self.host + self.path

    @property
    def section_name(self) -> str:
        return "政协要闻" if self.slug == "mirror" else SECTION_BY_SLUG[self.slug]["name"]

    @property
    def charset(self) -> str:
        return "gbk" if self.slug != "mirror" and SECTION_BY_SLUG[self.slug]["charset"] == "gbk" else "utf-8"

    def date_text(self) -> str:
        """The date as the info line shows it."""
        if self.family == "founder":
            return f"{self.date:%Y年%m月%d日}"
        return f"{self.date:%Y-%m-%d}" + (" " + self.time if self.time else "")

    def published_at(self) -> str:
        # Founder e-paper pages show only the date (date_text): a reader sees no time there.
        if not self.time or self.family == "founder":
            return f"{self.date:%Y-%m-%d}"
        t = self.time if self.time.count(":") == 2 else self.time + ":00"
        return f"{self.date:%Y-%m-%d}T{t}+08:00"

    def timestamp(self) -> float:
        t = (self.time or "08:00") + ("" if (self.time or "08:00").count(":") == 2 else ":00")
        h, m, s = (int(x) for x in t.split(":"))
        return dt.datetime(self.date.year, self.date.month, self.date.day, h, m, s, tzinfo=TZ).timestamp()

    def credits(self) -> list[Credit]:
        return self.info_credits + self.top_credits + self.end_credits + self.editor_credits

    def expected(self) -> dict:
        contributors = [{"name": c.name, "role": c.role} for c in self.credits()]
        body = [normalize(p) for page in self.pages for p in page]
        return {
            "url": None,  # filled with the origin by the manifest writer
            "site": MIRROR_NAME if self.host == MIRROR else SITE_NAME,
            "section": self.section_name,
            "title": normalize(self.title),
            "subtitle": normalize(self.subtitle) if self.subtitle else None,
            "published_at": self.published_at(),
            "reporters": [c["name"] for c in contributors if c["role"] in ("reporter", "author")],
            "contributors": contributors,
            "source": normalize(self.source) if self.source else None,
            "body": "\n".join(p for p in body if p),
            "language": "zh",
            "charset": "gb18030" if self.charset == "gbk" else "utf-8",
        }


@dataclass
class Resource:
    body: bytes  # with @@BASE@@ / @@MIRROR@@ placeholders
    ctype: str
    last_modified: float = 0.0


def _fullwidth(text: str) -> str:
    """The seed text is stored NFKC'd; give the page the full-width punctuation it had."""
    table = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "(": "（", ")": "）", "!": "！"})
    return text.translate(table)


# The sample article is the project's own mission page; a copy of its record body is
# embedded so the portal does not depend on ../shared being present.
from .seed_text import SEED_PARAGRAPHS  # noqa: E402


class Site:
    def __init__(self, seed: int = 20210526, faults: bool = False, template: str = "v1",
                 crawl_delay: str = "0.1", per_section: int | None = None):
        self.seed = seed
        self.faults = faults
        self.template = template
        self.crawl_delay = crawl_delay
        self.rng = random.Random(seed)
        self.text = TextGen(seed)
        self.articles: list[Article] = []
        self.next_id = 1001
        self.clock = dt.datetime(2021, 7, 1, 8, 0, 0, tzinfo=TZ)  # the site's "now"
        self.publish_count = 0
        self.resources: dict[tuple[str, str], Resource] = {}
        self.titles: set[str] = {"互学互促共提升"}
        self._build(per_section)

    # -- model --------------------------------------------------------------
    def _new_id(self) -> int:
        while True:
            i = self.next_id
            self.next_id += 1
            if i != SEED_ID:
                return i

    def _credits(self) -> tuple[list, list, list, list]:
        r, p = self.rng, self.text.person
        style = r.randrange(9)
        info, top, end, editor = [], [], [], []
        if style == 1:
            end = [Credit("本报记者", p()), Credit("通讯员", p())]
        elif style == 2:
            top = [Credit("记者", p())] + ([Credit("实习生", p())] if r.random() < 0.4 else [])
        elif style == 3:
            editor = [Credit("责任编辑", p())]
        elif style == 4:
            end = [Credit("文", p()), Credit("摄", p())]
        elif style == 5:
            info = [Credit("作者", p())]
            editor = [Credit("编辑", p()), Credit("审核", p())]
        elif style == 6:
            end = [Credit("本报记者", p())]
            editor = [Credit("责任编辑", p())]
        elif style == 7:
            top = [Credit("记者", p()), Credit("记者", p())]
        elif style == 8:
            end = [Credit("通讯员", p()), Credit("通讯员", p())]
            editor = [Credit("校对", p())]
        return info, top, end, editor

    def _make_article(self, slug: str, date: dt.date, npages: int = 1) -> Article:
        sec = SECTION_BY_SLUG[slug] if slug != "mirror" else dict(family="mirror")
        r = self.rng
        date_text = f"{date.month}月{date.day}日"
        for _ in range(50):  # titles are unique across the site (a crawler may key on them)
            title, subtitle = self.text.title(slug if slug != "mirror" else "szdt", date_text)
            if title not in self.titles:
                break
        self.titles.add(title)
        lo, hi = (3, 10) if npages == 1 else (3 * npages, 4 * npages)
        paras = self.text.paragraphs(slug if slug != "mirror" else "szdt", date_text, lo, hi)
        if npages > 1:
            cut = [round(len(paras) * k / npages) for k in range(npages + 1)]
            pages = [paras[cut[k]:cut[k + 1]] for k in range(npages)]
        else:
            pages = [paras]
        time = None
        if r.random() < 0.5:
            time = f"{r.randint(7, 21):02d}:{r.randint(0, 59):02d}"
            if r.random() < 0.4:
                time += f":{r.randint(0, 59):02d}"
        source = None if r.random() < 0.3 else r.choice(["示范政协报", "本网", "省政协办公厅", "市政协办公室", "示范日报"])
        if sec["family"] == "founder":
            source = None
        if slug == "tzgg":
            source = "省政协办公厅"
        info, top, end, editor = self._credits() if slug != "tzgg" else ([], [], [], [])
        return Article(id=self._new_id(), slug=slug, family=sec["family"], date=date, time=time,
                       title=title, subtitle=subtitle, pages=pages, source=source,
                       info_credits=info, top_credits=top, end_credits=end, editor_credits=editor,
                       images=r.random() < 0.2)

    def _build(self, per_section: int | None) -> None:
        r = self.rng
        start = dt.date(2021, 1, 4)
        span = (dt.date(2021, 6, 30) - start).days
        multipage = {"szdt": [2, 3, 2, 3], "wyfc": [2, 2]}
        for sec in SECTIONS:
            n = per_section or sec["count"]
            if sec["slug"] == "epaper":
                issues = sorted(r.sample(range(span), max(1, n // 3)))
                dates = [start + dt.timedelta(days=issues[i // 3 % len(issues)]) for i in range(n)]
            else:
                dates = [start + dt.timedelta(days=r.randrange(span)) for _ in range(n)]
            mp = list(multipage.get(sec["slug"], []))
            for i, d in enumerate(sorted(dates)):
                npages = mp.pop() if mp and i % 9 == 4 else 1
                self.articles.append(self._make_article(sec["slug"], d, npages))
        # the sample article, in 时政动态, as the mission page shows it
        seed = Article(id=SEED_ID, slug="szdt", family="trs", date=SEED_DATE, time=None,
                       title="互学互促共提升", subtitle="百色市全市政协主席工作经验交流会侧记",
                       pages=[[_fullwidth(p) for p in SEED_PARAGRAPHS]], source=None,
                       end_credits=[Credit("本报记者", "黄富强"), Credit("通讯员", "农喜养")], seed=True)
        seed.alternates.append({"path": f"/szdt/show.php?id={SEED_ID}", "canonical_link": False})
        self.articles.append(seed)
        # one 协商议政 story is also served by PHPCMS's dynamic URL, with rel=canonical
        xs = [a for a in self.articles if a.slug == "xsyz"]
        dup = xs[len(xs) // 2]
        dup.alternates.append({"path": f"/index.php?m=content&c=index&a=show&catid=12&id={dup.id}",
                               "canonical_link": True})
        # the mirror host: two stories of its own and a reprint of the sample article
        for k in range(2):
            m = self._make_article("mirror", dt.date(2021, 5, 20 + k * 4))
            m.host = MIRROR
            self.articles.append(m)
        rep = Article(id=self._new_id(), slug="mirror", family="mirror", date=dt.date(2021, 5, 27),
                      time="10:12", title=seed.title, subtitle=seed.subtitle, pages=seed.pages,
                      source="广西政协报", end_credits=list(seed.end_credits),
                      editor_credits=[Credit("责任编辑", "周晓")], host=MIRROR, duplicate_of=seed.url)
        self.articles.append(rep)
        self._sort()

    def _sort(self) -> None:
        self.articles.sort(key=lambda a: (-a.timestamp(), -a.id))

    def section_articles(self, slug: str) -> list[Article]:
        return [a for a in self.articles if a.slug == slug]

    def publish(self, n: int) -> list[Article]:
        """Add n new articles at the top of the list sections (round-robin); advance the clock."""
        self.clock += dt.timedelta(days=1)
        slugs = [s["slug"] for s in SECTIONS if s["slug"] != "epaper"]
        new = []
        for k in range(n):
            slug = slugs[(self.publish_count + k) % len(slugs)]
            a = self._make_article(slug, self.clock.date())
            a.time = f"{8 + (k % 10):02d}:{(k * 7) % 60:02d}"
            a.published_seq = self.publish_count + k + 1
            new.append(a)
        self.publish_count += n
        self.articles.extend(new)
        self._sort()
        return new

    def revise(self, n: int) -> list[Article]:
        """Correct the n newest single-page articles of the main host now (real time): a
        paragraph is added at the end and their <lastmod> moves to the time of the correction."""
        now = time.time()
        out = [a for a in self.articles if a.host == BASE and len(a.pages) == 1 and not a.alternates][:n]
        for a in out:
            a.pages[-1] = a.pages[-1] + ["（更正：本文有关数据已于今日核实更新。）"]
            a.revised = now
        return out

    def set_template(self, family: str) -> None:
        if family not in ("v1", "v2", "app"):
            raise ValueError(family)
        if family != self.template:
            self.template = family
            self.clock += dt.timedelta(hours=1)

    # -- lists --------------------------------------------------------------
    def list_pages(self, slug: str) -> list[str]:
        """First-page-first URLs (paths) of a section's list pages."""
        sec = SECTION_BY_SLUG[slug]
        n = len(self.section_articles(slug))
        if sec["style"] == "epaper":
            return ["/epaper/index.html"]
        npages = max(1, (n + PAGE_SIZE - 1) // PAGE_SIZE)
        out = []
        for k in range(1, npages + 1):
            if sec["style"] == "trs":
                out.append(f"/{slug}/index.html" if k == 1 else f"/{slug}/index_{k - 1}.html")
            elif sec["style"] == "phpcms":
                q = f"/index.php?m=content&c=index&a=lists&catid={sec['catid']}"
                out.append(q if k == 1 else f"{q}&page={k}")
            elif sec["style"] == "dede":
                out.append(f"/{slug}/index.html" if k == 1 else f"/{slug}/list_{sec['typeid']}_{k}.html")
            elif sec["style"] == "hanweb":
                p = f"/col/col{sec['colid']}/index.html"
                out.append(p if k == 1 else f"{p}?page={k}")
            elif sec["style"] == "nextonly":
                out.append(f"/{slug}/index.html" if k == 1 else f"/{slug}/list_{k}.html")
        return out

    def issues(self) -> dict[dt.date, list[Article]]:
        out: dict[dt.date, list[Article]] = {}
        for a in sorted(self.section_articles("epaper"), key=lambda a: a.id):
            out.setdefault(a.date, []).append(a)
        return dict(sorted(out.items(), reverse=True))

    def fault_links(self) -> list[dict]:
        if not self.faults:
            return []
        seed = f"/szdt/{SEED_DATE:%Y%m}/t{SEED_DATE:%Y%m%d}_{SEED_ID}.html"
        return [
            {"path": "/__fault/503", "expect": "503 every time"},
            {"path": "/__fault/429", "expect": "429 with Retry-After: 1"},
            {"path": "/__fault/404", "expect": "404"},
            {"path": "/__fault/flaky?key=list&fails=2&to=" + urllib.parse.quote(seed, safe=""),
             "expect": "503 twice, then 301 to the sample article"},
            {"path": "/__fault/redirect/3?to=" + urllib.parse.quote(seed, safe=""),
             "expect": "3 redirects, then the sample article"},
            {"path": "/__fault/loop/a", "expect": "redirect loop"},
            {"path": "/__fault/truncated", "expect": "Content-Length larger than the body, then close"},
            {"path": "/__fault/slow?chunks=5&delay=200", "expect": "200 trickled over ~1 s"},
            {"path": "/__fault/reset", "expect": "connection reset, no response"},
            {"path": "/__fault/stall?seconds=10", "expect": "headers, then nothing for 10 s, then close"},
            {"path": "/__fault/oversized?mb=20", "expect": "20 MiB body"},
            {"path": "/__fault/wrong-charset", "expect": "GBK bytes labelled utf-8"},
        ]

    # -- rendering ------------------------------------------------------------
    def render(self) -> dict[tuple[str, str], Resource]:
        """Render every page; keep Last-Modified of pages whose bytes did not change."""
        pages = templates.render_site(self)
        now = self.clock.timestamp()
        old = self.resources
        out = {}
        for key, (body, ctype, lm) in pages.items():
            prev = old.get(key)
            if prev is not None and prev.body == body:
                out[key] = prev
            else:
                # new pages keep their own date (articles: publication time); changed pages: the clock
                out[key] = Resource(body, ctype, now if prev is not None or not lm else lm)
        self.resources = out
        return out

    def manifest(self) -> dict:
        arts = []
        for a in self.articles:
            exp = a.expected()
            exp["url"] = a.url
            arts.append({
                "url": a.url,
                "host": MIRROR_HOST if a.host == MIRROR else MAIN_HOST,
                "family": a.family,
                "section_slug": a.slug,
                "pages": [a.host + p for p in a.page_paths()],
                "alternates": [{"url": a.host + x["path"], "canonical_link": x["canonical_link"]}
                               for x in a.alternates],
                "duplicate_of": a.duplicate_of,
                "published_seq": a.published_seq,
                "expected": exp,
            })
        lists = {}
        for s in SECTIONS:
            lists[s["slug"]] = {"name": s["name"], "style": s["style"], "charset": s["charset"],
                                "family": s["family"],
                                "pages": [BASE + p for p in self.list_pages(s["slug"])]}
        lists["epaper"]["issues"] = [BASE + templates.issue_path(d) for d in self.issues()]
        return {
            "site": SITE_NAME,
            "hosts": {"main": MAIN_HOST, "mirror": MIRROR_HOST},
            "origins": {"main": BASE, "mirror": MIRROR},
            "gen_seed": self.seed,
            "template": self.template,
            "faults_enabled": self.faults,
            "publish_count": self.publish_count,
            "clock": self.clock.isoformat(),
            "article_count": len(arts),
            "articles": arts,
            "duplicates": [{"url": a.host + x["path"], "canonical": a.url, "canonical_link": x["canonical_link"]}
                           for a in self.articles for x in a.alternates],
            "reprints": [{"url": a.url, "duplicate_of": a.duplicate_of} for a in self.articles if a.duplicate_of],
            "lists": lists,
            "robots": {"disallow": ["/admin/", "/search/", "/__admin/"], "crawl_delay_newsharvest": self.crawl_delay,
                       "crawl_delay_default": "1", "linked_disallowed": [BASE + "/admin/login.php",
                                                                        BASE + "/search/?q=%E6%94%BF%E5%8D%8F"]},
            "feeds": {"sitemap": BASE + "/sitemap.xml", "rss": BASE + "/rss.xml",
                      "mirror_sitemap": MIRROR + "/sitemap.xml"},
            "fault_links": [dict(x, url=BASE + x["path"]) for x in self.fault_links()],
        }

    # -- disk ---------------------------------------------------------------
    def write(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        for (host, pq), res in self.resources.items():
            rel = pq.lstrip("/")
            if not rel or rel.endswith("/"):
                rel += "index.html"
            rel = rel.replace("?", "%3F")
            p = root / host / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(substitute(res.body, None))
        m = json.dumps(self.manifest(), ensure_ascii=False, indent=1)
        (root / "manifest.json").write_text(substitute_text(m, None), encoding="utf-8")


def origins_for(host_header: str | None) -> dict[str, str]:
    """Map placeholders to origins as the client addressed the server (None: canonical)."""
    if not host_header:
        return dict(CANONICAL_ORIGINS)
    h = host_header.strip().lower()
    name, _, port = h.rpartition(":") if ":" in h and not h.endswith("]") else (h, "", "")
    suffix = ":" + port if port and port != "80" else ""
    if name in (MAIN_HOST, MIRROR_HOST):
        return {BASE: "http://" + MAIN_HOST + suffix, MIRROR: "http://" + MIRROR_HOST + suffix}
    # 127.0.0.1:PORT, localhost:PORT ... : the main host is whatever the client used
    return {BASE: "http://" + h, MIRROR: "http://" + MIRROR_HOST + suffix}


def substitute(body: bytes, host_header: str | None) -> bytes:
    if b"@@" not in body:
        return body
    for k, v in origins_for(host_header).items():
        body = body.replace(k.encode(), v.encode())
    return body


def substitute_text(text: str, host_header: str | None) -> str:
    for k, v in origins_for(host_header).items():
        text = text.replace(k, v)
    return text


def esc(s: str) -> str:
    return html.escape(s, quote=True)
