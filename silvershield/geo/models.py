"""Administrative divisions (GB/T 2260 / 12-digit statistical codes), province down to town.

The national level is represented by having no region at all (e.g. a national office's
jurisdiction is ``None``).
"""

from __future__ import annotations

from django.db import models


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, "省级"
    CITY = 2, "市级"
    COUNTY = 3, "县级"
    TOWN = 4, "乡镇级"


class Region(models.Model):
    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.PositiveSmallIntegerField("级别", choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes, each followed by "/":
    # "440000000000/440300000000/440305000000/". Everything within a jurisdiction is
    # ``region__path__startswith=office_region.path``.
    path = models.CharField("路径", max_length=80, db_index=True)
    full_name = models.CharField("全称", max_length=128)

    class Meta:
        ordering = ("code",)
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        indexes = (models.Index(fields=["parent", "code"], name="geo_region_parent_code"),)

    def __str__(self) -> str:
        return self.full_name

    def is_within(self, other: Region) -> bool:
        """True when this region is ``other`` or lies below it."""
        return self.path.startswith(other.path)
