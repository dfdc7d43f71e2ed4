"""串并: tips that share a strong identifier (phone, ID, account, credit code, WeChat/QQ), a
near-identical institution name or near-identical text are linked into clusters, incrementally as
each tip is screened. Staff confirm clusters or split a tip out (and undo the split). A cluster
whose tips lie in more than one county alerts the lowest office above all of them."""

from __future__ import annotations

import hashlib
from array import array

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
NEAR_DUP_CANDIDATES = 25
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


def _county_of_path(path: str) -> str:
    return "/".join([p for p in path.split("/") if p][:3])


def _common_region_of_paths(paths: list[str]) -> Region | None:
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
        # A few recent candidates suffice: clusters join transitively, and a popular text form
        # must not make every new tip compare itself with all earlier ones.
        recent = (
            TipLinkKey.objects.filter(key__in=bands)
            .exclude(tip=tip)
            .exclude(tip_id__in=list(partners))
            .order_by("-tip_id")
            .values_list("tip_id", flat=True)
            .distinct()[:NEAR_DUP_CANDIDATES]
        )
        candidates = set(recent)
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
    """Join the tip, its partners and their clusters into one cluster (the oldest survives).

    Touches only what changes: one look-up of the partners' memberships, one UPDATE per merged
    cluster, one bulk insert of new members — never every member of a large cluster."""
    now = timezone.now()
    ids = [tip.pk, *partners]
    memberships = {
        m["tip_id"]: m["cluster_id"]
        for m in ClusterMember.objects.filter(tip_id__in=ids, state=MemberState.MEMBER).values(
            "tip_id", "cluster_id"
        )
    }
    cluster_ids = sorted(set(memberships.values()))
    clusters_found = list(
        LinkCluster.objects.filter(pk__in=cluster_ids).order_by("created_at", "id")
    )
    cluster = (
        clusters_found[0]
        if clusters_found
        else LinkCluster.objects.create(created_at=now, updated_at=now)
    )
    for other in clusters_found[1:]:
        moved = ClusterMember.objects.filter(cluster=other).update(cluster=cluster)
        audit_record(
            actor=None,
            action="cluster.merged",
            obj=cluster,
            summary=f"并入串并组 #{other.pk}（{moved}条线索）",
            data={"from": other.pk},
        )
        other.delete()
    new_ids = [i for i in ids if i not in memberships]
    ClusterMember.objects.bulk_create(
        [
            ClusterMember(cluster=cluster, tip_id=i, reason=partners.get(i, "")[:120], added_at=now)
            for i in new_ids
        ],
        ignore_conflicts=True,  # a tip split out of a cluster keeps its (split) membership row
    )
    _refresh(cluster)
    if new_ids or len(clusters_found) > 1:
        reasons = sorted({key_label(k) for k in partners.values()})
        audit_record(
            actor=None,
            action="cluster.linked",
            obj=cluster,
            region_path=cluster.region_path,
            summary=f"串并：{len(new_ids)}条线索加入，依据：{'、'.join(reasons)[:300]}",
            data={"tips": new_ids[:1000], "keys": sorted(set(partners.values()))[:20]},
        )
        audit_record(
            actor=None,
            action="tip.linked",
            obj=tip,
            summary=f"与串并组 #{cluster.pk} 中的线索关联：{'、'.join(reasons)[:300]}",
        )
    return cluster


def _refresh(cluster: LinkCluster) -> None:
    members = Tip.objects.filter(
        link_membership__cluster=cluster, link_membership__state=MemberState.MEMBER
    )
    paths = list(members.values_list("region__path", flat=True).distinct())
    cluster.size = members.count()
    cluster.region = _common_region_of_paths(paths)
    cluster.spans_regions = len({_county_of_path(p) for p in paths}) > 1
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
