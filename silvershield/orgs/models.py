"""Units (专项办 and member units), users, memberships with roles, API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models

from silvershield.core.access import NO_SCOPE, Scope, ScopeRule
from silvershield.core.permissions import ADMIN_ROLES, SECOND_FACTOR_ROLES, Perm, Role, role_has


class UnitKind(models.TextChoices):
    OFFICE = "office", "专项办"
    MEMBER = "member", "成员单位"


class Sector(models.TextChoices):
    OFFICE = "office", "专项办"
    POLICE = "police", "公安"
    PROCURATORATE = "procuratorate", "检察院"
    COURT = "court", "法院"
    CIVIL_AFFAIRS = "civil_affairs", "民政"
    MARKET = "market", "市场监管"
    FINANCE = "finance", "金融监管"
    HEALTH = "health", "卫生健康"
    HRSS = "hrss", "人力资源社会保障"
    CYBERSPACE = "cyberspace", "网信"
    PUBLICITY = "publicity", "宣传"
    JUSTICE = "justice", "司法行政"
    OTHER = "other", "其他"


LEVEL_LABELS = {None: "国家级", 1: "省级", 2: "市级", 3: "县级", 4: "乡镇级"}


class Unit(models.Model):
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField("类别", max_length=16, choices=UnitKind.choices)
    sector = models.CharField("领域", max_length=24, choices=Sector.choices)
    region = models.ForeignKey(
        "geo.Region",
        verbose_name="所在地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        help_text="留空表示国家级",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    doc_prefix = models.CharField(
        "机关代字", max_length=20, blank=True, help_text="发文字号前的机关代字，如“湖养诈办”"
    )
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeRule(region_path="region__path", unit_fields=("id",))

    class Meta:
        ordering = ["region__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_name_unique_in_region")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> int | None:
        return self.region.level if self.region_id else None  # type: ignore[union-attr]

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, "")

    @property
    def region_path(self) -> str:
        return self.region.path if self.region_id else ""  # type: ignore[union-attr]

    @property
    def is_office(self) -> bool:
        return self.kind == UnitKind.OFFICE


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50)
    is_demo = models.BooleanField(
        "演示账号", default=False, help_text="演示数据中的账号；生产环境存在演示账号时拒绝启动"
    )

    scope = ScopeRule(
        region_path="memberships__unit__region__path", unit_fields=("memberships__unit_id",)
    )

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    # -- scope and roles --------------------------------------------------------------
    def _memberships(self) -> list[Membership]:
        cached: list[Membership] | None = getattr(self, "_membership_cache", None)
        if cached is None:
            if self.pk is None:
                cached = []
            else:
                cached = list(
                    self.memberships.filter(unit__is_active=True).select_related(
                        "unit", "unit__region"
                    )
                )
            self._membership_cache = cached
        return cached

    def forget_memberships(self) -> None:
        self.__dict__.pop("_membership_cache", None)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(m.role) for m in self._memberships())

    def scope_for(self, perm: Perm) -> Scope:
        if not self.is_active:
            return NO_SCOPE
        scope = NO_SCOPE
        for m in self._memberships():
            if not role_has(m.role, perm):
                continue
            unit = m.unit
            unit_scope = Scope(unit_ids=frozenset({unit.pk}))
            if unit.is_office or m.role in ADMIN_ROLES:
                if unit.region is None:
                    unit_scope = Scope(everything=True)
                else:
                    unit_scope = unit_scope.union(Scope(region_paths=frozenset({unit.region.path})))
            scope = scope.union(unit_scope)
        return scope

    def needs_second_factor(self) -> bool:
        return bool(self.roles & SECOND_FACTOR_ROLES)

    def primary_membership(self) -> Membership | None:
        memberships = self._memberships()
        return memberships[0] if memberships else None

    def unit_label(self) -> str:
        m = self.primary_membership()
        return m.unit.name if m else ""

    @property
    def units(self) -> list[Unit]:
        seen: dict[int, Unit] = {}
        for m in self._memberships():
            seen.setdefault(m.unit.pk, m.unit)
        return list(seen.values())

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("_membership_cache", None)
        return state


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeRule(region_path="unit__region__path", unit_fields=("unit_id",))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for the REST API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField(max_length=8)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # For accounts that must use a second factor: the token works only until this moment, set by
    # presenting a valid TOTP code (POST /api/auth/second-factor).
    second_factor_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
