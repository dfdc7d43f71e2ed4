from silvershield.core import nav
from silvershield.core.permissions import Perm


def register_all() -> None:
    nav.register(nav.NavEntry("系统", "单位管理", "orgs:unit_list", Perm.ORG_MANAGE, order=10))
    nav.register(nav.NavEntry("系统", "账号管理", "orgs:user_list", Perm.ORG_MANAGE, order=20))
    nav.register(nav.NavEntry("系统", "安全管理", "orgs:security", Perm.SECURITY_MANAGE, order=40))
    nav.register(nav.NavEntry("系统", "审计日志", "core:audit_list", Perm.AUDIT_READ, order=50))
    nav.register(nav.NavEntry("系统", "接口令牌", "orgs:api_tokens", Perm.WORKBENCH, order=60))
