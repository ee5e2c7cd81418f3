"""The Scrapy side of scripts/bench/crawl.sh: follow every link of the benchmark site; on
article pages (/a/N.html) either do nothing more (BENCH_MODE=fetch) or extract the article with
readability-lxml (BENCH_MODE=readability), as a Scrapy project reading news would.

run: scrapy runspider scrapy_spider.py -a start=http://127.0.0.1:PORT/ -s CONCURRENT_REQUESTS=N
"""
import os

import scrapy

MODE = os.environ.get("BENCH_MODE", "fetch")
if MODE == "readability":
    from readability import Document


class BenchSpider(scrapy.Spider):
    name = "bench"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }

    def __init__(self, start, **kw):
        super().__init__(**kw)
        self.start_urls = [start]
        self.articles = 0

    def parse(self, response):
        if "/a/" in response.url:
            self.articles += 1
            if MODE == "readability":
                doc = Document(response.text)
                yield {"url": response.url, "title": doc.short_title(), "body": doc.summary()}
            return
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)

    def closed(self, reason):
        print("ARTICLES %d" % self.articles, flush=True)
