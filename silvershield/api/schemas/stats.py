"""Schemas of the indicator API: the registry's definitions and one figure with its records' link."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from silvershield.api.schemas.common import RegionCode, RegionRef


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str = Field(description="件、人、个、份、项、家、元或 %")
    direction: Literal["higher", "lower"] = Field(description="higher：越高越好；lower：越低越好")
    description: str
    group: str
    is_rate: bool
    ranked: bool = Field(description="是否参与排名")
    min_volume: int = Field(description="低于此记录数时只列示、不排名")


class FigureQueryIn(Schema):
    region: RegionCode | None = Field(
        None, description="地区代码；不填为本人所在单位的辖区（全国专项办为全国）"
    )
    date_from: dt.date | None = Field(None, description="统计期开始日期（含）；不填为本月1日")
    date_to: dt.date | None = Field(None, description="统计期结束日期（含），不能晚于今天")


class FigureOut(Schema):
    indicator: IndicatorOut
    region: RegionRef | None = Field(description="null 为全国")
    date_from: dt.date
    date_to: dt.date
    value: float | None = Field(
        description="指标值：计数为件数等；金额为元；比率为百分数（如 45.5 表示 45.5%）；"
        "分母为 0 时为 null"
    )
    text: str = Field(description="页面上的写法，如“45.5%”“12.30万元”")
    numerator: int = Field(description="分子：记录数；金额类为分（1元 = 100分），保证精确")
    denominator: int | None = Field(description="分母（比率才有），单位同分子")
    volume: int = Field(description="决定能否排名的记录数")
    rankable: bool
    link: str = Field(description="分子背后的记录清单（页面），与本次查询的地区和统计期一致")
    denominator_link: str | None
