"""Narrative vocabularies as data: channels, units, verbs, qualifiers, categories.

Everything the narrative stage knows about wording lives here (template.md §7.1, §7.2),
so a new surface form is a one-line change. Order matters where noted: the
first matching rule wins.
"""
from __future__ import annotations

import re

# --- channels (template.md §7.1, mapped onto the contract's CHANNELS) --------
# surface form -> channel key. Longer forms are matched first, so "微信公众号"
# wins over "微信" and "政务新媒体" over "媒体".
CHANNEL_TERMS: dict[str, str] = {}


def _add(channel: str, *terms: str) -> None:
    for t in terms:
        CHANNEL_TERMS[t] = channel


_add("website", "政府门户网站", "门户网站", "政府网站", "部门网站", "官方网站", "官网", "网站",
     "政府信息公开平台", "政府信息公开专栏", "信息公开专栏", "政务公开专栏", "公开专栏", "专栏",
     "政府信息公开目录", "信息公开目录", "信息公开网", "政府公开网", "政务公开网", "政务服务网",
     "公开网", "文件库", "政策文件库", "栏目")
_add("weibo", "政务微博", "官方微博", "微博号", "微博")
_add("wechat", "微信公众号", "政务微信", "官方微信", "微信公众平台", "公众号", "服务号", "订阅号", "微信")
_add("douyin", "政务抖音", "抖音号", "抖音")
_add("toutiao", "今日头条", "头条号")
_add("kuaishou", "快手号", "快手")
_add("video", "微信视频号", "视频号", "哔哩哔哩", "西瓜视频")
_add("app", "手机客户端", "移动客户端", "客户端", "APP", "App", "app", "移动端", "小程序")
_add("press_conference", "新闻发布会", "新闻发布活动", "政策吹风会", "吹风会", "新闻通气会", "发布会")
_add("gazette", "政府公报", "公报")
_add("media", "新闻媒体", "主流媒体", "中央媒体", "省级媒体", "各级媒体", "媒体")
_add("hotline", "电话咨询", "咨询电话", "热线电话", "12345政务服务便民热线", "12345政务服务热线", "12345热线", "市长热线", "便民热线",
     "服务热线", "热线")
_add("other", "媒体记者", "宣讲会", "宣传活动", "简报", "短信平台", "政务新媒体", "新媒体平台", "新媒体", "百家号", "企鹅号", "网易号", "学习强国号",
     "在线访谈", "访谈", "直播", "公开栏", "公示栏", "查阅点", "查阅室", "电子显示屏",
     "政府开放日", "开放日", "便民服务中心")

# Regex forms the phrase list cannot hold: named apps and gazettes, "@XX发布".
CHANNEL_REGEXES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"《[^《》]{1,20}公报》"), "gazette"),
    (re.compile(r"掌上[\u4e00-\u9fff]{1,6}"), "app"),
    (re.compile(r"@[\u4e00-\u9fff]{1,10}发布"), "weibo"),
    (re.compile(r"[”\"]网(?=[^\u4e00-\u9fff]|[主公发更通上集])"), "website"),
    (re.compile(r"[“\"][\u4e00-\u9fff]{2,8}[”\"]号"), "other"),
]

# "媒体" inside "新媒体"/"自媒体" is not the news-media channel.
NOT_MEDIA_BEFORE = ("新", "自")

# --- units ----------------------------------------------------------------
# Longest first; "篇/次" and "篇次" normalise to "篇次".
UNITS = ("篇/次", "件/次", "条/次", "人/次", "篇次", "件次", "条次", "人次", "场次", "期次",
         "余条", "条", "件", "篇", "次", "期", "场", "个", "项", "份", "人", "家", "部", "批",
         "本", "册", "幅", "张", "封", "户", "套", "类", "名", "起", "例", "单", "则", "处", "条（篇）", "篇（条）", "条(篇)", "篇(条)")
UNIT_NORMALISE = {"篇/次": "篇次", "件/次": "件次", "条/次": "条次", "人/次": "人次"}
# A unit followed by these is a different word: 3个月, 一次性, 5个工作日, 2件事.
UNIT_BLOCKERS = ("个月", "个工作日", "个小时", "次性", "件事", "名单", "类别", "类型",
                 "场所", "期间", "期限", "期刊", "项目", "家庭", "户籍", "本级", "本年", "份额",
                 "批次", "张贴", "例会", "起草", "人员", "人民", "人大", "人社", "部署",
                 "部分", "单位", "单元", "名称", "条例", "条件", "条款", "件数", "篇幅", "次数",
                 "套餐", "家族", "本人", "本单位", "本机关", "项工作", "个平台", "个渠道",
                 "个环节", "个层级", "个版块", "个栏目", "处理", "处室", "则是")
# A count after these is a rate, not a total ("日均访问量约3,500人次", "每周推送3期").
RATE_MARKERS = ("每日", "每天", "每周", "每月", "每季度", "每年")

# --- counting verbs (the last one before a number is the quantity's verb) ---
VERBS = ("主动公开", "公开发布", "发布", "公开", "推送", "更新", "刊发", "刊登", "刊载", "转载", "转发",
         "编发", "上线", "报道", "采用", "播发", "编印", "印发", "制发", "制定", "出台", "解读",
         "回复", "答复", "办结", "办理", "受理", "新收", "收到", "接收", "接到", "召开", "举办",
         "组织", "开展", "开设", "开通", "制作", "推出", "录入", "归集", "梳理", "审查", "清理",
         "废止", "上传", "推送", "发送", "接听", "处理", "征集", "收集", "公示", "回答", "邀请", "发放",
         "撤下", "聘请", "设置", "解答", "参加", "出版", "刊出", "报送", "回应", "刊播", "收录", "修订",
         "播出", "提交", "合作", "审核", "整改", "发表", "播报", "登载", "推出")

# Nouns that contain a counting verb: never the verb of a count.
NOUNS_WITH_VERBS = re.compile(r"法定主动公开|政务公开|信息公开|依申请公开|公开申请|公开目录|公开专栏|公开平台|公开网|新闻发布|"
                              r"发布会|政策解读|解读材料|办理结果|答复书|公开栏|公示栏|转发量|转发评论|评论量|"
                              r"参训|参会|报送信息|整改情况|回应信息|回应关切|其他组织|社会组织|组织机构|党组织|组织领导")

# --- qualifiers -------------------------------------------------------------
LOWER_BOUND_BEFORE = ("超过", "逾", "多于", "不少于", "超")
APPROX_BEFORE = ("近", "约", "将近", "大约")
LOWER_BOUND_AFTER = ("余", "多", "以上")
APPROX_AFTER = ("左右",)

# --- period and scope -------------------------------------------------------
# "现行有效1,268件" is a stock at year end, like 现有
CUMULATIVE_MARKERS = ("累计", "现有", "累积", "现行有效")
ANNUAL_MARKERS = ("全年", "本年", "年内", "今年", "当年", "年度")
# "截至2023年12月31日(下同)" states the report's reference date, not a running total.
REFERENCE_DATE = re.compile(r"(截至|截止)[^，。；]{0,20}?[(（]下同[)）]")
CUTOFF = re.compile(r"(截至|截止)(目前|当前|年底|年末|\d{4}年)")
AGGREGATE = re.compile(r"全(市|省|区|县|州|盟|旗|镇)(各级|各部门|各单位|各县|各乡镇|政府系统|行政机关|范围内)"
                       r"|各级行政机关|各级政府")

# --- categories (first rule that matches wins) --------------------------------
# Each rule: (category, where to look, regex). "label" looks at the counted noun,
# "clause" at the clause text up to the number, "unit" at the unit.
CATEGORY_RULES: list[tuple[str, str, re.Pattern]] = [
    ("other", "label", re.compile(r"转发量|评论量|转发评论|点赞|获赞|留言量")),
    ("followers", "label", re.compile(r"粉丝|关注|订阅(用户|人数|量)|用户(数|量)|注册用户")),
    ("views", "label", re.compile(r"阅读|播放|访问|浏览|点击|观看")),
    ("consultations", "label", re.compile(r"咨询|留言|诉求|工单|来电|来信|关切")),
    ("consultations", "verb", re.compile(r"^(解答|回应)$")),
    ("requests_carried", "clause", re.compile(r"上年(度)?结转")),
    ("requests_new", "clause", re.compile(r"(新收|收到|受理|接收|接到)[^，。；]{0,12}申请")),
    ("requests_answered", "clause", re.compile(r"(答复|办结|办理|处理)[^，。；]{0,12}申请|申请[^，。；]{0,8}(答复|办结)")),
    ("requests_answered", "verb", re.compile(r"^(办结|答复)$")),
    ("interpretations", "verb", re.compile(r"^解读$")),
    ("requests_new", "label", re.compile(r"申请(数量|数)?$")),
    ("consultations", "label", re.compile(r"咨询|留言|诉求|工单|来电|来信")),
    ("interpretations", "label", re.compile(r"解读")),
    ("normative_docs", "label", re.compile(r"规范性文件")),
    ("policy_docs", "label", re.compile(r"政策文件|政策性文件")),
    ("other_docs", "label", re.compile(r"^(其他|政府|部门)?(主动公开)?文件$")),
    ("policy_docs", "clause", re.compile(r"政策文件.*文件$")),
    ("press_events", "label", re.compile(r"发布会|吹风会|通气会|新闻发布活动")),
    ("disclosed_info", "label", re.compile(r"^(各类|各项)?(政府|政务)?信息(公开)?$")),
]
# Channels whose published items are "posts" when nothing more specific matched.
POST_CHANNELS = ("weibo", "wechat", "douyin", "toutiao", "kuaishou", "video")
# "other" channels that are new-media accounts: what they publish are posts too.
NEWMEDIA_TERMS = ("政务新媒体", "新媒体", "新媒体平台", "百家号", "企鹅号", "网易号", "学习强国号", "学习强国", "短信平台")
# Published items of an app or a new-media account (a post), as opposed to services or accounts.
NOT_POST_LABEL = re.compile(r"账号|平台|栏目|专栏|用户|互动|回复|留言|事项|服务")
POST_LABEL = re.compile(r"^$|信息|文章|图文|稿件|视频|作品|微博|动态|内容|推文|消息|发布|推送|更新")
# Channels whose name, when it opens a label, is not part of the counted noun.
STRIP_CHANNELS = ("website", "weibo", "wechat", "douyin", "toutiao", "kuaishou", "video", "app")
# A breakdown part takes its total's category when it has none of its own.
INHERITED_CATEGORIES = ("interpretations", "requests_new", "requests_answered")

# --- label clean-up -----------------------------------------------------------
LABEL_LEAD = re.compile(r"^(的|其中|另外|此外|同时|以及|并|及|和|与|共|全年|本年度|本年|年内|今年|当年|\d{4}年度?|"
                        r"先后|分别|依托|通过|借助|利用|在(?!线)|于|对|向|被|将|已|均|还|又|各类|各项|各栏目|各)+")
# Only copulas and qualifiers are cut from the end: "关注量", "申请数量" stay as written.
LABEL_TAIL = re.compile(r"(共计|总计|合计|共|计)?(增至|增长至|增加到|增加至|突破|达到|达|超过|逾|近|约|为|有|是|了|"
                        r"不少于|多于|将近|大约|分别)*$")
# After-verb labels that name only a measure: the counted noun is the whole phrase ("媒体报道数量").
BARE_MEASURE = re.compile(r"^(数量|数|量|总量|总数|篇数|条数)$")
