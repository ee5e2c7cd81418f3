"""Deterministic Chinese news text for the demo portal.

Everything here is original: word lists and sentence templates written for this
project in the register of provincial CPPCC (政协) news. Texts are written with the
full-width punctuation real portals use (，：（）；？％); `normalize()` gives the
form the record contract expects (NFKC, U+2026 kept, whitespace folded).
"""

from __future__ import annotations

import random
import re
import unicodedata

_ELLIPSIS_GUARD = "\ue000"  # private-use code point, never produced by the generator


def normalize(text: str) -> str:
    """NFKC except U+2026, whitespace folded, trimmed (the record convention)."""
    text = text.replace("\u2026", _ELLIPSIS_GUARD)
    text = unicodedata.normalize("NFKC", text)
    text = text.replace(_ELLIPSIS_GUARD, "\u2026")
    text = re.sub(r"[\s\u3000\u00a0]+", " ", text)
    return text.strip()


# --- vocabulary -------------------------------------------------------------

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韦蓝覃农莫陆潘蒙廖邓")
GIVEN = list("建国华明丽军伟芳敏静强磊洋艳勇杰娟涛超霞平刚桂英红玉兰春梅志宏海燕文斌晓东雪松永福")

CITIES = ["青山市", "云岭市", "江州市", "临川市", "白石市", "南屏市", "丰源市", "东兴湾市"]
COUNTIES = ["桂川县", "清溪县", "丰乐县", "河口区", "新安区", "明德县", "石门县", "望海区",
            "龙泉县", "安平县", "凤凰区", "长宁县"]
TOWNS = ["龙塘镇", "古泉乡", "新圩镇", "大桥镇", "平安乡", "红岩镇", "沙坪镇", "石洞乡"]

COMMITTEES = ["提案委员会", "经济委员会", "农业和农村委员会", "人口资源环境委员会",
              "社会和法制委员会", "教科卫体委员会", "文化文史和学习委员会", "民族和宗教委员会"]

TOPICS = ["乡村振兴", "优化营商环境", "生态环境保护", "基层协商民主建设", "职业教育发展",
          "养老服务体系建设", "城市更新", "数字经济发展", "农村人居环境整治", "中小企业纾困",
          "文旅融合发展", "基层医疗卫生服务", "义务教育均衡发展", "民族团结进步", "河湖长制落实",
          "粮食安全", "特色农业产业", "县域经济高质量发展", "公共法律服务", "老旧小区改造"]

ACTIVITIES = ["专题协商会", "调研视察", "民主评议", "委员读书活动", "界别协商会",
              "对口协商会", "提案办理协商会", "远程协商会", "双月协商座谈会"]

MEETINGS = ["全国两会", "省委政协工作会议", "中央政协工作会议", "省委全会",
            "全国地方政协工作经验交流会", "政协全体会议"]

SOURCES = ["示范政协报", "本网", "省政协办公厅", "市政协办公室", "示范日报", "委员工作委员会"]

SLOGANS = ["把论文写在田野上", "用心用情为民代言", "做群众的贴心人", "让建言落地生根",
           "履职尽责显担当", "扎根基层办实事", "以专业之长服务发展大局", "守护一方绿水青山"]

TRADES = ["企业家", "乡村医生", "中学校长", "农业技术员", "律师", "非遗传承人", "社区书记", "工程师"]


def person(rng: random.Random) -> str:
    n = rng.choice((1, 1, 2))
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(n))


# Sentence templates. Slots: {org} {city} {county} {town} {topic} {topic2} {activity}
# {meeting} {leader} {name} {committee} {n} {m} {pct} {trade}
SENTENCES = [
    "{date}，{org}召开{topic}{activity}，围绕“{topic2}”主题深入协商议政。",
    "会议传达学习了{meeting}精神，研究部署下一阶段重点工作。",
    "{leader}指出，要坚持团结和民主两大主题，把协商民主贯穿履职全过程。",
    "{leader}强调，要聚焦{topic}中的难点堵点问题，深入调查研究，提出务实管用的意见建议。",
    "调研组一行先后来到{county}{town}、{city}工业园区等地，实地了解{topic}推进情况。",
    "座谈会上，{n}位政协委员结合各自界别和工作实际踊跃发言，提出意见建议{m}条。",
    "委员们认为，近年来{city}在{topic}方面做了大量工作，取得了阶段性成效。",
    "同时也要看到，{topic}仍面临资金投入不足、专业人才短缺、协同机制不够健全等问题。",
    "为此，委员们建议进一步完善政策支持体系，加大财政投入力度，强化部门协作配合。",
    "今年以来，{org}共收到提案{m}件，经审查立案{k}件，办复率达到{pct}％。",
    "“我们要把群众的‘急难愁盼’作为履职的出发点和落脚点。”政协委员{name}说。",
    "{committee}负责同志介绍，将把委员们的意见建议梳理汇总，形成专报报送党委政府参考。",
    "据了解，{county}政协已在{n}个乡镇建立委员联络站，推动协商议事向基层延伸。",
    "在{town}委员工作室，{name}委员正在接待前来反映情况的群众，认真记录每一条诉求。",
    "下一步，{org}将持续跟踪{topic}相关提案办理情况，推动建议转化为实际成效。",
    "会议要求，各级政协组织要加强自身建设，提高履职能力，在服务大局中展现新作为。",
    "活动中，委员们还与基层干部群众面对面交流，听取对{topic}工作的意见和建议。",
    "{leader}对{city}政协近年来的工作给予充分肯定，希望继续发挥专门协商机构作用。",
    "与会人员一致表示，要以此次活动为契机，进一步增强做好新时代政协工作的责任感和使命感。",
    "截至目前，全市政协委员累计开展各类履职活动{n}场次，参与委员{m}余人次。",
    "“{topic2}事关群众切身利益，政协委员有责任也有能力作出贡献。”{name}表示。",
    "{city}政协还组织{n}名{trade}界委员组成专题小组，深入企业、社区开展调研。",
    "调研发现，部分地区存在重建设轻管理、服务供给与群众需求不匹配等现象……",
    "委员们建议，要强化数字赋能，推动{topic}相关数据互联互通、业务协同办理。",
    "会上还通报了{date}以来重点提案督办情况，{m}件重点提案已全部办结。",
    "本次协商活动采取“线上+线下”方式进行，{n}名委员通过网络议政平台参与讨论。",
    "{org}党组书记、主席{name}主持会议并讲话。",
    "{committee}有关负责同志，部分政协委员和相关部门负责同志参加活动。",
]

NOTICE_SENTENCES = [
    "各位委员、各有关单位：",
    "经研究，定于{date}召开政协{city}委员会{topic2}专题会议，现将有关事项通知如下。",
    "一、会议时间：{date}上午9：00，会期半天。",
    "二、会议地点：{city}政协机关{n}楼会议室。",
    "三、参加人员：政协主席、副主席、秘书长，各专门委员会主任，部分政协委员。",
    "四、请各位委员提前做好工作安排，准时参加会议；确因特殊情况不能参加的，请向机关办公室请假。",
    "五、联系人：{name}，联系电话：0771—{phone}。",
    "根据工作安排，现就{topic}相关工作公开征集意见建议，征集时间为{n}个工作日。",
    "欢迎社会各界人士通过来信、电子邮件等方式积极建言献策。",
    "特此通知。",
]

TITLE_TEMPLATES = {
    "szdt": ["{city}政协党组传达学习{meeting}精神", "{leader_short}率队赴{city}调研{topic}工作",
             "{org}召开{topic}{activity}", "凝心聚力谋发展 协商议政促{short}",
             "{city}政协常委会审议通过{topic}工作报告", "{org}部署{topic}民主监督工作"],
    "xsyz": ["{city}政协就{topic}开展专题协商", "聚焦{topic} 委员建言献策",
             "{activity}助推{topic}提质增效", "围绕{topic}协商议政 {org}凝聚共识",
             "{committee}开展{topic}对口协商"],
    "wyfc": ["{name}：{slogan}", "履职为民 {name}委员的{short}情怀", "{trade}委员{name}的履职故事",
             "{name}委员：在{topic}一线建言献策"],
    "sxzx": ["{county}政协：{activity}助力{topic}", "{county}政协推动委员联络站建设见实效",
             "{county}政协开展“{short}”主题履职活动", "{city}{county}政协视察{topic}工作"],
    "tzgg": ["关于召开政协{city}委员会{short}专题会议的通知", "关于征集{year}年度重点提案线索的公告",
             "关于开展{topic}民主监督工作的通知", "{year}年度优秀提案评选结果公示"],
    "epaper": ["{org}深入推进{topic}", "协商于民 {short}见真章", "{city}：{topic}跑出加速度",
               "{county}委员工作室里的{short}故事"],
}

SHORTS = ["乡村振兴", "共同富裕", "民生改善", "绿色发展", "高质量发展", "基层治理", "营商环境", "文化传承"]

SUBTITLES = ["——{city}政协{activity}侧记", "——访政协委员{name}", "——{county}政协推进{short}工作纪实",
             "——{org}开展“{short}”主题活动综述"]


class TextGen:
    """Deterministic generator: same seed, same texts."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def _slots(self, date_text: str) -> dict:
        r = self.rng
        city = r.choice(CITIES)
        d = {
            "city": city,
            "county": r.choice(COUNTIES),
            "town": r.choice(TOWNS),
            "org": r.choice([city + "政协", "政协" + city + "委员会", "省政协", r.choice(COUNTIES) + "政协"]),
            "topic": r.choice(TOPICS),
            "topic2": r.choice(TOPICS),
            "activity": r.choice(ACTIVITIES),
            "meeting": r.choice(MEETINGS),
            "leader": r.choice(["省政协主席", "市政协主席", "市政协副主席", "省政协副主席", "市政协秘书长"]) + person(r),
            "leader_short": r.choice(["省政协领导", "市政协主要领导", "省政协调研组", "市政协视察团"]),
            "name": person(r),
            "committee": r.choice(COMMITTEES),
            "n": r.randint(3, 60),
            "m": r.randint(5, 200),
            "pct": r.randint(80, 100),
            "trade": r.choice(TRADES),
            "slogan": r.choice(SLOGANS),
            "short": r.choice(SHORTS),
            "year": r.choice([2020, 2021]),
            "date": date_text,
            "phone": r.randint(2000000, 8999999),
        }
        d["k"] = r.randint(max(1, d["m"] // 2), d["m"])
        return d

    def title(self, section: str, date_text: str) -> tuple[str, str | None]:
        s = self._slots(date_text)
        title = self.rng.choice(TITLE_TEMPLATES[section]).format(**s)
        subtitle = None
        if section not in ("tzgg",) and self.rng.random() < 0.25:
            subtitle = self.rng.choice(SUBTITLES).format(**s)[2:]
        return title, subtitle

    def paragraphs(self, section: str, date_text: str, lo: int = 3, hi: int = 10) -> list[str]:
        """3-10 paragraphs of 2-4 sentences; no sentence template twice in one article
        until the deck runs out; the first paragraph opens with the dated lead sentence."""
        r = self.rng
        if section == "tzgg":
            return self._notice(date_text)
        count = r.randint(lo, hi)
        deck: list[str] = []
        out = []
        for i in range(count):
            s = self._slots(date_text)
            k = r.randint(2, 4)
            picked = [SENTENCES[0]] if i == 0 else []
            while len(picked) < k:
                if not deck:
                    deck = SENTENCES[1:]
                    r.shuffle(deck)
                picked.append(deck.pop())
            out.append("".join(t.format(**s) for t in picked))
        return out

    def _notice(self, date_text: str) -> list[str]:
        """Notices keep their real order: salutation, numbered items, closing, signature."""
        r = self.rng
        s = self._slots(date_text)
        items = [t.format(**s) for t in NOTICE_SENTENCES]
        out = [items[0], items[1]] if r.random() < 0.6 else [items[0], items[7] + items[8]]
        if len(out[1]) < 60:
            out += items[2:2 + r.randint(2, 5)]
        out.append(items[9])
        out.append("政协" + s["city"] + "委员会办公室")
        return out

    def person(self) -> str:
        return person(self.rng)
