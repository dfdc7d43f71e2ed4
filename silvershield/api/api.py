"""The REST API: one NinjaAPI, token-authenticated, its OpenAPI schema generated from the code.

Schema at /api/openapi.json, docs at /api/docs (Swagger UI from the installed package's static
files); both are reachable without a token, as they show no data.
"""

from __future__ import annotations

from ninja import NinjaAPI

from silvershield.api import errors
from silvershield.api.auth import BearerAuth
from silvershield.api.docs import OfflineSwagger
from silvershield.api.routers import (
    auth,
    campaigns,
    enforcement,
    orgs,
    rectification,
    regions,
    stats,
    tips,
    workflow,
)

DESCRIPTION = """\
银盾反养老诈骗工作平台的接口。每个请求须带 `Authorization: Bearer <令牌>`；令牌在
“接口令牌”页面（/accounts/tokens/）签发。接口只认令牌，不认浏览器会话。
管理员类账号（系统管理员、安全管理员、审计员、身份信息保管人）的令牌须先以
`POST /api/auth/second-factor` 提交动态口令，此后15分钟内有效。

错误：400 `{"detail": [{"field": "…", "message": "…"}]}`；401 令牌缺失或无效；
403 无此权限；404 记录不存在或不在您的查看范围内。"""

api = NinjaAPI(
    title="SilverShield 银盾 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[BearerAuth()],
)
errors.install(api)
api.add_router("", auth.router)
api.add_router("", workflow.router)  # first: its /tips/transfer before /tips/{tip_id}
api.add_router("", tips.router)
api.add_router("", orgs.router)
api.add_router("", campaigns.router)
api.add_router("", regions.router)
api.add_router("", stats.router)
api.add_router("", enforcement.router)
api.add_router("", rectification.router)
