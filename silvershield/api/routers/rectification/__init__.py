"""The rectification ledger (整治) through the API: institutions and the tips that name them,
hazards, 三书一函 letters, rectification tasks with evidence, and rules made (建章立制).

Each operation does what the matching step on the rectification pages does
(``rectification.views``): records are fetched through the scoped selectors first (404 when the
user cannot see them), then the rectification service is called, which checks the actor (403) and
the rule (400 with a Chinese message per field, nothing written). A stale hazard ``version`` is
409. Evidence files are checked by content exactly as on the pages (``rectification.files``).
"""

from __future__ import annotations

from ninja import Router

from silvershield.api.routers.rectification import hazards, institutions, letters, rules, tasks

router = Router(tags=["整治"])
for part in (institutions, hazards, letters, tasks, rules):
    router.add_router("", part.router)
