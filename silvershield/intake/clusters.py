"""串并: tips that share a strong identifier (phone, ID, account, credit code, WeChat/QQ), a
near-identical institution name or near-identical text are linked into clusters, incrementally as
each tip is screened. Staff confirm clusters or split a tip out (and undo the split). A cluster
whose tips lie in more than one county alerts the lowest office above all of them."""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from silvershield.core.access import in_scope
from silvershield.core.audit import audit_record
from silvershield.core.permissions import Perm
from silvershield.geo.models import Region
from silvershield.intake.models import (
    ClusterMember,
    LinkCluster,
    MemberState,
    Tip,
    TipLinkKey,
    TipScreening,
)
from silvershield.orgs.models import User
from silvershield.screening import Entity, LinkRecord
from silvershield.screening.linking import (
    MAX_WEAK_KEY_RECORDS,
    NEAR_DUP_MIN,
    SIG_BINS,
    SIG_EMPTY,
    SIG_ROWS,
    record_keys,
    signature_similarity,
)

WEAK_PREFIXES = ("org:", "phone:")
KEY_LABELS = {
    "phone": "电话",
    "id_number": "身份证号",
    "uscc": "统一社会信用代码",
    "bank_card": "银行账号",
    "wechat": "微信号",
    "qq": "QQ号",
    "org": "机构名称",
    "band": "相似文本",
}


def key_label(key: str) -> str:
    kind, _, value = key.partition(":")
    if kind == "band":
        return "文本高度相似"
    return f"{KEY_LABELS.get(kind, kind)} {value}"


def _entities(screening: TipScreening) -> tuple[Entity, ...]:
    return tuple(
        Entity(e["kind"], e["value"], e["normalized"], 0, 0, bool(e.get("valid", True)))
        for e in screening.entities
    )


def _bands(sig: bytes) -> list[str]:
    """LSH band keys of a text signature, hashed stably (blake2b) so they hold across processes."""
    values = array("I")
    values.frombytes(sig)
    keys = []
    for band in range(SIG_BINS // SIG_ROWS):
        part = values[band * SIG_ROWS : (band + 1) * SIG_ROWS]
        if SIG_EMPTY not in part:
            keys.append(f"band:{band}:{hashlib.blake2b(part.tobytes(), digest_size=8).hexdigest()}")
    return keys


def _keys_for(tip: Tip, screening: TipScreening) -> tuple[list[str], bytes, list[str]]:
    text = "\n".join(p for p in (tip.content, tip.involved_institution, tip.involved_phone) if p)
    keys, sig = record_keys(LinkRecord(tip.pk, text, _entities(screening)))
    return keys, sig, _bands(sig) if sig else []


def _county_path(region: Region) -> str:
    parts = [p for p in region.path.split("/") if p]
    return "/".join(parts[:3]) + "/"


def _common_region(regions: Iterable[Region]) -> Region | None:
    paths = [r.path for r in regions]
    if not paths:
        return None
    common = [p for p in paths[0].split("/") if p]
    for path in paths[1:]:
        parts = [p for p in path.split("/") if p]
        n = 0
        while n < min(len(common), len(parts)) and common[n] == parts[n]:
            n += 1
        common = common[:n]
    return Region.objects.filter(code=common[-1]).first() if common else None


@transaction.atomic
def tip_link(*, tip: Tip) -> LinkCluster | None:
    """Index a screened tip's keys and join it to the tips it shares them with."""
    screening = TipScreening.objects.filter(tip=tip).first()
    if screening is None:
        return None
    keys, sig, bands = _keys_for(tip, screening)
    if sig and screening.signature != sig:
        screening.signature = sig
        screening.save(update_fields=["signature"])
    TipLinkKey.objects.filter(tip=tip).delete()
    TipLinkKey.objects.bulk_create(
        [TipLinkKey(tip=tip, key=k) for k in {*keys, *bands}], ignore_conflicts=True
    )
    if ClusterMember.objects.filter(tip=tip, state=MemberState.SPLIT).exists():
        return None  # staff took it out of its cluster: it is not linked again by itself
    partners: dict[int, str] = {}
    strong = [k for k in keys if not k.startswith(WEAK_PREFIXES)]
    weak = [k for k in keys if k.startswith(WEAK_PREFIXES)]
    for row in TipLinkKey.objects.filter(key__in=strong).exclude(tip=tip).values("tip_id", "key"):
        partners.setdefault(row["tip_id"], row["key"])
    if weak:
        counts = dict(
            TipLinkKey.objects.filter(key__in=weak)
            .values_list("key")
            .annotate(n=Count("id"))
            .values_list("key", "n")
        )
        usable = [k for k in weak if counts.get(k, 0) <= MAX_WEAK_KEY_RECORDS]
        for row in (
            TipLinkKey.objects.filter(key__in=usable).exclude(tip=tip).values("tip_id", "key")
        ):
            partners.setdefault(row["tip_id"], row["key"])
    if sig and bands:
        mine = array("I")
        mine.frombytes(sig)
        candidates = set(
            TipLinkKey.objects.filter(key__in=bands)
            .exclude(tip=tip)
            .values_list("tip_id", flat=True)
        ) - set(partners)
        for other in TipScreening.objects.filter(tip_id__in=candidates).exclude(signature=b""):
            theirs = array("I")
            theirs.frombytes(bytes(other.signature))
            if signature_similarity(mine, theirs) >= NEAR_DUP_MIN:
                partners[other.tip_id] = "band:text"
    held_out = set(
        ClusterMember.objects.filter(tip_id__in=partners, state=MemberState.SPLIT).values_list(
            "tip_id", flat=True
        )
    )
    partners = {k: v for k, v in partners.items() if k not in held_out}
    if not partners:
        return None
    return _join(tip, partners)


def _join(tip: Tip, partners: dict[int, str]) -> LinkCluster:
    existing = list(
        LinkCluster.objects.filter(
            members__tip_id__in=[*partners, tip.pk], members__state=MemberState.MEMBER
        )
        .distinct()
        .order_by("created_at", "id")
    )
    now = timezone.now()
    cluster = (
        existing[0] if existing else LinkCluster.objects.create(created_at=now, updated_at=now)
    )
    for other in existing[1:]:
        moved = list(
            other.members.filter(state=MemberState.MEMBER).values_list("tip_id", flat=True)
        )
        other.members.all().update(cluster=cluster)
        audit_record(
            actor=None,
            action="cluster.merged",
            obj=cluster,
            summary=f"并入串并组 #{other.pk}（{len(moved)}条线索）",
            data={"from": other.pk, "tips": moved},
        )
        other.delete()
    added = []
    for tip_id, key in [(tip.pk, ""), *partners.items()]:
        member, created = ClusterMember.objects.get_or_create(
            tip_id=tip_id, defaults={"cluster": cluster, "reason": key[:120], "added_at": now}
        )
        if not created and member.cluster_id != cluster.pk and member.state == MemberState.MEMBER:
            member.cluster = cluster
            member.save(update_fields=["cluster"])
            created = True
        if created:
            added.append(tip_id)
    _refresh(cluster)
    if added:
        reasons = sorted({key_label(k) for k in partners.values()})
        audit_record(
            actor=None,
            action="cluster.linked",
            obj=cluster,
            region_path=cluster.region.path if cluster.region else "",
            summary=f"串并：{len(added)}条线索加入，依据：{'、'.join(reasons)[:300]}",
            data={"tips": added, "keys": sorted(set(partners.values()))[:20]},
        )
        audit_record(
            actor=None,
            action="tip.linked",
            obj=tip,
            summary=f"与串并组 #{cluster.pk} 中的线索关联：{'、'.join(reasons)[:300]}",
        )
    return cluster


def _refresh(cluster: LinkCluster) -> None:
    tips = list(
        Tip.objects.filter(
            link_membership__cluster=cluster, link_membership__state=MemberState.MEMBER
        ).select_related("region")
    )
    cluster.region = _common_region(t.region for t in tips)
    cluster.spans_regions = len({_county_path(t.region) for t in tips}) > 1
    cluster.size = len(tips)
    cluster.updated_at = timezone.now()
    cluster.save(update_fields=["region", "spans_regions", "size", "updated_at"])


def _check(actor: User, cluster: LinkCluster) -> None:
    tips = Tip.objects.filter(link_membership__cluster=cluster)
    if not any(in_scope(t, user=actor, perm=Perm.TIP_SCREEN) for t in tips):
        raise PermissionDenied


@transaction.atomic
def cluster_confirm(*, actor: User, cluster: LinkCluster) -> LinkCluster:
    _check(actor, cluster)
    if cluster.confirmed_at is None:
        cluster.confirmed_at, cluster.confirmed_by = timezone.now(), actor
        cluster.save(update_fields=["confirmed_at", "confirmed_by"])
        audit_record(actor=actor, action="cluster.confirmed", obj=cluster, summary="确认串并")
    return cluster


@transaction.atomic
def cluster_split(*, actor: User, cluster: LinkCluster, tip: Tip, reason: str) -> ClusterMember:
    """Take a tip out of a cluster; it stays out until the split is undone."""
    _check(actor, cluster)
    reason = reason.strip()
    if len(reason) < 4:
        raise ValidationError({"reason": "请写明拆分理由（不少于4个字）"})
    member = ClusterMember.objects.filter(
        cluster=cluster, tip=tip, state=MemberState.MEMBER
    ).first()
    if member is None:
        raise ValidationError({"tip": "该线索不在此串并组中"})
    member.state, member.split_reason, member.split_by, member.split_at = (
        MemberState.SPLIT,
        reason[:200],
        actor,
        timezone.now(),
    )
    member.save(update_fields=["state", "split_reason", "split_by", "split_at"])
    _refresh(cluster)
    audit_record(
        actor=actor,
        action="cluster.split",
        obj=cluster,
        summary=f"拆出线索 {tip.number}：{reason}",
        data={"tip": tip.pk},
    )
    audit_record(
        actor=actor,
        action="tip.unlinked",
        obj=tip,
        summary=f"从串并组 #{cluster.pk} 拆出：{reason}",
    )
    return member


@transaction.atomic
def cluster_unsplit(*, actor: User, cluster: LinkCluster, tip: Tip) -> ClusterMember:
    _check(actor, cluster)
    member = ClusterMember.objects.filter(cluster=cluster, tip=tip, state=MemberState.SPLIT).first()
    if member is None:
        raise ValidationError({"tip": "该线索没有从此串并组拆出"})
    member.state, member.split_reason, member.split_by, member.split_at = (
        MemberState.MEMBER,
        "",
        None,
        None,
    )
    member.save(update_fields=["state", "split_reason", "split_by", "split_at"])
    _refresh(cluster)
    audit_record(
        actor=actor,
        action="cluster.unsplit",
        obj=cluster,
        summary=f"撤销拆分：{tip.number} 重新加入",
        data={"tip": tip.pk},
    )
    return member
