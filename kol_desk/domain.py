"""The domain vocabulary: platforms, tiers, stages, deliverables.

Values are stored in the database as these short English keys (portable, stable across
UI languages); labels for display go through ``kol_desk.i18n.tr``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class Platform(StrEnum):
    DOUYIN = "douyin"
    XIAOHONGSHU = "xiaohongshu"
    WEIBO = "weibo"
    BILIBILI = "bilibili"
    KUAISHOU = "kuaishou"
    WECHAT_CHANNELS = "wechat_channels"
    WECHAT_OA = "wechat_oa"
    TIKTOK = "tiktok"
    INSTAGRAM = "instagram"
    YOUTUBE = "youtube"
    X = "x"
    OTHER = "other"


PLATFORM_LABELS: dict[Platform, str] = {
    Platform.DOUYIN: "Douyin",
    Platform.XIAOHONGSHU: "Xiaohongshu",
    Platform.WEIBO: "Weibo",
    Platform.BILIBILI: "Bilibili",
    Platform.KUAISHOU: "Kuaishou",
    Platform.WECHAT_CHANNELS: "WeChat Channels",
    Platform.WECHAT_OA: "WeChat Official Account",
    Platform.TIKTOK: "TikTok",
    Platform.INSTAGRAM: "Instagram",
    Platform.YOUTUBE: "YouTube",
    Platform.X: "X",
    Platform.OTHER: "Other",
}


class Tier(StrEnum):
    KOC = "koc"
    MICRO = "micro"
    MID = "mid"
    TOP = "top"
    CELEBRITY = "celebrity"


TIER_LABELS: dict[Tier, str] = {
    Tier.KOC: "KOC",
    Tier.MICRO: "Micro",
    Tier.MID: "Mid-tier",
    Tier.TOP: "Top",
    Tier.CELEBRITY: "Celebrity",
}

# Lower follower bound of each tier above KOC; the product's defaults. The user can
# override them, per platform where wanted, in the settings table.
DEFAULT_TIER_THRESHOLDS: dict[Tier, int] = {
    Tier.MICRO: 10_000,
    Tier.MID: 100_000,
    Tier.TOP: 1_000_000,
    Tier.CELEBRITY: 10_000_000,
}


def tier_for_followers(
    followers: int | None, thresholds: dict[Tier, int] | None = None
) -> Tier | None:
    """The tier of an account with this many followers, or None when unknown."""
    if followers is None:
        return None
    bounds = thresholds or DEFAULT_TIER_THRESHOLDS
    tier = Tier.KOC
    for candidate in (Tier.MICRO, Tier.MID, Tier.TOP, Tier.CELEBRITY):
        if followers >= bounds[candidate]:
            tier = candidate
    return tier


class Stage(StrEnum):
    SHORTLISTED = "shortlisted"
    CONTACTED = "contacted"
    NEGOTIATING = "negotiating"
    CONTRACTED = "contracted"
    IN_PRODUCTION = "in_production"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    RESULTS_IN = "results_in"
    PAID = "paid"
    DROPPED = "dropped"


# The board's left-to-right order; DROPPED stands apart and is reachable from anywhere.
PIPELINE: tuple[Stage, ...] = (
    Stage.SHORTLISTED,
    Stage.CONTACTED,
    Stage.NEGOTIATING,
    Stage.CONTRACTED,
    Stage.IN_PRODUCTION,
    Stage.IN_REVIEW,
    Stage.PUBLISHED,
    Stage.RESULTS_IN,
    Stage.PAID,
)

STAGE_LABELS: dict[Stage, str] = {
    Stage.SHORTLISTED: "Shortlisted",
    Stage.CONTACTED: "Contacted",
    Stage.NEGOTIATING: "Negotiating",
    Stage.CONTRACTED: "Contracted",
    Stage.IN_PRODUCTION: "In production",
    Stage.IN_REVIEW: "In review",
    Stage.PUBLISHED: "Published",
    Stage.RESULTS_IN: "Results in",
    Stage.PAID: "Paid",
    Stage.DROPPED: "Dropped",
}


def stage_rank(stage: Stage) -> int:
    """Position on the pipeline; DROPPED ranks after everything."""
    return PIPELINE.index(stage) if stage in PIPELINE else len(PIPELINE)


class Deliverable(StrEnum):
    IMAGE_POST = "image_post"
    VIDEO = "video"
    LIVE = "live"
    REPOST = "repost"
    STORY = "story"  # an Instagram Story (快拍): gone after 24 h, priced apart from a post
    CUSTOM = "custom"


DELIVERABLE_LABELS: dict[Deliverable, str] = {
    Deliverable.IMAGE_POST: "Image post",
    Deliverable.VIDEO: "Video",
    Deliverable.LIVE: "Live stream",
    Deliverable.REPOST: "Repost",
    Deliverable.STORY: "Story",
    Deliverable.CUSTOM: "Custom",
}


class Objective(StrEnum):
    AWARENESS = "awareness"
    LAUNCH = "launch"
    CONVERSION = "conversion"
    OTHER = "other"


OBJECTIVE_LABELS: dict[Objective, str] = {
    Objective.AWARENESS: "Brand awareness",
    Objective.LAUNCH: "Product launch",
    Objective.CONVERSION: "Conversion",
    Objective.OTHER: "Other",
}


class RiskLevel(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


RISK_LABELS: dict[RiskLevel, str] = {
    RiskLevel.NONE: "None",
    RiskLevel.LOW: "Low",
    RiskLevel.MEDIUM: "Medium",
    RiskLevel.HIGH: "High",
}


class QuoteSource(StrEnum):
    AGENCY_LIST = "agency_list"
    CREATOR = "creator"
    NEGOTIATION = "negotiation"


QUOTE_SOURCE_LABELS: dict[QuoteSource, str] = {
    QuoteSource.AGENCY_LIST: "Agency list",
    QuoteSource.CREATOR: "The creator",
    QuoteSource.NEGOTIATION: "Negotiation",
}


class PaymentKind(StrEnum):
    DEPOSIT = "deposit"
    BALANCE = "balance"
    FULL = "full"


PAYMENT_KIND_LABELS: dict[PaymentKind, str] = {
    PaymentKind.DEPOSIT: "Deposit",
    PaymentKind.BALANCE: "Balance",
    PaymentKind.FULL: "Full",
}


class Channel(StrEnum):
    """How a deal is placed: through a platform's own marketplace (an order, 报备) or
    directly with the creator or agency (水下)."""

    XINGTU = "xingtu"
    PUGONGYING = "pugongying"
    HUAHUO = "huahuo"
    WEIRENWU = "weirenwu"
    PLATFORM_OTHER = "platform_other"
    DIRECT = "direct"


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.XINGTU: "Xingtu order (Douyin)",
    Channel.PUGONGYING: "Pugongying order (Xiaohongshu)",
    Channel.HUAHUO: "Huahuo order (Bilibili)",
    Channel.WEIRENWU: "Weirenwu order (Weibo)",
    Channel.PLATFORM_OTHER: "Other platform order",
    Channel.DIRECT: "Direct (no platform order)",
}


# The marketplace each platform's orders go through (报备 on Douyin is a 星图 order);
# other platforms' orders are PLATFORM_OTHER. Here, not in services/deal_cost, because
# the importer (which may not use services) reads 报备 prices into these channels too.
PLATFORM_CHANNEL: dict[str, Channel] = {
    "douyin": Channel.XINGTU, "xiaohongshu": Channel.PUGONGYING,
    "bilibili": Channel.HUAHUO, "weibo": Channel.WEIRENWU,
}


def platform_channel(platform: str | None) -> Channel:
    """The channel of an order placed through this platform's own marketplace."""
    return PLATFORM_CHANNEL.get(platform or "", Channel.PLATFORM_OTHER)


# ---------------------------------------------------------------------------- handles
# How each platform compares handles, which decides the stored (normalised) form. The
# handles creators choose are case-blind everywhere we know of, so they are stored in
# lower case and "@Taozi_Jiang" in one list matches "taozi_jiang" in the next:
#   - Instagram, TikTok, X/Twitter usernames and YouTube @handles resolve in any case;
#   - Douyin 抖音号, Kuaishou 快手号, Xiaohongshu 小红书号 are lower-case letters, digits,
#     _ and . (upper case typed in a list is a typing variant of the same id);
#   - Bilibili and Weibo UIDs are numbers; WeChat 微信号 and 视频号 names, official-account
#     ids are case-insensitive in WeChat's search;
#   - unknown platforms ("other"): most sites match case-blind, and it is what every
#     earlier import stored.
# The ids a platform generates itself are base64-like tokens where case is part of the id
# (lowering one could merge two accounts), so they are kept as written:
#   - YouTube channel ids: "UC" and 22 more characters;
#   - Douyin sec_uid, the id in a profile link: "MS4wLjABAAAA…";
#   - WeChat Channels finder ids: "sph" and a mixed-case token.
_GENERATED_IDS: dict[str, Callable[[str], bool]] = {
    "youtube": lambda h: len(h) == 24 and h.startswith("UC"),
    "douyin": lambda h: h.startswith("MS4wLjABAAAA"),
    "wechat_channels": lambda h: h.startswith("sph") and len(h) >= 9 and not h.islower(),
}


def handle_case(platform: str | None, handle: str) -> str:
    """A half-width handle without its @ in the case its platform compares it in."""
    generated = _GENERATED_IDS.get(platform or "")
    if generated is not None and handle.isascii() and generated(handle):
        return handle
    return handle.lower()


class InvoiceType(StrEnum):
    """The invoice a deal is paid against: with a special VAT invoice (增值税专用发票)
    the buyer deducts the VAT, with an ordinary one (普通发票) the VAT is part of the cost."""

    SPECIAL = "special"
    ORDINARY = "ordinary"
    NONE = "none"


INVOICE_TYPE_LABELS: dict[InvoiceType, str] = {
    InvoiceType.SPECIAL: "Special VAT invoice (专票, VAT deductible)",
    InvoiceType.ORDINARY: "Ordinary invoice (普票)",
    InvoiceType.NONE: "No invoice",
}
