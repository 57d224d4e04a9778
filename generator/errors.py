"""Errors an editor can act on: each names the file, the line, what is wrong and what to do.

Every message lives in one table (`MESSAGES`) under a stable code, so the wording is in
one place and the handbook can explain each code. Stages never print or stop on the
first problem: they add to a `Problems` collector and the build reports them all at once.

Codes starting with W are warnings (提醒): something an editor should look at that does not
make the site wrong, such as a column with nothing new. They are reported after the errors
and never stop a build or block publishing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# code: (message, hint). Both are str.format templates filled from keyword arguments.
MESSAGES: dict[str, tuple[str, str]] = {
    # files and encodings
    "E001": ("文件不是 UTF-8 编码（看起来是 {encoding}），第一个无法识别的字节在第 {line} 行",
             "用编辑器“另存为”UTF-8 编码，或运行：iconv -f {encoding} -t UTF-8 原文件 > 新文件"),
    "E002": ("文件不是 UTF-8 编码，也不像 GBK 或 Big5，第一个无法识别的字节在第 {line} 行",
             "用编辑器“另存为”UTF-8 编码；若文件来自 Word，请复制为纯文本后再保存"),
    "E003": ("找不到必需的文件 {name}", "{hint}"),
    "E004": ("文件不能读取：{reason}", "检查文件是否存在、是否有读取权限"),
    "E005": ("符号链接指向站点目录之外：{target}", "把文件复制到站点目录里，不要使用指向外部的链接"),
    # YAML syntax
    "E010": ("YAML 格式错误：{problem}", "检查这一行及上一行的缩进、冒号后的空格和引号是否成对"),
    "E011": ("同一段里字段“{key}”出现了两次（另一次在第 {first} 行）",
             "删除其中一个；YAML 会悄悄只保留后一个，所以必须改正"),
    "E012": ("不支持 YAML 锚点和别名（& 与 *）", "把要重复的内容直接写出来"),
    "E013": ("不支持的 YAML 标签 {tag}", "删除以 ! 开头的标签，只写普通的文字、数字、日期和列表"),
    "E014": ("文件内容应当是 {expected}，实际是 {actual}", "参照编辑手册中该类文件的示例改写"),
    "E015": ("YAML 嵌套层次过深（超过 {limit} 层）", "检查缩进，不要嵌套这么多层"),
    # front matter
    "E020": ("文件开头没有 YAML 头信息（第一行应是 ---）", "在文件开头加上以 --- 开始、以 --- 结束的头信息，写明 title、date 等字段"),
    "E021": ("YAML 头信息没有结束（缺少结尾的 --- 行）", "在头信息的最后一个字段之后单独写一行 ---"),
    # fields
    "E030": ("缺少必填字段“{key}”（{label}）", "在这一段里加上 {key}: …"),
    "E031": ("未知字段“{key}”", "{suggestion}"),
    "E032": ("字段“{key}”应当是{expected}，实际写的是“{value}”", "{hint}"),
    "E033": ("字段“{key}”的值“{value}”不在允许的范围内", "可选值：{choices}"),
    "E034": ("字段“{key}”的日期“{value}”无效：{reason}", "写成 2014-06-30 或 2014年6月30日 的形式，并确认该日期存在"),
    "E035": ("字段“{key}”不能为空", "填写内容，或者删除这个字段"),
    "E036": ("字段“{key}”的标识“{value}”只能由小写英文字母、数字和连字符组成",
             "例如 r01、jiaoyu-ju；标识是公开网址的一部分，发布后不要再改"),
    "E037": ("字段“{key}”（{label}）至少要写一条", "在 {key}: 下面按“- 内容”的格式逐条写上"),
    # cross-record rules
    "E040": ("引用了不存在的单位“{value}”", "{suggestion}"),
    "E041": ("引用了不存在的栏目“{value}”", "可用栏目：{choices}（在 site_config.yml 的 columns 中定义）"),
    "E042": ("引用了不存在的文件（文档）“{value}”", "{suggestion}"),
    "E043": ("标识“{value}”重复（另一个在 {other}）", "每条记录的 id 必须唯一：改用一个新的 id"),
    "E044": ("状态为“已完成”，但没有填写完成日期 completed", "加上 completed: 完成的日期，例如 completed: 2014-06-20"),
    "E045": ("状态不是“已完成”，却填写了完成日期 completed", "整改完成后再把 status 改为 已完成；否则删除 completed"),
    "E046": ("整改台账文件名“{name}”与 unit: {unit} 不一致", "把文件改名为 {unit}.yml，或改正 unit 字段"),
    "E047": ("群众评议人数对不上：满意 {satisfied} + 基本满意 {basic} + 不满意 {dis} = {total}，但参加人数是 {participants}",
             "核对 evaluation 中的四个数字"),
    "E048": ("日期范围颠倒：{start_key} {start} 晚于 {end_key} {end}", "检查开始和结束日期"),
    "E049": ("引用了不存在的督导组“{value}”", "可用督导组：{choices}（在 site_config.yml 的 supervision_groups 中定义）"),
    "E050": ("“{name}”的上级单位形成了循环", "检查 units.yml 中的 parent 字段"),
    "E051": ("文件“{src}”不存在", "检查图片路径：路径相对于这篇 Markdown 文件所在的文件夹"),
    "E052": ("进展记录的日期不是从早到晚排列", "progress 中的记录按日期从早到晚排列，最新的写在最后"),
    "E053": ("图片路径“{src}”指向 content/ 目录之外", "把图片放在这篇 Markdown 文件旁边，写相对路径，例如 photo.jpg"),
    "E054": ("页脚的党政机关网站标识图片“{src}”不在 theme/static/ 文件夹里",
             "把图片放进站点目录的 theme/static/ 文件夹，footer 的 badge_image 只写文件名，例如 badge_image: dzjg.png"),
    "E055": ("索引号“{value}”与 {other} 的索引号重复", "索引号不能重复：改正 index_no，或删除它，让 gongshi 按规则生成"),
    "E056": ("链接“{href}”指向本站的 {path}，但网站里没有这个页面，读者点开会看到“页面不存在”",
             "{fix}改成本站实际存在的页面地址（可以在网站上打开那一页，从地址栏复制）；要链接的页面没有了，就删去这个链接"),
    # build output
    "E060": ("输出目录 {path} 不是空的，也不是 gongshi 生成的", "换一个输出目录，或先确认其中没有需要的文件后手动清空"),
    "E061": ("输出目录 {path} 不能位于 content/ 之内，也不能是站点目录本身", "用 -o 指定站点目录下的 site/ 或其他目录"),
    "E062": ("模板出错：{problem}", "检查主题模板 {template}"),
    # the public record
    "E070": ("已发布的{label}“{value}”被删除了，却没有标记撤销（最后出现在提交 {commit} 的 {path}）",
             "已发布的内容不能直接删除：恢复它，并加上 withdrawn: {{date: 撤销日期, reason: 撤销原因}}；"
             "确需删除时，用 --accept-removals 明确确认"),
    # warnings: reported, never stop a build
    "W001": ("栏目“{name}”（{id}）截至 {as_of} 还没有任何内容",
             "发布第一条内容；暂不使用的栏目可以从 columns 中删去，或在这一栏目里写 stale_days: 0 不再提醒"),
    "W002": ("栏目“{name}”（{id}）已有 {days} 天没有新内容：最新一条是 {newest}，数据截至 {as_of}",
             "发布新内容；这个栏目本来就更新得少，可以在这一栏目里写 stale_days: 90 放宽期限（现在是 {limit} 天），"
             "写 0 不再提醒"),
    "W003": ("没有 git 历史（{reason}），{count} 份文件（content/documents/）的索引号暂时按发布日期的顺序生成",
             "把站点目录提交到 git（git add . && git commit）：索引号就按文件首次提交的顺序固定下来，"
             "以后补发日期更早的文件也不会改动已发布的索引号；持续集成里要取完整历史（不要浅克隆，"
             "GitHub Actions 的 checkout 写 fetch-depth: 0）"),
    # search and sharing
    "E090": ("无法生成站内搜索：{reason}",
             "安装扩展版 Pagefind：pip install 'pagefind[extended]'；暂时不要站内搜索的，"
             "在 site_config.yml 里写 search: false"),
    "E091": ("站内搜索索引生成失败（Pagefind {reason}）",
             "重新安装：pip install --force-reinstall 'pagefind[extended]'；暂时不要站内搜索的，"
             "在 site_config.yml 里写 search: false"),
    "E092": ("{key} 指定的文件“{value}”{problem}",
             "{hint}"),
}
WARNING_PREFIX = "W"


@dataclass(frozen=True, order=True)
class Source:
    """Where a record or value came from, relative to the site folder."""

    file: str
    line: int | None = None
    # (key, line) of each field of the record that starts here, so that a later check can
    # name the very line of `unit:` or `status:`; list entries appear as `name[i]`.
    keys: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)

    def at(self, line: int | None) -> Source:
        return Source(self.file, line)

    def key(self, name: str) -> Source:
        """Where field `name` of the record starting here stands (the record's line if unknown)."""
        return Source(self.file, dict(self.keys).get(name, self.line))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __reduce__(self) -> tuple[Any, ...]:
        return _source, (self.file, self.line, self.keys)


# Records of one kind mostly have their fields on the same lines: one tuple of (key, line)
# pairs serves them all (in a large site, hundreds of thousands of tuples fewer).
_KEY_LINES: dict[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]] = {}


def shared_keys(keys: tuple[tuple[str, int], ...]) -> tuple[tuple[str, int], ...]:
    return _KEY_LINES.setdefault(keys, keys)


def _source(file: str, line: int | None, keys: tuple[tuple[str, int], ...]) -> Source:
    """A Source read back from the build cache (or a worker process), its keys shared."""
    return Source(file, line, shared_keys(keys))


@dataclass(frozen=True, order=True)
class SourceError:
    file: str
    line: int | None
    code: str
    message: str
    hint: str

    @property
    def is_warning(self) -> bool:
        return self.code.startswith(WARNING_PREFIX)

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        level = "提醒" if self.is_warning else "错误"
        return f"{where}: {level} {self.code}: {self.message}\n    → {self.hint}"


def make_error(code: str, where: Source, **values: object) -> SourceError:
    message, hint = MESSAGES[code]
    return SourceError(where.file, where.line, code, message.format(**values), hint.format(**values))


def in_order(found: list[SourceError]) -> list[SourceError]:
    """Each problem once, by file and line."""
    return sorted(set(found), key=lambda e: (e.file, e.line or 0, e.code))


def report_warnings(warnings: list[SourceError]) -> str:
    """Every warning, then a closing line saying they did not stop anything ("" if none)."""
    unique = in_order(warnings)
    if not unique:
        return ""
    return "\n".join([*(w.format() for w in unique), f"共 {len(unique)} 处提醒，不影响生成和发布。"])


@dataclass
class Problems:
    """Collects every error of a run; the build stops only after a whole stage ran.

    Warnings are collected beside the errors and never make the collector true."""

    errors: list[SourceError] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)

    def add(self, code: str, where: Source, **values: object) -> None:
        self.errors.append(make_error(code, where, **values))

    def warn(self, code: str, where: Source, **values: object) -> None:
        assert code.startswith(WARNING_PREFIX), code
        self.warnings.append(make_error(code, where, **values))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def report(self) -> str:
        unique = in_order(self.errors)
        lines = [e.format() for e in unique]
        lines.append(f"共 {len(unique)} 处错误，未生成网站；已发布的网站保持不变。")
        return "\n".join(lines)


class BuildFailed(Exception):
    """Raised once a stage found problems; carries all of them."""

    def __init__(self, problems: Problems):
        super().__init__(problems.report())
        self.problems = problems


def relpath(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
